"""Writes with rules for users and roles."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.template.loader import render_to_string

from thrive_edi.audit import log_security_event
from thrive_edi.roles import ROLE_DEFINITIONS, Role
from thrive_edi.tasks import send_email, send_password_reset_link


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


# Role changes and (de)activation: recorded in the security log and announced to the person.
OWN_ROLE_REFUSAL = "Nobody may change their own role or switch off their own account."


def _email_person(person, template: str, context: dict) -> None:
    """Send ``emails/<template>`` to ``person`` in the background, once the change commits."""
    if not person.email:
        return
    context = {"person": person, "site_url": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
    body = render_to_string(f"emails/{template}.txt", context)
    recipients = [person.email]
    transaction.on_commit(lambda: send_email.enqueue(subject=subject, body=body, recipients=recipients))


def _refuse_own_record(*, user, changed_by) -> None:
    if user.pk == changed_by.pk:
        raise PermissionDenied(OWN_ROLE_REFUSAL)


@transaction.atomic
def user_role_set(*, user, role: Role, changed_by, request=None) -> bool:
    """Give ``user`` exactly one role (Admins are Django staff); False when it was theirs already."""
    _refuse_own_record(user=user, changed_by=changed_by)
    role_groups = Group.objects.filter(
        name__in=[definition.group_name for definition in ROLE_DEFINITIONS.values()]
    )
    by_group = {definition.group_name: role for role, definition in ROLE_DEFINITIONS.items()}
    held = user.groups.filter(pk__in=role_groups).values_list("name", flat=True)
    old_roles = sorted(by_group[name] for name in held)
    if old_roles == [role] and user.is_staff == (role is Role.ADMIN):
        return False
    user.groups.remove(*role_groups)
    user.groups.add(role_groups.get(name=role.group_name))
    user.is_staff = role is Role.ADMIN
    user.save(update_fields=["is_staff"])
    user._thrive_roles = None  # read again by user_roles
    log_security_event(
        "role_changed",
        request=request,
        username=changed_by.get_username(),
        subject=user.get_username(),
        old_roles=[old.value for old in old_roles],
        new_role=role.value,
    )
    _email_person(
        user,
        "role_changed",
        {"new_role": role.group_name, "old_roles": [old.group_name for old in old_roles]},
    )
    return True


@transaction.atomic
def user_active_set(*, user, active: bool, changed_by, request=None) -> bool:
    """Switch an account on or off; False when it already was."""
    _refuse_own_record(user=user, changed_by=changed_by)
    stored = type(user)._default_manager.select_for_update().get(pk=user.pk)
    user.is_active = active
    if stored.is_active == active:
        return False
    user.save(update_fields=["is_active"])
    event = "user_activated" if active else "user_deactivated"
    log_security_event(
        event, request=request, username=changed_by.get_username(), subject=user.get_username()
    )
    _email_person(user, event, {})
    return True


@transaction.atomic
def user_invite(*, user, role: Role, changed_by, request=None):
    """Save a new account made in admin and email its owner a link to choose their password.

    Nobody else ever knows its password: it starts with a random one nobody is told.
    """
    user.set_password(secrets.token_urlsafe(32))
    user.is_staff = role is Role.ADMIN
    user.is_superuser = False
    user.save()
    user.groups.add(Group.objects.get(name=role.group_name))
    log_security_event(
        "user_created",
        request=request,
        username=changed_by.get_username(),
        subject=user.get_username(),
        new_role=role.value,
    )
    if user.email:
        email = user.email
        transaction.on_commit(lambda: send_password_reset_link.enqueue(email=email))
    return user
