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
LOCKED_OUT_TEXT = "Your account is locked for 15 minutes"


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
