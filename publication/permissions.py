"""Who may write a public summary, decide what is published, and moderate feedback.

Built from the predicates of ``assessments.permissions`` (the Django permissions the roles grant,
and the people involved), so that the register asks the same questions as the assessment does.
"""

from assessments.models import Assessment
from assessments.permissions import Act, is_involved, is_owner, is_published, may, reviews, signs_off

# An approver who did not work on the assessment, once it is signed off: as for the sign-off.
decides_publication = is_published & signs_off & ~is_involved
# The assessment's owner, or an approver.
moderates = is_owner | reviews


def may_write_summary(user, assessment: Assessment) -> bool:
    """The owner and collaborators, while the assessment can be edited: it is frozen at sign-off."""
    return may(Act.EDIT, user, assessment)


def may_decide_publication(user, assessment: Assessment) -> bool:
    return decides_publication.test(user, assessment)


def may_moderate(user, assessment: Assessment) -> bool:
    return moderates.test(user, assessment)
