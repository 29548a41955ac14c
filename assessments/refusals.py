"""Why a change to an assessment is refused, in words the person refused can act on, with a
link back to the assessment."""

from enum import StrEnum
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.urls import reverse

from thrive_edi.refusals import Refusal


class Refused(StrEnum):
    """Every reason an action on an assessment is refused, once: the views, the services and
    the 403 page all say these words (``assessments.permissions`` says which applies)."""

    NOT_FOUND = "No such assessment."
    SIGNED_OFF = "This assessment is signed off and can no longer be changed."
    SUPERSEDED = "This assessment has been superseded by a newer version and can no longer be changed."
    IN_REVIEW = "This assessment is in review, so it cannot be changed until an approver asks for changes."
    WITHDRAWN = "This assessment was withdrawn and can no longer be changed."
    NOT_INVOLVED = "Only the assessment's owner and collaborators can change it."
    NO_ROLE = "Only programme staff and approvers can change assessments."
    NOT_AN_APPROVER = "Only approvers can review and sign off assessments."
    NOT_IN_REVIEW = "Only an assessment in review can be reviewed."
    SEPARATION_OF_DUTIES = (
        "You cannot sign off an assessment you own or collaborate on: another approver must sign it off."
    )
    NOT_IN_THE_CONVERSATION = (
        "Only the assessment's owner, its collaborators and approvers can answer its comments."
    )
    COMMENTS_CLOSED = "A signed-off or withdrawn assessment's comments are closed."
    NOT_THE_OWNER = "Only the owner can withdraw an assessment."
    NOT_SIGNED_OFF = "Only a signed-off assessment can be re-assessed."
    ALREADY_REASSESSING = "A re-assessment of this assessment has already started."
    REASSESS_NOT_INVOLVED = (
        "Only the assessment's owner, its collaborators and approvers can start a re-assessment of it."
    )
    NOT_ON_THE_ACTION = "Only the action's owner or the assessment's team can update it."
    ACTION_LOCKED = "Actions cannot be updated while the assessment is in review or after it is withdrawn."
    EVIDENCE_FROZEN = (
        "Evidence can be added or removed only while the assessment is being written: "
        "once it is submitted, its evidence is kept as it was sent."
    )
    SCREENING_NOT_CONFIRMED = (
        "The screening must be confirmed by an approver before the assessment can be submitted."
    )
    SCREENING_NOT_OPEN = (
        "The screening can be changed only before it is sent for confirmation, or once it is returned."
    )
    NO_SCREENING_TO_CONFIRM = "Only a screening sent for confirmation can be confirmed or returned."
    SEPARATION_OF_DUTIES_SCREENING = (
        "You cannot confirm the screening of an assessment you own or collaborate on: "
        "another approver must confirm it."
    )
    HISTORY_NOT_FOR_THE_BOARD = (
        "The history of changes to the drafts is kept for programme staff and approvers. "
        "The signed-off record is on the assessment's page."
    )


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
