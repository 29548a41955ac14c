import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from thrive_edi.demo import DEMO_PASSWORD, DEMO_USERS
from thrive_edi.roles import Role, user_roles


@pytest.mark.django_db
def test_create_user_makes_a_user_with_the_role():
    call_command(
        "create_user",
        "zainab",
        "--role",
        "approver",
        "--password",
        "a long enough passphrase",
        "--email",
        "zainab@example.org",
    )
    user = get_user_model().objects.get(username="zainab")
    assert user_roles(user) == {Role.APPROVER}
    assert user.check_password("a long enough passphrase")
    assert not user.is_staff


@pytest.mark.django_db
def test_create_user_makes_admins_django_staff():
    call_command("create_user", "ola", "--role", "admin", "--password", "a long enough passphrase")
    assert get_user_model().objects.get(username="ola").is_staff


@pytest.mark.django_db
def test_create_user_refuses_a_weak_password_and_creates_nothing():
    with pytest.raises(CommandError, match="too short"):
        call_command("create_user", "weak", "--role", "staff", "--password", "short")
    assert not get_user_model().objects.filter(username="weak").exists()


@pytest.mark.django_db
def test_create_user_refuses_an_unknown_role():
    with pytest.raises(CommandError):
        call_command("create_user", "who", "--role", "superhero", "--password", "a long enough passphrase")


@pytest.mark.django_db
def test_demo_users_are_refused_when_debug_is_off():
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo")
    assert not get_user_model().objects.filter(username="staff").exists()


@pytest.mark.django_db
def test_demo_users_one_per_role_sign_in_with_the_demo_password(settings):
    settings.DEBUG = True
    call_command("load_demo")
    call_command("load_demo")  # a second run changes nothing
    request = RequestFactory().post("/sign-in/")
    for username, role, *_ in DEMO_USERS:
        user = authenticate(request, username=username, password=DEMO_PASSWORD)
        assert user is not None, username
        assert user_roles(user) == {role}
    assert get_user_model().objects.count() == len(DEMO_USERS)
