"""How people are named on pages, in emails, exports and signed-off documents."""


def person_name(user) -> str:
    """A person's full name, or their username when they have not given one."""
    return user.get_full_name() or user.get_username()
