"""Emails about the Advisory Board's feedback: to the team when it arrives, to the board member
when the team responds. Each person gets them at once or in their daily summary."""

from django.conf import settings
from django.urls import reverse

from assessments.notifications import team_of
from reporting.models import BoardFeedback
from thrive_edi.notices import notice_send
from thrive_edi.people import person_name


def feedback_link(feedback: BoardFeedback) -> str:
    address = reverse("reporting:board_assessment", args=[feedback.assessment.reference])
    return f"{settings.SITE_URL.rstrip('/')}{address}#feedback-{feedback.pk}"


def feedback_arrived(feedback: BoardFeedback) -> None:
    """To the assessment's owner and collaborators."""
    notice_send(
        "board_feedback",
        recipients=team_of(feedback.assessment),
        context={
            "feedback": feedback,
            "assessment": feedback.assessment,
            "author": person_name(feedback.author),
            "link": feedback_link(feedback),
        },
    )


def response_given(feedback: BoardFeedback, *, changed: bool = False) -> None:
    """To the board member who gave the feedback, and again (``changed``) when the response changes."""
    notice_send(
        "board_response",
        recipients=[feedback.author],
        context={
            "feedback": feedback,
            "assessment": feedback.assessment,
            "responder": person_name(feedback.responded_by),
            "changed": changed,
            "link": feedback_link(feedback),
        },
    )
