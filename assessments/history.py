"""The history of an assessment: who changed which answer or row, from what to what, and when."""

from dataclasses import dataclass
from datetime import datetime

from assessments.models import (
    Action,
    Answer,
    Assessment,
    DutyContribution,
    ImpactRating,
    IntersectionalImpact,
    ParticipationEntry,
    PrincipleAlignment,
)
from thrive_edi.people import person_name

TRACKED_ROWS = (
    (Answer, "Answer"),
    (ImpactRating, "Impact rating"),
    (IntersectionalImpact, "Intersectional impact"),
    (PrincipleAlignment, "Principle alignment"),
    (DutyContribution, "Legal duty"),
    (ParticipationEntry, "Participation entry"),
    (Action, "Action"),
)
IGNORED_FIELDS = {"updated_by", "assessment"}
MAX_SHOWN = 2_000  # the most recent changes; older ones stay in the database


@dataclass
class Change:
    when: datetime
    who: str
    what: str
    kind: str  # created, changed, deleted
    fields: list[tuple[str, str, str]]  # (field, from, to)


def _who(record) -> str:
    user = record.history_user
    return person_name(user) if user else "The system"


def _describe(model, record, names: dict) -> str:
    if model is Answer:
        return f"Answer: {names['questions'].get(record.question_id, 'a question')}"
    if model is ImpactRating:
        return f"Impact on {names['characteristics'].get(record.characteristic_id, 'a characteristic')}"
    if model is PrincipleAlignment:
        return f"Principle: {names['principles'].get(record.principle_id, 'a principle')}"
    if model is DutyContribution:
        return f"Legal duty: {record.get_aim_display()}"
    return f"{dict(TRACKED_ROWS)[model]} {record.id}"


def _records(model, assessment: Assessment):
    key = "id" if model is Assessment else "assessment_id"
    return list(
        model.history.filter(**{key: assessment.pk}).select_related("history_user").order_by("history_date")
    )


def _changes_of(model, records, names) -> list[Change]:
    changes, previous = [], {}
    for record in records:
        before = previous.get(record.id)
        kind = {"+": "created", "~": "changed", "-": "deleted"}[record.history_type]
        fields = []
        if before is not None and kind == "changed":
            delta = record.diff_against(before, excluded_fields=IGNORED_FIELDS)
            fields = [
                (c.field.replace("_", " "), _show(c.old, names), _show(c.new, names)) for c in delta.changes
            ]
            if not fields:
                previous[record.id] = record
                continue
        elif before is None and kind != "deleted":
            # A new row, or the first change of a row made blank in bulk (which leaves no record).
            fields = _first_values(model, record)
        what = "Assessment details" if model is Assessment else _describe(model, record, names)
        changes.append(Change(record.history_date, _who(record), what, kind, fields))
        previous[record.id] = record
    return changes


def _first_values(model, record) -> list[tuple[str, str, str]]:
    """(field, from, to) for each value a row starts with, other than its defaults."""
    fields = []
    for field in model._meta.concrete_fields:
        if field.is_relation or not field.editable or field.primary_key or field.name in IGNORED_FIELDS:
            continue
        value = getattr(record, field.attname, None)
        if value in (None, "", []) or value == field.get_default():
            continue
        fields.append((field.name.replace("_", " "), _show(None), _show(value)))
    return fields


def _show(value, names: dict | None = None) -> str:
    if value in (None, "", []):
        return "(blank)"
    if isinstance(value, list):
        return ", ".join(_linked(item, names) for item in value)
    return str(value)


def _linked(item, names: dict | None) -> str:
    """An item of a list; a many-to-many row is shown as what it links to."""
    if isinstance(item, dict) and names is not None:
        if "characteristic" in item:
            return names["characteristics"].get(item["characteristic"], "a characteristic")
        if "intersectionalimpact" in item:
            return f"{dict(TRACKED_ROWS)[IntersectionalImpact]} {item['intersectionalimpact']}"
    return str(item)


def assessment_changes(assessment: Assessment) -> list[Change]:
    version = assessment.framework_version
    names = {
        "questions": dict(version.questions.values_list("pk", "text")),
        "characteristics": dict(version.characteristics.values_list("pk", "name")),
        "principles": dict(version.principles.values_list("pk", "name")),
    }
    changes = _changes_of(Assessment, _records(Assessment, assessment), names)
    for model, _ in TRACKED_ROWS:
        changes += _changes_of(model, _records(model, assessment), names)
    changes.sort(key=lambda change: change.when, reverse=True)
    return changes[:MAX_SHOWN]
