"""Two people saved the same section: show what changed and let the second choose, per answer."""

from django.http import QueryDict

from assessments.sections import SectionEditor, is_management_key
from assessments.selectors import AssessmentContent, assessment_content

CHOICE_PREFIX = "choose:"
NOT_CARRIED = {"csrfmiddlewaretoken", "intent", "revision"}


def _normalise(values: list[str] | None) -> list[str]:
    cleaned = [value.replace("\r\n", "\n").strip() for value in (values or [])]
    return sorted(value for value in cleaned if value)


def _readable(editor: SectionEditor) -> dict[str, dict[str, str]]:
    """For each posted key with choices, the label of each choice value."""
    readable = {}
    for part in editor.parts:
        for form in part.forms():
            for bound_field in form:
                choices = getattr(bound_field.field, "choices", None)
                if choices:
                    readable[bound_field.html_name] = {str(key): str(label) for key, label in choices}
    return readable


def _display(values: list[str], choices: dict[str, str] | None) -> str:
    shown = [choices.get(value, value) if choices else value for value in _normalise(values)]
    return "; ".join(shown) if shown else "(blank)"


def conflict_context(content: AssessmentContent, section, data: QueryDict, conflict) -> dict:
    current = SectionEditor(assessment_content(content.assessment), section)
    theirs = current.posted_values()
    labels = current.field_labels()
    readable = _readable(current)
    mine = {
        key: data.getlist(key) for key in data if key not in NOT_CARRIED and not key.startswith(CHOICE_PREFIX)
    }
    differences = []
    for key, label in labels.items():
        if is_management_key(key) or _normalise(mine.get(key)) == _normalise(theirs.get(key)):
            continue
        differences.append(
            {
                "key": key,
                "choice_name": f"{CHOICE_PREFIX}{key}",
                "label": label,
                "theirs": _display(theirs.get(key), readable.get(key)),
                "mine": _display(mine.get(key), readable.get(key)),
            }
        )
    return {
        "assessment": content.assessment,
        "section": section,
        "progress": conflict.progress,
        "differences": differences,
        "carried": [(key, value) for key, values in mine.items() for value in values],
        "revision": conflict.progress.revision,
    }


def merged_post(data: QueryDict, content: AssessmentContent, section) -> QueryDict:
    """The user's answers, with the stored ones wherever they chose to keep those."""
    current = SectionEditor(assessment_content(content.assessment), section).posted_values()
    merged = QueryDict(mutable=True)
    for key in data:
        if not key.startswith(CHOICE_PREFIX) and key != "intent":
            merged.setlist(key, data.getlist(key))
    for key in data:
        if key.startswith(CHOICE_PREFIX) and data[key] == "theirs":
            name = key.removeprefix(CHOICE_PREFIX)
            merged.setlist(name, current.get(name, []))
    return merged
