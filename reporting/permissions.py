from thrive_edi.roles import Role, user_roles

PORTAL_ROLES = frozenset({Role.BOARD, Role.APPROVER, Role.ADMIN})


def may_use_portal(user) -> bool:
    """The board portal: the Advisory Board, approvers and admins."""
    return bool(user_roles(user) & PORTAL_ROLES)


def is_board_member(user) -> bool:
    return Role.BOARD in user_roles(user)
