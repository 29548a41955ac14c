"""Why a change to an assessment is refused, in words the person refused can act on, with a
link back to the assessment."""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.urls import reverse

from assessments.models import Assessment
from assessments.permissions import is_involved, may_create
from thrive_edi.refusals import Refusal

SIGNED_OFF_REFUSAL = "This assessment is signed off and can no longer be changed."
SUPERSEDED_REFUSAL = "This assessment has been superseded by a newer version and can no longer be changed."
IN_REVIEW_REFUSAL = (
    "This assessment is in review, so it cannot be changed until an approver asks for changes."
)
WITHDRAWN_REFUSAL = "This assessment was withdrawn and can no longer be changed."
NOT_INVOLVED_REFUSAL = "Only the assessment's owner and collaborators can change it."
NO_ROLE_REFUSAL = "Only programme staff and approvers can change assessments."
HISTORY_NOT_FOR_THE_BOARD_REFUSAL = (
    "The history of changes to the drafts is kept for programme staff and approvers. "
    "The signed-off record is on the assessment's page."
)
REASSESS_NOT_INVOLVED_REFUSAL = (
    "Only the assessment's owner, its collaborators and approvers can start a re-assessment of it."
)

_BY_STATUS = {
    Assessment.Status.SIGNED_OFF: SIGNED_OFF_REFUSAL,
    Assessment.Status.SUPERSEDED: SUPERSEDED_REFUSAL,
    Assessment.Status.IN_REVIEW: IN_REVIEW_REFUSAL,
    Assessment.Status.WITHDRAWN: WITHDRAWN_REFUSAL,
}


def edit_refusal_reason(user, assessment: Assessment) -> str:
    """Why ``may_edit`` said no: the assessment's state first, as it holds for everyone."""
    if not assessment.is_editable:
        return _BY_STATUS.get(assessment.status, SIGNED_OFF_REFUSAL)
    if not may_create(user):
        return NO_ROLE_REFUSAL
    if not is_involved(user, assessment):
        return NOT_INVOLVED_REFUSAL
    return ""


def refusal(reason: str, reference: str, *, typed=()) -> Refusal:
    return Refusal(
        reason,
        back_url=reverse("assessments:detail", args=[reference]),
        back_label=f"Go back to {reference}",
        typed=typed,
    )


def links_back(view):
    """A view about one assessment: whatever refuses inside it, the 403 page says why and links
    back to the assessment."""

    @wraps(view)
    def wrapper(request, *args, reference: str, **kwargs):
        try:
            return view(request, *args, reference=reference, **kwargs)
        except Refusal:
            raise
        except PermissionDenied as error:
            raise refusal(str(error), reference) from error

    return wrapper
