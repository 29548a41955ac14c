"""The four roles of Thrive EDI, as Django groups with their permissions.

Roles live in code because the rules of the product depend on them; the groups and their
permissions are created by a data migration and kept in step after every migrate (and
every flush of a test database) by ``sync_roles``.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.apps import apps as global_apps

from thrive_edi.aggregates import split_joined


class Role(StrEnum):
    STAFF = "staff"
    APPROVER = "approver"
    BOARD = "board"
    ADMIN = "admin"

    @property
    def group_name(self) -> str:
        return ROLE_DEFINITIONS[self].group_name


@dataclass(frozen=True)
class RoleDefinition:
    group_name: str
    description: str
    # "app_label.codename", or "app_label.*" for every permission of an app.
    permissions: tuple[str, ...]


_STAFF_PERMISSIONS = (
    "assessments.add_assessment",
    "assessments.change_assessment",
    "assessments.view_assessment",
)

ROLE_DEFINITIONS: dict[Role, RoleDefinition] = {
    Role.STAFF: RoleDefinition(
        "Programme staff",
        "Create assessments; edit those they own or collaborate on; read all assessments.",
        _STAFF_PERMISSIONS,
    ),
    Role.APPROVER: RoleDefinition(
        "Approver",
        "Everything staff may do; review, comment on, request changes to and sign off "
        "other people's assessments.",
        (
            *_STAFF_PERMISSIONS,
            "assessments.review_assessment",
            "assessments.sign_off_assessment",
        ),
    ),
    Role.BOARD: RoleDefinition(
        "Advisory Board",
        "Read signed-off assessments and their PDFs, board packs and the dashboard; record board feedback.",
        (
            "reporting.view_boardpack",
            "reporting.add_boardfeedback",
        ),
    ),
    Role.ADMIN: RoleDefinition(
        "Admin",
        "Django admin: framework versions, the EIA template, pledges and their commitments, "
        "London's local authorities, users and roles.",
        (
            "frameworks.*",
            "pledges.add_pledge",
            "pledges.change_pledge",
            "pledges.view_pledge",
            "pledges.add_pledgeversion",
            "pledges.change_pledgeversion",
            "pledges.delete_pledgeversion",
            "pledges.view_pledgeversion",
            "pledges.add_commitment",
            "pledges.change_commitment",
            "pledges.delete_commitment",
            "pledges.view_commitment",
            "pledges.view_pledgereport",
            "places.*",
            "reporting.view_renderedpdf",
            "reporting.view_boardpack",
            "reporting.view_boardfeedback",
            "auth.add_user",
            "auth.change_user",
            "auth.view_user",
            "auth.view_group",
        ),
    ),
}


def sync_roles(*, apps=global_apps, using: str = "default") -> None:
    """Create the role groups and give each exactly the permissions its definition names.

    Permissions that do not exist yet (a model an app has not migrated) are skipped; the
    next migrate adds them.
    """
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    available = {
        (app_label, codename): pk
        for pk, app_label, codename in Permission.objects.using(using).values_list(
            "pk", "content_type__app_label", "codename"
        )
    }
    for definition in ROLE_DEFINITIONS.values():
        group, _ = Group.objects.using(using).get_or_create(name=definition.group_name)
        wanted = set()
        for spec in definition.permissions:
            app_label, codename = spec.split(".", 1)
            if codename == "*":
                wanted |= {pk for (label, _), pk in available.items() if label == app_label}
            elif (app_label, codename) in available:
                wanted.add(available[(app_label, codename)])
        group.permissions.set(wanted)


def sync_roles_after_migrate(sender, using="default", apps=global_apps, **kwargs) -> None:
    # post_migrate is sent once per app; act once, after the last app's permissions exist.
    with_models = [config for config in global_apps.get_app_configs() if config.models_module]
    if with_models and sender.label == with_models[-1].label:
        sync_roles(apps=apps, using=using)


_NOT_READ = object()
# How RoleReadingBackend joins a user's group names; role names hold no newline.
GROUP_SEPARATOR = "\n"


def user_roles(user) -> frozenset[Role]:
    """The roles of a user, read once per user object."""
    if user is None or not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_thrive_roles", None)
    if cached is None:
        by_group = {definition.group_name: role for role, definition in ROLE_DEFINITIONS.items()}
        joined = getattr(user, "group_names", _NOT_READ)  # read with the user by RoleReadingBackend
        if joined is _NOT_READ:
            names = user.groups.values_list("name", flat=True)
        else:
            names = split_joined(joined, GROUP_SEPARATOR)
        cached = frozenset(by_group[name] for name in names if name in by_group)
        if user.is_superuser:
            cached |= {Role.ADMIN}
        user._thrive_roles = cached
    return cached


def has_role(user, role: Role) -> bool:
    return role in user_roles(user)


def role_grants(user, permission: str) -> bool:
    """Whether one of the user's roles grants ``permission`` ("app_label.codename").

    The permissions each role's group holds, as ``sync_roles`` keeps them, read from the roles
    loaded with the user rather than by a query of the user's permissions.
    """
    app_label = permission.split(".", 1)[0]
    return any(
        permission in ROLE_DEFINITIONS[role].permissions
        or f"{app_label}.*" in ROLE_DEFINITIONS[role].permissions
        for role in user_roles(user)
    )
