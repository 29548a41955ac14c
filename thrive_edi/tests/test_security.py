import json
import logging

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from thrive_edi.logging import JsonFormatter
from thrive_edi.tests.factories import TEST_PASSWORD

SIGN_IN = "/sign-in/"
LOCKED_OUT_TEXT = "Sign-in is paused for 15 minutes"


def attempt(client, username, password):
    return client.post(SIGN_IN, {"username": username, "password": password})


@pytest.mark.django_db
def test_sixth_wrong_password_is_refused_with_a_lock_out_message(client, staff_user):
    for _ in range(4):
        response = attempt(client, "alice", "wrong-password-123")
        assert response.status_code == 200
        assert "Please enter a correct username and password" in response.content.decode()
    fifth = attempt(client, "alice", "wrong-password-123")
    assert fifth.status_code == 429
    sixth = attempt(client, "alice", "wrong-password-123")
    assert sixth.status_code == 429
    assert LOCKED_OUT_TEXT in sixth.content.decode()


@pytest.mark.django_db
def test_the_right_password_also_waits_for_the_cool_off(client, staff_user):
    for _ in range(5):
        attempt(client, "alice", "wrong-password-123")
    response = attempt(client, "alice", TEST_PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_right_password_works_again_after_the_cool_off(client, staff_user):
    from datetime import timedelta

    from django.utils import timezone

    for _ in range(5):
        attempt(client, "alice", "wrong-password-123")
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    response = attempt(client, "alice", TEST_PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert client.session["_auth_user_id"] == str(staff_user.pk)


@pytest.mark.django_db
def test_pages_carry_the_security_headers(client):
    response = client.get(SIGN_IN, secure=True)
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "max-age=31536000" in response["Strict-Transport-Security"]
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy


@pytest.mark.django_db
def test_pages_deny_the_browser_features_the_app_does_not_use(client):
    policy = client.get(SIGN_IN, secure=True)["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "interest-cohort"):
        assert f"{feature}=()" in policy, feature


@pytest.mark.django_db
def test_session_cookie_is_secure_and_http_only_after_signing_in(client, staff_user):
    response = attempt(client, "alice", TEST_PASSWORD)
    cookie = response.cookies["__Host-sessionid"]
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


@pytest.mark.django_db
def test_secure_cookies_carry_the_host_prefix_path_root_and_no_domain(client, staff_user):
    csrf = client.get(SIGN_IN).cookies["__Host-csrftoken"]
    session = attempt(client, "alice", TEST_PASSWORD).cookies["__Host-sessionid"]
    for cookie in (csrf, session):
        assert cookie["secure"] is True
        assert cookie["path"] == "/"
        assert cookie["domain"] == ""


def test_cookies_keep_their_plain_names_when_they_are_not_secure():
    from thrive_edi.tests.test_settings import run_manage

    script = (
        "from django.conf import settings; print(settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME)"
    )
    plain = run_manage("shell", "--no-imports", "-c", script, DEBUG="1", SECURE_COOKIES="0")
    assert plain.stdout.split() == ["sessionid", "csrftoken"], plain.stderr
    secure = run_manage("shell", "--no-imports", "-c", script, DEBUG="1", SECURE_COOKIES="1")
    assert secure.stdout.split() == ["__Host-sessionid", "__Host-csrftoken"], secure.stderr


@pytest.mark.parametrize(
    "password",
    ["short-pass1", "password1234", "123456789012345"],
    ids=["eleven characters", "a common password", "only digits"],
)
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_long_passphrases_are_allowed():
    validate_password("a long passphrase about tea, buses and the river thames in november " * 2)


@pytest.mark.django_db
def test_sign_ins_failures_lock_outs_and_sign_outs_are_logged(client, staff_user, caplog):
    caplog.set_level(logging.INFO, logger="thrive_edi.security")
    attempt(client, "alice", TEST_PASSWORD)
    client.post(reverse("logout"))
    for _ in range(5):
        attempt(client, "alice", "wrong-password-123")
    events = [
        (record.event, record.username, record.ip)
        for record in caplog.records
        if record.name == "thrive_edi.security"
    ]
    assert ("login", "alice", "127.0.0.1") in events
    assert ("logout", "alice", "127.0.0.1") in events
    assert ("login_failed", "alice", "127.0.0.1") in events
    assert ("locked_out", "alice", "127.0.0.1") in events


def test_log_lines_are_json_with_a_utc_time():
    record = logging.makeLogRecord(
        {
            "name": "thrive_edi.security",
            "msg": "login",
            "levelname": "INFO",
            "levelno": 20,
            "event": "login",
            "username": "alice",
            "ip": "203.0.113.9",
        }
    )
    line = json.loads(JsonFormatter().format(record))
    assert line["event"] == "login"
    assert line["username"] == "alice"
    assert line["ip"] == "203.0.113.9"
    assert line["time"].endswith("+00:00")


# Behind the documented proxy: locks are per username and address together.
PROXY = "10.0.0.2"
CLIENT_1, CLIENT_2 = "198.51.100.1", "198.51.100.2"


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]


def attempt_from(client, address, username, password):
    return client.post(
        SIGN_IN,
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=address,
    )


@pytest.mark.django_db
def test_five_wrong_passwords_lock_that_username_from_that_address_only(
    client, behind_proxy, staff_user, approver_user, caplog
):
    caplog.set_level(logging.INFO, logger="thrive_edi.security")
    for _ in range(5):
        last = attempt_from(client, CLIENT_1, "alice", "wrong-password-123")
    assert last.status_code == 429
    assert attempt_from(client, CLIENT_1, "alice", TEST_PASSWORD).status_code == 429
    from django.test import Client

    bob_on_client_1 = attempt_from(Client(), CLIENT_1, "bob", TEST_PASSWORD)
    assert bob_on_client_1.status_code == 302
    alice_on_client_2 = attempt_from(Client(), CLIENT_2, "alice", TEST_PASSWORD)
    assert alice_on_client_2.status_code == 302
    lines = [(r.event, r.username, r.ip) for r in caplog.records if r.name == "thrive_edi.security"]
    assert ("locked_out", "alice", CLIENT_1) in lines
    assert ("login", "alice", CLIENT_2) in lines
    assert not [line for line in lines if line[2] == PROXY]


@pytest.mark.django_db
def test_the_right_password_during_a_lock_out_is_not_counted_as_a_failure(
    client, behind_proxy, staff_user, caplog
):
    caplog.set_level(logging.INFO, logger="thrive_edi.security")
    for _ in range(5):
        attempt_from(client, CLIENT_1, "alice", "wrong-password-123")
    before = AccessAttempt.objects.get(username="alice")
    for _ in range(3):
        assert attempt_from(client, CLIENT_1, "alice", TEST_PASSWORD).status_code == 429
    after = AccessAttempt.objects.get(username="alice")
    assert after.failures_since_start == 5
    assert after.attempt_time == before.attempt_time  # the cool-off is not restarted
    failures = [r for r in caplog.records if getattr(r, "event", None) == "login_failed"]
    assert len(failures) == 5


@pytest.mark.django_db
def test_the_lock_out_page_does_not_say_the_account_had_wrong_passwords(client, behind_proxy, staff_user):
    for _ in range(5):
        response = attempt_from(client, CLIENT_1, "alice", "wrong-password-123")
    page = response.content.decode().lower()
    assert response.status_code == 429
    assert LOCKED_OUT_TEXT.lower() in page
    for claim in ("wrong password", "your account is locked", "for this account"):
        assert claim not in page


@pytest.mark.django_db
def test_password_spraying_from_one_address_is_stopped_by_the_per_address_limit(
    client, behind_proxy, staff_user, settings
):
    assert settings.AXES_ADDRESS_FAILURE_LIMIT == 50
    for number in range(50):
        response = attempt_from(client, CLIENT_1, f"someone{number}", "Winter2026!")
        assert response.status_code == 200, number
    assert attempt_from(client, CLIENT_1, "someone-else", "Winter2026!").status_code == 429
    assert attempt_from(client, CLIENT_1, "alice", TEST_PASSWORD).status_code == 429
    from django.test import Client

    assert attempt_from(Client(), CLIENT_2, "alice", TEST_PASSWORD).status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("remote_addr", ["", "not-an-address"])
def test_a_missing_or_malformed_peer_address_does_not_break_sign_in(client, staff_user, remote_addr):
    wrong = client.post(SIGN_IN, {"username": "alice", "password": "wrong-1234567"}, REMOTE_ADDR=remote_addr)
    assert wrong.status_code == 200
    right = client.post(SIGN_IN, {"username": "alice", "password": TEST_PASSWORD}, REMOTE_ADDR=remote_addr)
    assert right.status_code == 302
