import logging
import re

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.test import Client, RequestFactory
from django.urls import reverse

from thrive_edi.roles import Role
from thrive_edi.views import pages as views
from thrive_edi.views.pages import BAD_REQUEST_HEADING

OPEN_PAGES = [
    "/sign-in/",
    "/password-reset/",
    "/password-reset/sent/",
    "/healthz",
    "/accessibility/",
    "/privacy/",
]
CLOSED_PAGES = ["/", "/framework/", "/session/status/"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", OPEN_PAGES)
def test_open_pages_answer_anonymous_visitors(client, path):
    assert client.get(path).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("path", CLOSED_PAGES)
def test_every_other_page_sends_anonymous_visitors_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.url.startswith(f"{reverse('login')}?next=")


@pytest.mark.django_db
def test_health_check_answers_ok_when_the_database_is_reachable(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "headings"),
    [
        (Role.STAFF, {"Assess your work"}),
        # Approvers may do everything staff may, their own assessments included.
        (Role.APPROVER, {"Review and sign off", "Assess your work"}),
        (Role.BOARD, {"Hold the partnership to account"}),
        (Role.ADMIN, {"Keep the framework current"}),
    ],
)
def test_each_role_sees_what_to_do_next_on_its_home_page(client, user_factory, role, headings):
    client.force_login(user_factory(username=f"user-{role.value}", role=role))
    content = client.get("/").content.decode()
    assert all(heading in content for heading in headings)
    others = {
        "Assess your work",
        "Review and sign off",
        "Hold the partnership to account",
        "Keep the framework current",
    } - headings
    assert not any(other in content for other in others)


@pytest.mark.django_db
def test_a_user_without_a_role_is_told_to_ask_for_one(client, user_factory):
    client.force_login(user_factory(username="norole"))
    assert "does not have a role yet" in client.get("/").content.decode()


@pytest.mark.django_db
def test_only_admins_see_the_admin_link(client, staff_user, admin_user_with_role):
    client.force_login(staff_user)
    assert reverse("admin:index") not in client.get("/").content.decode()
    client.force_login(admin_user_with_role)
    assert reverse("admin:index") in client.get("/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("fixture", ["staff_user", "approver_user", "board_user"])
def test_only_the_admin_role_may_enter_django_admin(client, request, fixture):
    client.force_login(request.getfixturevalue(fixture))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


@pytest.mark.django_db
def test_django_staff_without_the_admin_role_may_not_enter_admin(client, user_factory):
    client.force_login(user_factory(username="staffer", is_staff=True))
    assert client.get(reverse("admin:index")).status_code == 302


@pytest.mark.django_db
def test_the_admin_role_enters_django_admin(client, admin_user_with_role):
    client.force_login(admin_user_with_role)
    assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.django_db
def test_signing_out_needs_a_post_and_ends_the_session(client, staff_user):
    client.force_login(staff_user)
    assert client.get(reverse("logout")).status_code == 405
    client.post(reverse("logout"))
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_unknown_pages_get_the_friendly_not_found_page(client, staff_user):
    client.force_login(staff_user)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@pytest.mark.django_db
def test_refused_permissions_get_a_friendly_page_and_are_logged(staff_user, caplog):
    caplog.set_level(logging.INFO, logger="thrive_edi.security")
    request = RequestFactory().get("/somewhere/")
    request.user = staff_user
    request.session = SessionStore()
    response = views.permission_denied(request, PermissionDenied())
    assert response.status_code == 403
    assert "You cannot see this page" in response.content.decode()
    assert [(r.event, r.username, r.path) for r in caplog.records] == [
        ("permission_denied", "alice", "/somewhere/")
    ]


@pytest.mark.django_db
def test_a_request_for_an_unknown_host_gets_the_branded_bad_request_page(client):
    response = client.get("/sign-in/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    page = response.content.decode()
    assert BAD_REQUEST_HEADING in page
    assert "build/thrive.css" in page and "Thrive EDI" in page


@pytest.mark.django_db
def test_a_form_with_too_many_fields_gets_the_branded_bad_request_page(client, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    response = client.post("/sign-in/", {f"field{n}": "x" for n in range(20)})
    assert response.status_code == 400
    assert BAD_REQUEST_HEADING in response.content.decode()


def test_the_bad_request_page_renders_without_any_request_context():
    response = views.bad_request(RequestFactory().get("/"), SuspiciousOperation())
    assert response.status_code == 400
    assert BAD_REQUEST_HEADING in response.content.decode()


def test_the_error_page_renders_without_any_request_context():
    response = views.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()


@pytest.mark.django_db
def test_password_reset_sends_a_link_that_sets_a_new_password(
    client, staff_user, mailoutbox, settings, django_capture_on_commit_callbacks
):
    from urllib.parse import urlsplit

    with django_capture_on_commit_callbacks(execute=True):  # the email is sent in the background
        client.post(reverse("password_reset"), {"email": staff_user.email})
    assert len(mailoutbox) == 1
    link = next(line for line in mailoutbox[0].body.splitlines() if "/password-reset/" in line)
    assert link.startswith(settings.SITE_URL)
    path = urlsplit(link).path
    form_page = client.get(path, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a brand new passphrase 2026", "new_password2": "a brand new passphrase 2026"},
    )
    assert response.status_code == 302
    staff_user.refresh_from_db()
    assert staff_user.check_password("a brand new passphrase 2026")


@pytest.mark.django_db
def test_password_reset_for_an_unknown_address_says_the_same_and_sends_nothing(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": "nobody@example.org"}, follow=True)
    assert "Check your email" in response.content.decode()
    assert mailoutbox == []


def csrf_client(user=None) -> Client:
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
    client.get(reverse("login") if user is None else "/")  # the browser holds a CSRF cookie
    return client


STALE_FORM = {
    "csrfmiddlewaretoken": "a" * 64,
    "q-sources": "Typed <b>before</b> signing in again.",
    "intent": "later",
    "password": "never-shown-again",
}


@pytest.mark.django_db
def test_a_form_with_a_stale_token_is_offered_again_with_what_was_typed(staff_user, caplog):
    client = csrf_client(staff_user)
    caplog.set_level(logging.INFO)
    caplog.clear()
    response = client.post(
        "/assessments/EIA-2026-0001/sections/evidence/?x=1", STALE_FORM, HTTP_ORIGIN="http://testserver"
    )
    page = response.content.decode()
    assert response.status_code == 403
    assert views.CSRF_SESSION_CHANGED_MESSAGE in page
    assert 'action="/assessments/EIA-2026-0001/sections/evidence/?x=1"' in page
    assert 'name="q-sources" value="Typed &lt;b&gt;before&lt;/b&gt; signing in again."' in page
    assert 'name="intent" value="later"' in page
    assert "never-shown-again" not in page and 'name="password"' not in page
    assert "a" * 64 not in page
    main = page.split("<main", 1)[1].split("</main>", 1)[0]
    assert main.count('name="csrfmiddlewaretoken"') == 1
    assert "<script" not in main  # nothing sends it by itself
    assert [r.name for r in caplog.records if r.name.startswith("django.security")] == []
    (line,) = [r for r in caplog.records if r.name == "thrive_edi.security"]
    assert (line.event, line.username, line.exc_info) == ("csrf_failure", "alice", None)


@pytest.mark.django_db
def test_a_post_from_another_site_is_never_offered_again(staff_user):
    client = csrf_client(staff_user)
    response = client.post("/assessments/", STALE_FORM, HTTP_ORIGIN="https://elsewhere.example")
    page = response.content.decode()
    assert response.status_code == 403
    assert views.CSRF_FROM_ELSEWHERE_MESSAGE in page
    assert "Typed" not in page
    assert 'name="q-sources"' not in page
    assert 'action="/assessments/"' not in page


@pytest.mark.django_db
def test_someone_signed_out_elsewhere_sees_what_they_typed_and_is_asked_to_sign_in(client):
    client = csrf_client()
    response = client.post("/assessments/", STALE_FORM, HTTP_ORIGIN="http://testserver")
    page = response.content.decode()
    assert response.status_code == 403
    assert "Typed &lt;b&gt;before&lt;/b&gt; signing in again." in page
    assert 'name="q-sources"' not in page  # shown to copy, not sent again while signed out
    assert reverse("login") in page
    assert "never-shown-again" not in page


@pytest.mark.django_db
def test_the_favicon_is_linked_from_every_page_and_found_at_the_root(client, staff_user):
    client.force_login(staff_user)
    page = client.get("/").content.decode()
    icons = re.findall(r'<link rel="icon" [^>]*href="/static/([^"]+)"', page)
    assert icons
    for icon in icons:
        assert finders.find(icon), icon
    response = Client().get("/favicon.ico")  # asked for by browsers before anyone signs in
    assert response.status_code == 302
    assert response.url == f"/static/{icons[0]}"
    assert icons[0].endswith(".ico")


@pytest.mark.django_db
def test_every_page_links_to_the_privacy_notice_in_its_footer(client):
    assert f'href="{reverse("privacy")}"' in client.get("/sign-in/").content.decode()


@pytest.mark.django_db
def test_the_privacy_notice_states_the_retention_periods_in_settings(client, settings):
    settings.RETENTION_FAILED_SIGN_IN_DAYS = 41
    settings.RETENTION_AUDIT_LOG_DAYS = 402
    settings.RETENTION_COMMUNITY_FEEDBACK_CONTACT_DAYS = 173
    content = client.get(reverse("privacy")).content.decode()
    assert "41 days" in content
    assert "402 days" in content
    assert "173 days" in content
    for held in ("Advisory Board feedback", "failed sign-in", "comments", "public task", "erase"):
        assert held in content
