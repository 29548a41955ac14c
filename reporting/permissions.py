"""Who may use the Board portal, give board feedback and answer it."""

from assessments.permissions import is_involved
from thrive_edi.roles import Role, user_roles

PORTAL_ROLES = frozenset({Role.BOARD, Role.APPROVER, Role.ADMIN})


def may_use_portal(user) -> bool:
    """The board portal: the Advisory Board, approvers and admins."""
    return bool(user_roles(user) & PORTAL_ROLES)


def is_board_member(user) -> bool:
    """Gives board feedback."""
    return Role.BOARD in user_roles(user)


# The owner and collaborators answer the board's feedback on their assessment.
responds_to_feedback = is_involved


def may_respond_to_feedback(user, assessment) -> bool:
    return responds_to_feedback.test(user, assessment)
