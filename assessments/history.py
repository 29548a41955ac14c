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
    return (user.get_full_name() or user.get_username()) if user else "The system"


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
            fields = [(c.field.replace("_", " "), _show(c.old), _show(c.new)) for c in delta.changes]
            if not fields:
                previous[record.id] = record
                continue
        what = "Assessment details" if model is Assessment else _describe(model, record, names)
        changes.append(Change(record.history_date, _who(record), what, kind, fields))
        previous[record.id] = record
    return changes


def _show(value) -> str:
    if value in (None, "", []):
        return "(blank)"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


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
