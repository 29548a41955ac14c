"""The rules a complete assessment meets, checked on each section and again before submission.

The rules of the questions are here; each kind of row's are in its definition
(``assessments.kinds``). Each rule reads an ``AssessmentContent`` (loaded once) and reports
``RuleFailure``s that name the section to fix, a message in the GOV.UK style, and the field
to link to.
"""

import calendar
from datetime import date

from django.utils import timezone

from assessments.kinds import ADD_ROW_ID, RuleFailure, field_group_id, impacts_without_action, kinds_for
from assessments.selectors import AssessmentContent
from assessments.thresholds import (
    CONFIDENCE_NEEDING_ACTION,
    IMPACTS_NEEDING_ACTION,
    IMPACTS_NEEDING_JUSTIFICATION,
    IMPACTS_NEEDING_MITIGATION,
)
from frameworks.models import Question, Section
from frameworks.scales import Decision

__all__ = [  # what other modules read from here; the rules of each kind of row are its own
    "ADD_ROW_ID",
    "CONFIDENCE_NEEDING_ACTION",
    "IMPACTS_NEEDING_ACTION",
    "IMPACTS_NEEDING_JUSTIFICATION",
    "IMPACTS_NEEDING_MITIGATION",
    "RuleFailure",
    "add_months",
    "assessment_failures",
    "field_group_id",
    "impacts_without_action",
    "is_answered",
    "question_field",
    "section_failures",
]

REVIEW_DATE_QUESTION = "review_date"
RAPID_QUESTION = "rapid"
DECISION_QUESTION = "decision"
JUSTIFICATION_QUESTION = "justification"
REVIEW_WITHIN_MONTHS = 36
RAPID_REVIEW_WITHIN_MONTHS = 3


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


def section_failures(
    content: AssessmentContent, section: Section, today: date | None = None
) -> list[RuleFailure]:
    today = today or timezone.localdate()
    failures = _question_failures(content, section)
    failures += _review_date_failures(content, section, today)
    failures += _decision_failures(content, section)
    for kind in kinds_for(section.structured):
        failures += kind.failures(content, section)
    return failures


def assessment_failures(content: AssessmentContent, today: date | None = None) -> list[RuleFailure]:
    failures = []
    for section in content.sections:
        failures += section_failures(content, section, today)
    return failures
