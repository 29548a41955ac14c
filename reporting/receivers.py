from django.template.loader import render_to_string

from assessments.models import Assessment
from assessments.permissions import is_involved
from reporting.models import BoardFeedback
from reporting.services import pdf_request


def render_on_sign_off(sender, assessment, snapshot, **kwargs) -> None:
    """The sign-off has committed: queue its PDF. A failure here never undoes the sign-off."""
    pdf_request(snapshot=snapshot)


def board_panel(request, assessment):
    """On a signed-off assessment's page: its PDF and the Advisory Board's feedback."""
    if assessment.status not in Assessment.PUBLISHED_STATUSES:
        return None
    feedback = list(
        BoardFeedback.objects.filter(assessment=assessment).select_related("author", "responded_by")
    )
    return render_to_string(
        "reporting/_assessment_panel.html",
        {
            "assessment": assessment,
            "feedback": feedback,
            "may_respond": is_involved(request.user, assessment),
        },
        request=request,
    )
