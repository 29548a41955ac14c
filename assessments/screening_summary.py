"""The screening as it reads: questions and answers for its summary, the snapshot and the PDF."""

from dataclasses import dataclass

from assessments.display import yes_no
from assessments.forms.screening import ScreeningForm
from assessments.models import Assessment, Screening

SCREENING_KEY = "screening"
SCREENING_TITLE = "Screening"
SCREENING_PURPOSE = (
    "Who the activity reaches, whether it could change anything for anyone, and how much "
    "assessment it needs as a result."
)


def screening_of(assessment: Assessment) -> Screening | None:
    try:
        return assessment.screening
    except Screening.DoesNotExist:
        return None


def screening_question(name: str) -> str:
    """The question the screening page asks for the answer ``name`` (a field of ``Screening``)."""
    return str(ScreeningForm.base_fields[name].label)


@dataclass
class ScreeningAnswer:
    key: str  # the question's field, as the screening page names it
    question: str
    answer: str


def screening_answers(screening: Screening) -> list[ScreeningAnswer]:
    """The screening as questions and answers, for its summary, the snapshot and the PDF."""
    groups = ", ".join(group.name for group in screening.groups.all()) or "None"
    values = {
        "who": screening.who or "Not answered",
        "changes": yes_no(screening.changes),
        "changes_note": screening.changes_note or "Not answered",
        "groups": groups,
        "reach": screening.get_reach_display() or "Not answered",
        "crisis": yes_no(screening.crisis),
        "decision": screening.get_decision_display() or "Not answered",
        "justification": screening.justification or "Not answered",
    }
    return [ScreeningAnswer(name, screening_question(name), values[name]) for name in values]


def screening_document(assessment: Assessment) -> dict | None:
    """The screening as the signed snapshot records it, as one more section: None if unscreened."""
    screening = screening_of(assessment) if assessment.is_screened else None
    if screening is None:
        return None
    return {
        "key": SCREENING_KEY,
        "title": SCREENING_TITLE,
        "purpose": SCREENING_PURPOSE,
        "answers": [{"question": a.question, "answer": a.answer} for a in screening_answers(screening)],
        "tables": [],
    }
