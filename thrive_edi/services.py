"""Writes with rules for users and roles."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from thrive_edi.roles import ROLE_DEFINITIONS, Role


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    role: Role,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    validate: bool = True,
):
    """Create a user with one role. Admins are Django staff, so that they may enter admin."""
    User = get_user_model()
    user = User(
        username=username,
        email=email,
        first_name=first_name,
        last_name=last_name,
        is_staff=role is Role.ADMIN,
    )
    if validate:
        validate_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    user.groups.add(Group.objects.get(name=ROLE_DEFINITIONS[role].group_name))
    return user
