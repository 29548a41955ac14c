"""Demo users: a try-out with DEBUG on, never a way in with DEBUG off."""

import pytest
from django.contrib.auth import get_user_model
from django.core.checks import Warning, run_checks
from django.core.management import call_command
from django.urls import reverse

from thrive_edi.checks import DEMO_USERS_EXIST
from thrive_edi.demo import DEMO_PASSWORD, DEMO_USERS, demo_users_load, is_demo_user
from thrive_edi.roles import Role
from thrive_edi.tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

INVALID_LOGIN = "Please enter a correct username and password"


def _load_demo_users(settings):
    settings.DEBUG = True
    users = demo_users_load()
    settings.DEBUG = False
    return users


def _sign_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_with_debug_off_the_demo_admin_cannot_sign_in(client, settings):
    _load_demo_users(settings)
    response = _sign_in(client, "admin", DEMO_PASSWORD)
    assert response.status_code == 200
    assert INVALID_LOGIN in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_with_debug_off_no_demo_user_signs_in(client, settings):
    _load_demo_users(settings)
    for username, *_ in DEMO_USERS:
        assert "_auth_user_id" not in _sign_in(client, username, DEMO_PASSWORD).wsgi_request.session, username


def test_with_debug_on_the_demo_admin_signs_in(client, settings):
    _load_demo_users(settings)
    settings.DEBUG = True
    response = _sign_in(client, "admin", DEMO_PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def test_a_demo_user_signed_in_before_debug_was_turned_off_is_signed_out(client, settings):
    users = _load_demo_users(settings)
    staff = next(user for user in users if user.username == "staff")
    client.force_login(staff)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_real_user_named_like_a_demo_user_signs_in_with_debug_off(client):
    UserFactory(username="admin", email="alex.nowak@nhs.example", role=Role.STAFF)
    assert _sign_in(client, "admin", TEST_PASSWORD).status_code == 302


def test_is_demo_user_knows_the_demo_users_by_name_and_demo_address(settings):
    assert not is_demo_user(UserFactory(username="approver2", email="approver@thrive-edi.localhost"))
    assert not is_demo_user(UserFactory(username="board", email="bola@nhs.example"))
    get_user_model().objects.filter(username="board").delete()
    for user in _load_demo_users(settings):
        assert is_demo_user(user), user.username


def _demo_warnings():
    messages = run_checks(include_deployment_checks=True)
    return [message for message in messages if message.id == DEMO_USERS_EXIST]


def test_the_deployment_checklist_warns_while_demo_users_exist(settings):
    assert _demo_warnings() == []
    _load_demo_users(settings)
    [warning] = _demo_warnings()
    assert isinstance(warning, Warning)
    assert "remove_demo_users" in warning.hint


def test_remove_demo_users_removes_them_and_the_warning(settings):
    _load_demo_users(settings)
    real = UserFactory(username="zainab")
    call_command("remove_demo_users")
    assert list(get_user_model().objects.all()) == [real]
    assert _demo_warnings() == []


def test_remove_demo_users_closes_a_demo_user_who_owns_records(settings):
    from assessments.tests.factories import make_assessment

    users = _load_demo_users(settings)
    staff = next(user for user in users if user.username == "staff")
    assessment = make_assessment(staff)
    call_command("remove_demo_users")
    staff.refresh_from_db()
    assert assessment.owner_id == staff.pk
    assert not staff.is_active
    assert not staff.has_usable_password()
    assert get_user_model().objects.count() == 1
    assert _demo_warnings() == []
