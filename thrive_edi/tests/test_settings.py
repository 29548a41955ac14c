import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from thrive_edi import settings as project_settings
from thrive_edi.settings import env_bool, env_database, env_int, env_list

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # The test process's own allowances (such as DJANGO_ALLOW_ASYNC_UNSAFE) are left out.
    unwanted = {"SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    base = {key: value for key, value in os.environ.items() if key not in unwanted}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_app_refuses_to_start_without_a_secret_key_when_debug_is_off():
    result = run_manage("check", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr
    assert "Traceback" not in result.stderr


PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "example.org",
    "DATABASE_URL": "postgres://thrive@db.example.org:5432/thrive_edi",  # checked, not reached
}


def test_production_settings_pass_the_deployment_checklist():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize("database_url", ["", "sqlite:////tmp/thrive.sqlite3"], ids=["empty", "sqlite"])
def test_the_deployment_checklist_warns_of_sqlite_with_debug_off(database_url):
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", **{**PRODUCTION, "DATABASE_URL": database_url}
    )
    assert result.returncode != 0
    assert "thrive_edi.W001" in result.stderr + result.stdout
    assert "Set DATABASE_URL to the PostgreSQL database" in result.stderr + result.stdout


@pytest.mark.parametrize("with_session", [False, True], ids=["no cookie", "a session cookie"])
def test_health_check_answers_503_when_the_database_cannot_be_reached(tmp_path, with_session):
    # A session cookie makes the session and sign-in machinery read the database: the health
    # check must answer before they do.
    script = (
        "import django; django.setup();"
        "from django.conf import settings;"
        "from django.test import Client;"
        "client = Client(raise_request_exception=False);"
        + ("client.cookies[settings.SESSION_COOKIE_NAME] = 'a' * 32;" if with_session else "")
        + "print(client.get('/healthz').status_code)"
    )
    base = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={
            **base,
            "DJANGO_SETTINGS_MODULE": "thrive_edi.settings",
            "DEBUG": "0",
            "SECRET_KEY": "x" * 50,
            "ALLOWED_HOSTS": "testserver",
            "SECURE_SSL_REDIRECT": "0",
            "DATABASE_URL": f"sqlite:///{tmp_path}/missing-folder/db.sqlite3",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.strip().splitlines()[-1] == "503", result.stderr


def test_production_hashes_passwords_with_argon2():
    assert project_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_production_runs_with_secure_cookies_and_strict_browser_headers():
    assert project_settings.DEBUG is False
    assert project_settings.SESSION_COOKIE_SECURE and project_settings.CSRF_COOKIE_SECURE
    assert project_settings.SESSION_COOKIE_HTTPONLY
    assert project_settings.SECURE_HSTS_SECONDS >= 31_536_000
    assert project_settings.X_FRAME_OPTIONS == "DENY"
    assert project_settings.SECURE_REFERRER_POLICY == "same-origin"


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("true", True), ("Yes", True), ("0", False), ("off", False)]
)
def test_boolean_variables_accept_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("THRIVE_FLAG", raw)
    assert env_bool("THRIVE_FLAG") is expected


def test_a_misspelt_boolean_is_refused_with_its_name(monkeypatch):
    monkeypatch.setenv("THRIVE_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="THRIVE_FLAG"):
        env_bool("THRIVE_FLAG")


def test_a_non_numeric_whole_number_is_refused_with_its_name(monkeypatch):
    monkeypatch.setenv("THRIVE_NUMBER", "ten")
    with pytest.raises(ImproperlyConfigured, match="THRIVE_NUMBER"):
        env_int("THRIVE_NUMBER", 1)


def test_lists_are_read_from_commas(monkeypatch):
    monkeypatch.setenv("THRIVE_HOSTS", "example.org, www.example.org,")
    assert env_list("THRIVE_HOSTS", []) == ["example.org", "www.example.org"]


@pytest.mark.parametrize("raw", [None, "", "  "])
def test_an_unset_or_empty_database_url_means_the_default_database(monkeypatch, raw):
    if raw is None:
        monkeypatch.delenv("DATABASE_URL", raising=False)
    else:
        monkeypatch.setenv("DATABASE_URL", raw)
    database = env_database("DATABASE_URL", "sqlite:////tmp/thrive.sqlite3")
    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert database["NAME"] == "/tmp/thrive.sqlite3"


def test_a_database_url_names_the_database(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://edi@db.internal:5433/thrive")
    database = env_database("DATABASE_URL", "sqlite:////tmp/thrive.sqlite3", conn_max_age=60)
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["HOST"], database["PORT"], database["NAME"], database["USER"]) == (
        "db.internal",
        5433,
        "thrive",
        "edi",
    )
    assert database["CONN_MAX_AGE"] == 60


def test_trusted_proxies_that_are_not_addresses_stop_the_app_with_a_clear_message():
    result = run_manage("check", DEBUG="1", TRUSTED_PROXIES="127.0.0.1, proxy.example.org")
    assert result.returncode != 0
    assert "TRUSTED_PROXIES must list addresses or networks" in result.stderr
    assert "'proxy.example.org'" in result.stderr
    assert "Traceback" not in result.stderr


def test_metrics_addresses_that_are_not_addresses_stop_the_app_with_a_clear_message():
    result = run_manage("check", DEBUG="1", METRICS_ALLOWED_ADDRESSES="10.0.0.0/8,monitoring")
    assert result.returncode != 0
    assert "METRICS_ALLOWED_ADDRESSES must list addresses or networks (10.0.0.0/8), not 'monitoring'" in (
        result.stderr
    )
    assert "Traceback" not in result.stderr


def test_trusted_proxies_take_addresses_and_networks():
    result = run_manage("check", DEBUG="1", TRUSTED_PROXIES="127.0.0.1,10.0.0.0/8,::1")
    assert result.returncode == 0, result.stderr


def cache_backend(**env: str) -> str:
    show = (
        "from django.conf import settings; c = settings.CACHES['default']; print(c['BACKEND'], c['LOCATION'])"
    )
    result = run_manage("shell", "-c", show, DEBUG="1", **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_the_rate_limit_cache_is_the_database_by_default_and_redis_on_request():
    assert cache_backend(CACHE_URL="") == "django.core.cache.backends.db.DatabaseCache thrive_edi_cache"
    assert (
        cache_backend(CACHE_URL="redis://127.0.0.1:6379/2")
        == "thrive_edi.redis_cache.SharedClientRedisCache redis://127.0.0.1:6379/2"
    )


def test_a_cache_in_process_memory_or_unknown_is_refused():
    result = run_manage("check", DEBUG="1", CACHE_URL="locmem://")
    assert result.returncode != 0
    assert "CACHE_URL" in result.stderr
    assert "Traceback" not in result.stderr
