"""What waits on the home page in the Advisory Board's work: feedback for staff to respond to;
for board members, assessments signed off since their last visit and responses to their
feedback."""

from django.http import HttpRequest

from assessments.models import Assessment
from reporting.filters import signed_off_assessments
from reporting.models import BoardFeedback
from reporting.permissions import is_board_member
from thrive_edi.preferences import visit_since
from thrive_edi.roles import Role, has_role

SHOWN = 10


def feedback_to_respond_to(user) -> list[BoardFeedback]:
    """Board feedback without a response on assessments the person owns or works on."""
    theirs = Assessment.objects.involving(user)
    return list(
        BoardFeedback.objects.filter(assessment__in=theirs, response="")
        .select_related("assessment", "author")
        .order_by("created_at", "pk")[:SHOWN]
    )


def staff_feedback(sender, request: HttpRequest, **kwargs) -> dict:
    if not has_role(request.user, Role.STAFF):
        return {}
    return {"feedback_to_respond_to": feedback_to_respond_to(request.user)}


def board_news(sender, request: HttpRequest, **kwargs) -> dict:
    """On a board member's home page: what is new since their last visit."""
    if not is_board_member(request.user):
        return {}
    since = visit_since(request)
    signed_off = (
        signed_off_assessments()
        .filter(status=Assessment.Status.SIGNED_OFF, signed_off_at__gt=since)
        .order_by("-signed_off_at", "-pk")
    )
    responses = (
        BoardFeedback.objects.filter(author=request.user, responded_at__gt=since)
        .select_related("assessment", "responded_by")
        .order_by("-responded_at", "-pk")
    )
    return {
        "new_since": since,
        "newly_signed_off": list(signed_off[:SHOWN]),
        "new_responses": list(responses[:SHOWN]),
    }
