import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from thrive_edi.backends import RoleReadingBackend
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


@pytest.mark.django_db
@pytest.mark.parametrize(
    "roles",
    [(), (Role.STAFF,), (Role.STAFF, Role.APPROVER), (Role.BOARD, Role.ADMIN)],
    ids=["none", "staff", "staff and approver", "board and admin"],
)
def test_the_backend_reads_a_user_and_their_roles_in_one_query(
    user_factory, django_assert_num_queries, roles
):
    user = user_factory(username="ravi")
    for role in roles:
        Group.objects.get(name=ROLE_DEFINITIONS[role].group_name).user_set.add(user)
    Group.objects.create(name="Not a role").user_set.add(user)
    with django_assert_num_queries(1):
        signed_in = RoleReadingBackend().get_user(user.pk)
        assert user_roles(signed_in) == frozenset(roles)


@pytest.mark.django_db
def test_the_backend_refuses_inactive_and_unknown_users(user_factory):
    user = user_factory(username="ravi", role=Role.STAFF)
    user.is_active = False
    user.save()
    assert RoleReadingBackend().get_user(user.pk) is None
    assert RoleReadingBackend().get_user(user.pk + 1000) is None


@pytest.mark.django_db
def test_a_role_given_between_requests_counts_on_the_next_request(client, user_factory):
    user = user_factory(username="ravi", role=Role.STAFF)
    client.force_login(user)
    assert client.get(reverse("reporting:portal")).status_code == 403
    Group.objects.get(name=ROLE_DEFINITIONS[Role.BOARD].group_name).user_set.add(user)
    assert client.get(reverse("reporting:portal")).status_code == 200
