"""The user admin: the Admin role manages names, email, access and one role, and nothing more."""

import logging

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from thrive_edi.admin import OWN_RECORD_NOTE, RESET_LINK_SENT
from thrive_edi.roles import Role, user_roles
from thrive_edi.tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()


def change_url(user):
    return reverse("admin:auth_user_change", args=[user.pk])


def form_data(user, **changes):
    """What the change form posts for ``user`` when nothing is changed, with ``changes`` applied."""
    data = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "role": sorted(user_roles(user))[0].value,
        "_save": "Save",
    }
    if user.is_active:
        data["is_active"] = "on"
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def security_events(caplog, name):
    return [record for record in caplog.records if getattr(record, "event", None) == name]


@pytest.fixture
def signed_in_admin(client, admin_user_with_role):
    client.force_login(admin_user_with_role)
    return admin_user_with_role


def fresh(user):
    return User.objects.get(pk=user.pk)


# Must show: an Admin-role user cannot raise their own privileges or take over an account.


def test_an_admin_ticking_superuser_on_their_own_record_changes_nothing(client, signed_in_admin):
    client.post(change_url(signed_in_admin), form_data(signed_in_admin, is_superuser="on", is_staff="on"))
    assert fresh(signed_in_admin).is_superuser is False


def test_an_admin_ticking_superuser_on_someone_elses_record_changes_nothing(
    client, signed_in_admin, staff_user
):
    client.post(change_url(staff_user), form_data(staff_user, is_superuser="on", is_staff="on"))
    assert fresh(staff_user).is_superuser is False
    assert fresh(staff_user).is_staff is False


def test_an_admin_changing_their_own_role_changes_nothing(client, signed_in_admin):
    client.post(change_url(signed_in_admin), form_data(signed_in_admin, role=Role.APPROVER.value))
    assert user_roles(fresh(signed_in_admin)) == {Role.ADMIN}


def test_an_admin_adding_groups_or_permissions_to_their_own_record_changes_nothing(client, signed_in_admin):
    from django.contrib.auth.models import Group, Permission

    approver_group = Group.objects.get(name=Role.APPROVER.group_name)
    permission = Permission.objects.get(codename="sign_off_assessment")
    client.post(
        change_url(signed_in_admin),
        form_data(signed_in_admin, groups=[approver_group.pk], user_permissions=[permission.pk]),
    )
    user = fresh(signed_in_admin)
    assert user_roles(user) == {Role.ADMIN}
    assert not user.user_permissions.exists()


def test_an_admin_setting_another_users_password_changes_nothing(client, signed_in_admin, staff_user):
    url = reverse("admin:auth_user_password_change", args=[staff_user.pk])
    assert client.get(url).status_code == 403
    response = client.post(
        url, {"password1": "a-new-password-for-alice", "password2": "a-new-password-for-alice"}
    )
    assert response.status_code == 403
    assert fresh(staff_user).check_password(TEST_PASSWORD)


def test_an_admin_deactivating_themselves_changes_nothing(client, signed_in_admin):
    client.post(change_url(signed_in_admin), form_data(signed_in_admin, is_active=None))
    assert fresh(signed_in_admin).is_active is True


def test_the_own_record_says_why_role_and_access_cannot_be_changed(client, signed_in_admin):
    response = client.get(change_url(signed_in_admin))
    assert response.status_code == 200
    assert OWN_RECORD_NOTE in response.content.decode()


def test_an_admin_cannot_edit_a_superuser(client, signed_in_admin):
    superuser = UserFactory(username="root", is_superuser=True, is_staff=True)
    response = client.post(
        change_url(superuser), form_data(superuser, role=Role.STAFF.value, email="x@example.org")
    )
    assert response.status_code == 403
    assert fresh(superuser).email == "root@example.org"
    assert fresh(superuser).is_superuser is True


def test_the_user_form_shows_only_name_email_access_and_one_role(client, signed_in_admin, staff_user):
    response = client.get(change_url(staff_user))
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert set(form.fields) == {"first_name", "last_name", "email", "is_active", "role"}
    assert [value for value, _ in form.fields["role"].choices] == [role.value for role in Role]
    page = response.content.decode()
    for hidden in ("is_superuser", "is_staff", "user_permissions", "groups", "password"):
        assert f'name="{hidden}' not in page
    assert "/password/" not in page


# The normal path: roles and access change, each recorded and announced to the person.


def test_an_admin_changes_another_users_role(
    client, signed_in_admin, staff_user, caplog, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.INFO, logger="thrive_edi.security")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(change_url(staff_user), form_data(staff_user, role=Role.ADMIN.value))
    assert response.status_code == 302
    user = fresh(staff_user)
    assert user_roles(user) == {Role.ADMIN}
    assert user.is_staff is True
    (event,) = security_events(caplog, "role_changed")
    assert (event.username, event.subject) == ("dana", "alice")
    assert (event.old_roles, event.new_role) == (["staff"], "admin")
    (email,) = mail.outbox
    assert email.to == ["alice@example.org"]
    assert "Admin" in email.body and "dana" not in email.subject


def test_taking_the_admin_role_away_takes_away_staff_status(
    client, signed_in_admin, django_capture_on_commit_callbacks
):
    other_admin = UserFactory(username="erin", role=Role.ADMIN)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(change_url(other_admin), form_data(other_admin, role=Role.BOARD.value))
    user = fresh(other_admin)
    assert user_roles(user) == {Role.BOARD}
    assert user.is_staff is False


def test_an_admin_deactivates_and_reactivates_a_user(
    client, signed_in_admin, staff_user, caplog, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.INFO, logger="thrive_edi.security")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(change_url(staff_user), form_data(staff_user, is_active=None))
    assert fresh(staff_user).is_active is False
    with django_capture_on_commit_callbacks(execute=True):
        client.post(change_url(staff_user), form_data(fresh(staff_user), is_active="on"))
    assert fresh(staff_user).is_active is True
    assert [event.subject for event in security_events(caplog, "user_deactivated")] == ["alice"]
    assert [event.subject for event in security_events(caplog, "user_activated")] == ["alice"]
    assert [email.to for email in mail.outbox] == [["alice@example.org"], ["alice@example.org"]]


def test_changing_only_a_name_is_neither_logged_nor_emailed(
    client, signed_in_admin, staff_user, caplog, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.INFO, logger="thrive_edi.security")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(change_url(staff_user), form_data(staff_user, first_name="Alicia"))
    assert fresh(staff_user).first_name == "Alicia"
    assert not security_events(caplog, "role_changed")
    assert mail.outbox == []


def test_an_admin_sends_a_password_reset_link_instead(
    client, signed_in_admin, staff_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:auth_user_changelist"),
            {"action": "send_password_reset_link", "_selected_action": [staff_user.pk]},
            follow=True,
        )
    assert RESET_LINK_SENT.format(count=1) in response.content.decode()
    (email,) = mail.outbox
    assert email.to == ["alice@example.org"]
    assert "/password-reset/" in email.body
    assert fresh(staff_user).check_password(TEST_PASSWORD)


def test_an_admin_adds_a_user_who_chooses_their_own_password(
    client, signed_in_admin, caplog, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.INFO, logger="thrive_edi.security")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:auth_user_add"),
            {
                "username": "frank",
                "first_name": "Frank",
                "last_name": "Okafor",
                "email": "frank@example.org",
                "role": Role.APPROVER.value,
                "is_superuser": "on",
                "_save": "Save",
            },
        )
    assert response.status_code == 302
    frank = User.objects.get(username="frank")
    assert user_roles(frank) == {Role.APPROVER}
    assert frank.is_superuser is False and frank.is_staff is False
    assert [event.subject for event in security_events(caplog, "user_created")] == ["frank"]
    assert [email.to for email in mail.outbox][-1] == ["frank@example.org"]
    assert "/password-reset/" in mail.outbox[-1].body


def test_staff_cannot_open_the_user_admin(client, staff_user):
    client.force_login(staff_user)
    response = client.get(change_url(staff_user))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
