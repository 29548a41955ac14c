"""Who may write a public summary, decide what is published, and moderate feedback."""

from assessments.models import Assessment
from assessments.permissions import Act, is_involved, may
from thrive_edi.roles import Role, has_role


def may_write_summary(user, assessment: Assessment) -> bool:
    """The owner and collaborators, while the assessment can be edited: it is frozen at sign-off."""
    return may(Act.EDIT, user, assessment)


def may_decide_publication(user, assessment: Assessment) -> bool:
    """An approver who is not involved in the assessment, once it is signed off (as for sign-off)."""
    return (
        assessment.status in Assessment.FROZEN_STATUSES
        and has_role(user, Role.APPROVER)
        and not is_involved(user, assessment)
    )


def may_moderate(user, assessment: Assessment) -> bool:
    """The assessment's owner, or an approver."""
    return assessment.owner_id == user.pk or has_role(user, Role.APPROVER)
