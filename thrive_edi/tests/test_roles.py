import pytest
from django.contrib.auth.models import Group, Permission

from thrive_edi.roles import ROLE_DEFINITIONS, Role, has_role, sync_roles, user_roles


@pytest.mark.django_db
def test_migrations_create_one_group_per_role():
    names = set(Group.objects.values_list("name", flat=True))
    assert {definition.group_name for definition in ROLE_DEFINITIONS.values()} <= names


@pytest.mark.django_db
def test_each_group_holds_exactly_the_permissions_its_role_names():
    for role, definition in ROLE_DEFINITIONS.items():
        group = Group.objects.get(name=definition.group_name)
        held = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        for spec in definition.permissions:
            app_label, codename = spec.split(".")
            if not Permission.objects.filter(content_type__app_label=app_label).exists():
                continue  # the app has no models yet
            if codename == "*":
                every = Permission.objects.filter(content_type__app_label=app_label)
                assert {f"{app_label}.{p.codename}" for p in every} <= held
            else:
                assert spec in held, (role, spec)


@pytest.mark.django_db
def test_admins_may_manage_users_and_staff_may_not(user_factory):
    admin = user_factory(username="admin1", role=Role.ADMIN)
    staff = user_factory(username="staff1", role=Role.STAFF)
    assert admin.has_perm("auth.change_user")
    assert not staff.has_perm("auth.change_user")
    assert not staff.has_perm("auth.view_user")


@pytest.mark.django_db
def test_syncing_roles_again_changes_nothing():
    before = {g.name: set(g.permissions.values_list("pk", flat=True)) for g in Group.objects.all()}
    sync_roles()
    after = {g.name: set(g.permissions.values_list("pk", flat=True)) for g in Group.objects.all()}
    assert before == after


@pytest.mark.django_db
def test_a_user_has_the_roles_of_their_groups(user_factory):
    user = user_factory(username="dual", role=Role.APPROVER)
    user.groups.add(Group.objects.get(name=Role.BOARD.group_name))
    assert user_roles(user) == {Role.APPROVER, Role.BOARD}
    assert has_role(user, Role.BOARD)
    assert not has_role(user, Role.ADMIN)
