"""The rules a complete assessment meets, checked on each section and again before submission.

Each rule reads an ``AssessmentContent`` (loaded once) and reports ``RuleFailure``s that name
the section to fix, a message in the GOV.UK style, and the field to link to.
"""

import calendar
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from assessments.selectors import AssessmentContent
from frameworks.models import Question, Section
from frameworks.scales import Decision, EvidenceConfidence, Impact, Scale, StructuredPart

# Rules depend on these keys, so they are fixed in code like the scales.
IMPACTS_NEEDING_ACTION = frozenset({Impact.NEGATIVE, Impact.SIGNIFICANT_NEGATIVE, Impact.UNKNOWN})
IMPACTS_NEEDING_JUSTIFICATION = frozenset({Impact.SIGNIFICANT_NEGATIVE})
IMPACTS_NEEDING_MITIGATION = frozenset({Impact.NEGATIVE, Impact.SIGNIFICANT_NEGATIVE})
CONFIDENCE_NEEDING_ACTION = frozenset({EvidenceConfidence.NONE})
REVIEW_DATE_QUESTION = "review_date"
RAPID_QUESTION = "rapid"
DECISION_QUESTION = "decision"
JUSTIFICATION_QUESTION = "justification"
REVIEW_WITHIN_MONTHS = 36
RAPID_REVIEW_WITHIN_MONTHS = 3


ADD_ROW_ID = "add-row"  # the id of a section page's "Add" button


def field_group_id(name: str) -> str:
    """The id of the form group of the field posted as ``name``: drawn for every kind of field."""
    return f"div_id_{name}"


@dataclass(frozen=True)
class RuleFailure:
    section_key: str
    message: str
    field: str  # the field to fix, as its form names it ("q-aims", "evidence"); "" for the section
    prefix: str = ""  # the row's form prefix on the section page as stored ("impacts-3")
    row: int | None = None  # the primary key of the row holding the field

    @property
    def name(self) -> str:
        """The field's name as the section page posts it."""
        return f"{self.prefix}-{self.field}" if self.prefix else self.field

    @property
    def anchor(self) -> str:
        """Where a link from another page lands on the section's page."""
        return field_group_id(self.name) if self.field else ADD_ROW_ID


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def is_answered(value) -> bool:
    if value is None:
        return False
    if isinstance(value, str | list | dict):
        return bool(value.strip() if isinstance(value, str) else value)
    return True


def question_field(question: Question) -> str:
    return f"q-{question.key}"


def _question_failures(content: AssessmentContent, section: Section) -> list[RuleFailure]:
    failures = []
    for question in content.questions_by_section.get(section.pk, []):
        answer = content.answers.get(question.pk)
        if question.required and not is_answered(answer.value if answer else None):
            failures.append(
                RuleFailure(section.key, f"Answer the question: {question.text}", question_field(question))
            )
    return failures


def _review_date_failures(content: AssessmentContent, section: Section, today: date) -> list[RuleFailure]:
    question = next(
        (q for q in content.questions_by_section.get(section.pk, []) if q.key == REVIEW_DATE_QUESTION), None
    )
    if question is None:
        return []
    answer = content.answers.get(question.pk)
    if not answer or not answer.value:
        return []  # reported as an unanswered question if required
    review = date.fromisoformat(answer.value)
    anchor = question_field(question)
    if review <= today:
        return [RuleFailure(section.key, "The review date must be in the future", anchor)]
    rapid = content.answer_value(RAPID_QUESTION) is True
    months = RAPID_REVIEW_WITHIN_MONTHS if rapid else REVIEW_WITHIN_MONTHS
    if review > add_months(today, months):
        limit = "3 months, because this is a rapid assessment for a crisis response" if rapid else "3 years"
        return [RuleFailure(section.key, f"The review date must be within {limit}", anchor)]
    return []


def _decision_failures(content: AssessmentContent, section: Section) -> list[RuleFailure]:
    keys = {q.key: q for q in content.questions_by_section.get(section.pk, [])}
    if DECISION_QUESTION not in keys or JUSTIFICATION_QUESTION not in keys:
        return []
    if content.answer_value(DECISION_QUESTION) != Decision.CONTINUE_WITH_JUSTIFICATION:
        return []
    if is_answered(content.answer_value(JUSTIFICATION_QUESTION)):
        return []
    return [
        RuleFailure(
            section.key,
            "Give the objective justification for continuing despite adverse impact",
            question_field(keys[JUSTIFICATION_QUESTION]),
        )
    ]


def _impact_grid_failures(content: AssessmentContent, section: Section) -> list[RuleFailure]:
    failures = []
    for index, rating in enumerate(content.ratings):
        name = rating.characteristic.name

        def fail(message: str, field: str, index=index, rating=rating) -> None:
            failures.append(RuleFailure(section.key, message, field, f"impacts-{index}", rating.pk))

        if not rating.impact:
            fail(f"Choose the likely impact on {name}", "impact")
            continue
        if not rating.evidence.strip():
            fail(f"Give the evidence for the impact on {name}", "evidence")
        if not rating.confidence:
            fail(f"Choose how confident the evidence on {name} is", "confidence")
        if rating.data_gap is None:
            fail(f"Say whether there is a data gap for {name}", "data_gap")
        elif rating.data_gap and not rating.data_gap_note.strip():
            fail(f"Say what data is missing for {name}", "data_gap_note")
        if rating.impact in IMPACTS_NEEDING_MITIGATION and not rating.mitigation.strip():
            fail(f"Say how the negative impact on {name} will be mitigated", "mitigation")
        if rating.impact in IMPACTS_NEEDING_JUSTIFICATION and not rating.justification.strip():
            fail(
                f"Give the objective justification for the significant negative impact on {name}",
                "justification",
            )
    return failures


def _intersectional_failures(content: AssessmentContent, section: Section) -> list[RuleFailure]:
    if not content.intersectional:
        return [RuleFailure(section.key, "Add at least one combination of characteristics", "")]
    failures = []
    for index, item in enumerate(content.intersectional):
        row = {"prefix": f"intersectional-{index}", "row": item.pk}
        if len(item.characteristic_list) < 2:
            failures.append(
                RuleFailure(
                    section.key,
                    f"Choose two or more characteristics in combination {index + 1}",
                    "characteristics",
                    **row,
                )
            )
        if not item.impact:
            failures.append(
                RuleFailure(section.key, f"Choose the impact of combination {index + 1}", "impact", **row)
            )
        if not item.evidence.strip():
            failures.append(
                RuleFailure(section.key, f"Give the evidence for combination {index + 1}", "evidence", **row)
            )
    return failures


def _alignment_failures(content: AssessmentContent, section: Section) -> list[RuleFailure]:
    failures = []
    for index, row in enumerate(content.alignments):
        where = {"prefix": f"principles-{index}", "row": row.pk}
        if not row.alignment:
            failures.append(
                RuleFailure(
                    section.key,
                    f"Choose how the activity aligns with {row.principle.name}",
                    "alignment",
                    **where,
                )
            )
        if not row.narrative.strip():
            failures.append(
                RuleFailure(
                    section.key, f"Explain the alignment with {row.principle.name}", "narrative", **where
                )
            )
    return failures


def _duty_failures(content: AssessmentContent, section: Section) -> list[RuleFailure]:
    failures = []
    labels = content.version.labels(Scale.PSED_AIM)
    for index, row in enumerate(content.duties):
        name = labels.get(row.aim) or row.get_aim_display()
        where = {"prefix": f"duties-{index}", "row": row.pk}
        if not row.contribution:
            failures.append(
                RuleFailure(section.key, f"Choose the contribution to: {name}", "contribution", **where)
            )
        if not row.narrative.strip():
            failures.append(
                RuleFailure(section.key, f"Explain the contribution to: {name}", "narrative", **where)
            )
    return failures


def _participation_failures(content: AssessmentContent, section: Section) -> list[RuleFailure]:
    if not content.participation:
        return [RuleFailure(section.key, "Add at least one entry to the participation log", "")]
    failures = []
    for index, entry in enumerate(content.participation):
        where = {"prefix": f"participation-{index}", "row": entry.pk}
        for field, message in (
            ("who", "Say who took part"),
            ("how", "Say how they took part"),
            ("level", "Choose the level of involvement"),
        ):
            if not getattr(entry, field):
                failures.append(RuleFailure(section.key, f"{message} (entry {index + 1})", field, **where))
        if entry.when is None:
            failures.append(
                RuleFailure(section.key, f"Enter when they took part (entry {index + 1})", "when", **where)
            )
        if entry.paid is None:
            failures.append(
                RuleFailure(section.key, f"Say whether they were paid (entry {index + 1})", "paid", **where)
            )
    return failures


def impacts_without_action(content: AssessmentContent) -> list[str]:
    """Names of the impacts that need an action and have none linked to them."""
    linked_characteristics = {c.pk for action in content.actions for c in action.characteristic_list}
    linked_combinations = {i.pk for action in content.actions for i in action.combination_list}
    impact_labels = content.version.labels(Scale.IMPACT)
    missing = []
    for rating in content.ratings:
        if rating.characteristic_id in linked_characteristics:
            continue
        if rating.impact in IMPACTS_NEEDING_ACTION:
            missing.append(
                f"{rating.characteristic.name} ({impact_labels.get(rating.impact, rating.impact)})"
            )
        elif rating.confidence in CONFIDENCE_NEEDING_ACTION:
            missing.append(f"{rating.characteristic.name} (no evidence)")
    for index, item in enumerate(content.intersectional):
        if item.impact in IMPACTS_NEEDING_ACTION and item.pk not in linked_combinations:
            names = " and ".join(c.name for c in item.characteristic_list) or f"combination {index + 1}"
            missing.append(f"{names} ({impact_labels.get(item.impact, item.impact)})")
    return missing


def _action_failures(content: AssessmentContent, section: Section) -> list[RuleFailure]:
    failures = [
        RuleFailure(section.key, f"Add an action for {name}", "") for name in impacts_without_action(content)
    ]
    for index, action in enumerate(content.actions):
        where = {"prefix": f"actions-{index}", "row": action.pk}
        for field, message in (
            ("issue", "Describe the issue"),
            ("action", "Describe the action"),
            ("measure", "Say how progress will be measured"),
        ):
            if not getattr(action, field).strip():
                failures.append(RuleFailure(section.key, f"{message} (action {index + 1})", field, **where))
        if action.owner_id is None:
            failures.append(RuleFailure(section.key, f"Choose who owns action {index + 1}", "owner", **where))
        if action.due_date is None:
            failures.append(
                RuleFailure(section.key, f"Enter a due date for action {index + 1}", "due_date", **where)
            )
    return failures


STRUCTURED_RULES = {
    StructuredPart.IMPACT_GRID: _impact_grid_failures,
    StructuredPart.INTERSECTIONAL_IMPACTS: _intersectional_failures,
    StructuredPart.PRINCIPLE_ALIGNMENT: _alignment_failures,
    StructuredPart.DUTY_CONTRIBUTIONS: _duty_failures,
    StructuredPart.PARTICIPATION_LOG: _participation_failures,
    StructuredPart.ACTION_PLAN: _action_failures,
}


def section_failures(
    content: AssessmentContent, section: Section, today: date | None = None
) -> list[RuleFailure]:
    today = today or timezone.localdate()
    failures = _question_failures(content, section)
    failures += _review_date_failures(content, section, today)
    failures += _decision_failures(content, section)
    if section.structured:
        failures += STRUCTURED_RULES[section.structured](content, section)
    return failures


def assessment_failures(content: AssessmentContent, today: date | None = None) -> list[RuleFailure]:
    failures = []
    for section in content.sections:
        failures += section_failures(content, section, today)
    return failures
