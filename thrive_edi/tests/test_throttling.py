"""Rate limits on the pages that can be automated, kept in the shared cache."""

import logging
import os

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.urls import reverse
from django_tasks import default_task_backend

from thrive_edi.tests.factories import TEST_PASSWORD
from thrive_edi.throttling import RATE_LIMITED_TITLE

pytestmark = pytest.mark.django_db

RESET = reverse("password_reset")


def ask_for_reset(client, email, address="198.51.100.1"):
    return client.post(RESET, {"email": email}, REMOTE_ADDR=address)


@pytest.fixture
def queued_tasks(settings):
    """Tasks are queued, not run: what a request does before its answer."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()
    yield default_task_backend
    default_task_backend.clear()


def test_the_sixth_reset_request_from_one_address_is_refused_politely(client, settings, caplog):
    caplog.set_level(logging.INFO, logger="thrive_edi.security")
    assert settings.RATE_LIMITS["password_reset_address"] == "5/15m"
    for number in range(5):
        response = ask_for_reset(client, f"person{number}@example.org")
        assert response.status_code == 302, number
    sixth = ask_for_reset(client, "person6@example.org")
    assert sixth.status_code == 429
    page = sixth.content.decode()
    assert RATE_LIMITED_TITLE in page
    assert "Thrive" in page  # the site's own layout
    assert int(sixth["Retry-After"]) > 0
    assert ask_for_reset(client, "person7@example.org", address="198.51.100.2").status_code == 302
    assert [r.limit for r in caplog.records if getattr(r, "event", None) == "rate_limited"] == [
        "password_reset_address"
    ]


def test_reset_requests_for_one_account_are_limited_from_any_address(client, settings):
    assert settings.RATE_LIMITS["password_reset_account"] == "3/h"
    for number in range(3):
        assert ask_for_reset(client, "alice@example.org", address=f"198.51.100.{number}").status_code == 302
    assert ask_for_reset(client, " ALICE@example.org", address="198.51.100.9").status_code == 429


def test_the_reset_email_is_sent_in_the_background_for_known_and_unknown_addresses_alike(
    client, staff_user, queued_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        known = ask_for_reset(client, "alice@example.org")
        unknown = ask_for_reset(client, "nobody@example.org", address="198.51.100.2")
    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url
    assert mail.outbox == []
    queued = [(result.task.name, result.kwargs) for result in queued_tasks.results]
    assert queued == [
        ("send_password_reset_link", {"email": "alice@example.org"}),
        ("send_password_reset_link", {"email": "nobody@example.org"}),
    ]


def test_the_queued_reset_email_reaches_a_known_address_only(
    client, staff_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ask_for_reset(client, "alice@example.org")
        ask_for_reset(client, "nobody@example.org")
    (email,) = mail.outbox
    assert email.to == ["alice@example.org"]
    assert "/password-reset/" in email.body


def test_sign_in_requests_from_one_address_are_limited(client, settings, staff_user):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "sign_in": "3/m"}
    for _ in range(3):
        client.post(reverse("login"), {"username": "nobody", "password": "x"}, REMOTE_ADDR="198.51.100.1")
    refused = client.post(
        reverse("login"), {"username": "alice", "password": TEST_PASSWORD}, REMOTE_ADDR="198.51.100.1"
    )
    assert refused.status_code == 429
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("login"), REMOTE_ADDR="198.51.100.1").status_code == 200


def test_limits_are_counted_in_the_shared_database_cache(client, settings):
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    table = settings.CACHES["default"]["LOCATION"]
    assert table in connection.introspection.table_names()
    ask_for_reset(client, "person@example.org")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
        assert cursor.fetchone()[0] >= 1


def test_limits_hold_in_redis(client, settings):
    from thrive_edi.tests.redis_server import require_redis

    url = "redis://127.0.0.1:6379/15"
    require_redis(url)
    backend = "thrive_edi.redis_cache.SharedClientRedisCache"
    settings.CACHES = {"default": {"BACKEND": backend, "LOCATION": url}}
    cache.clear()
    try:
        for number in range(5):
            assert ask_for_reset(client, f"person{number}@example.org").status_code == 302
        assert ask_for_reset(client, "person6@example.org").status_code == 429
    finally:
        cache.clear()


def test_migrate_makes_the_cache_table_on_a_fresh_database(tmp_path):
    import sqlite3
    import subprocess
    import sys
    from pathlib import Path

    database = tmp_path / "fresh.sqlite3"
    environment = {**os.environ, "DEBUG": "1", "DATABASE_URL": f"sqlite:///{database}", "CACHE_URL": ""}
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--verbosity", "0"],
        cwd=Path(__file__).resolve().parents[2],
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    tables = {row[0] for row in sqlite3.connect(database).execute("SELECT name FROM sqlite_master")}
    assert "thrive_edi_cache" in tables
