"""Fixtures shared by every app's tests: users with roles, a signed-off assessment, and a real
browser with axe-core."""

import os

# Playwright's sync API keeps an event loop in the main thread; Django must be told that
# database access from that thread is fine. This must run before Django touches the database.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import shutil

import pytest
from django.test.utils import override_settings

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")

# Tests serve static files through Django's finders (as the live server does) rather than
# from a collected manifest; plain HTTP on localhost, so no HTTPS redirect. These apply
# before any request handler exists, which is why they are not per-test fixtures.
override_settings(
    STORAGES={
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    },
    SECURE_SSL_REDIRECT=False,
    PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
).enable()


def pytest_collection_modifyitems(config, items):
    if shutil.which(CHROMIUM) or os.path.exists(CHROMIUM):
        return
    if os.environ.get("CI", "").lower() == "true":
        raise pytest.UsageError(
            f"Chromium is missing at {CHROMIUM}: browser tests cannot run, and in CI they may not be "
            "skipped. Install it with: apt-get install -y chromium"
        )
    skip = pytest.mark.skip(reason=f"Chromium is missing at {CHROMIUM} (apt-get install -y chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-gpu",
        ],
    }


@pytest.fixture
def user_factory(db):
    from thrive_edi.tests.factories import UserFactory

    return UserFactory


@pytest.fixture
def staff_user(db):
    from thrive_edi.roles import Role
    from thrive_edi.tests.factories import UserFactory

    return UserFactory(username="alice", role=Role.STAFF, first_name="Alice")


@pytest.fixture
def approver_user(db):
    from thrive_edi.roles import Role
    from thrive_edi.tests.factories import UserFactory

    return UserFactory(username="bob", role=Role.APPROVER, first_name="Bob")


@pytest.fixture
def board_user(db):
    from thrive_edi.roles import Role
    from thrive_edi.tests.factories import UserFactory

    return UserFactory(username="charlie", role=Role.BOARD, first_name="Charlie")


@pytest.fixture
def admin_user_with_role(db):
    from thrive_edi.roles import Role
    from thrive_edi.tests.factories import UserFactory

    return UserFactory(username="dana", role=Role.ADMIN, first_name="Dana")


@pytest.fixture(autouse=True)
def _force_login_gives_the_second_factor(request, monkeypatch):
    """``client.force_login`` signs a user in fully, as the sign-in pages do: users who need a
    second factor (Approvers, Admins, anyone who set one up) get an authenticator app, verified
    in the session. Tests marked ``password_only`` get a session signed in with the password
    alone."""
    if request.node.get_closest_marker("password_only"):
        return
    from django.test import Client
    from django_otp import user_has_device

    from thrive_edi.tests.two_factor import verify_in_session
    from thrive_edi.two_factor.policy import second_factor_required

    password_only = Client.force_login

    def force_login(client, user, backend=None):
        password_only(client, user, backend)
        if second_factor_required(user) or user_has_device(user):
            verify_in_session(client, user)

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture(autouse=True)
def _rate_limits_start_afresh(request, django_db_blocker):
    """Rate-limit counters live in the database cache, which a transactional test's flush leaves
    alone: empty it after tests that commit, so that one test's sign-ins never count in another."""
    yield
    if {"live_server", "transactional_db"} & set(request.fixturenames):
        from django.core.cache import cache

        with django_db_blocker.unblock():
            cache.clear()


@pytest.fixture
def axe_check():
    """Run axe-core's WCAG 2.0/2.1/2.2 A and AA rules on a page and fail on any violation."""
    from thrive_edi.tests.accessibility import assert_no_axe_violations

    return assert_no_axe_violations


@pytest.fixture
def sign_in(live_server):
    """Sign a user in through the real sign-in pages of the live server (with a code from an
    authenticator app for those who need one)."""
    from thrive_edi.tests.factories import TEST_PASSWORD
    from thrive_edi.tests.two_factor import sign_in_in_browser

    def _sign_in(page, user, password=TEST_PASSWORD):
        sign_in_in_browser(page, live_server.url, user, password)
        return page

    return _sign_in


@pytest.fixture(scope="session")
def live_server(django_db_setup, live_server):
    """The live server, stopped before the test databases are dropped (it holds a connection)."""
    return live_server


@pytest.fixture(scope="session", autouse=True)
def _end_stray_database_sessions(django_db_setup, django_db_blocker):
    """Before a PostgreSQL test database is dropped, end sessions that request threads left open."""
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture
def sign_off(approver_user, django_capture_on_commit_callbacks):
    """Submit and sign off an assessment; the PDF is rendered as the sign-off commits."""
    from assessments import lifecycle, services

    def _sign_off(assessment, approver=approver_user):
        services.assessment_submit(assessment=assessment, user=assessment.owner)
        with django_capture_on_commit_callbacks(execute=True):
            lifecycle.assessment_sign_off(assessment=assessment, user=approver, declaration=True)
        assessment.refresh_from_db()
        return assessment

    return _sign_off


@pytest.fixture
def signed_off(staff_user, sign_off):
    """A filled-in assessment of the staff user's, signed off."""
    from assessments.tests.factories import fill_assessment, make_assessment

    return sign_off(fill_assessment(make_assessment(staff_user), user=staff_user))
