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


def _display_parts(posted: dict[str, list[str]], keys: list[str], choices: dict[str, str] | None) -> str:
    """A field posted as one key, or as several in order (a date: day, month, year)."""
    if len(keys) == 1:
        return _display(posted.get(keys[0]), choices)
    parts = [" ".join(_normalise(posted.get(key))) for key in keys]
    return "/".join(parts) if any(parts) else "(blank)"


def conflict_context(content: AssessmentContent, section, data: QueryDict, conflict) -> dict:
    current = SectionEditor(assessment_content(content.assessment), section)
    theirs = current.posted_values()
    labels = current.field_labels()
    readable = _readable(current)
    mine = {
        key: data.getlist(key) for key in data if key not in NOT_CARRIED and not key.startswith(CHOICE_PREFIX)
    }
    differences = []
    # One choice per field, so that the parts of a date are never mixed from two people.
    for name, keys in current.field_keys().items():
        keys = [key for key in keys if key in labels and not is_management_key(key)]
        if all(_normalise(mine.get(key)) == _normalise(theirs.get(key)) for key in keys):
            continue
        differences.append(
            {
                "key": name,
                "choice_name": f"{CHOICE_PREFIX}{name}",
                "label": labels[keys[0]],
                "theirs": _display_parts(theirs, keys, readable.get(name)),
                "mine": _display_parts(mine, keys, readable.get(name)),
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
    editor = SectionEditor(assessment_content(content.assessment), section)
    current, fields = editor.posted_values(), editor.field_keys()
    merged = QueryDict(mutable=True)
    for key in data:
        if not key.startswith(CHOICE_PREFIX) and key != "intent":
            merged.setlist(key, data.getlist(key))
    for key in data:
        if key.startswith(CHOICE_PREFIX) and data[key] == "theirs":
            name = key.removeprefix(CHOICE_PREFIX)
            for posted_key in fields.get(name, [name]):
                merged.setlist(posted_key, current.get(posted_key, []))
    return merged


def typed_changes(content: AssessmentContent, section, data: QueryDict) -> list[tuple[str, str]]:
    """What a post changes in a section, as (question, answer) pairs, to show back read-only
    when the section can no longer be saved."""
    current = SectionEditor(content, section)
    theirs, labels, readable = current.posted_values(), current.field_labels(), _readable(current)
    changes = []
    for name, keys in current.field_keys().items():
        keys = [key for key in keys if key in labels and not is_management_key(key)]
        if not keys or not any(key in data for key in keys):
            continue
        mine = {key: data.getlist(key) for key in keys}
        if all(_normalise(mine.get(key)) == _normalise(theirs.get(key)) for key in keys):
            continue
        changes.append((labels[keys[0]], _display_parts(mine, keys, readable.get(name))))
    return changes
