import logging

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.urls import reverse

from thrive_edi import views
from thrive_edi.roles import Role

OPEN_PAGES = ["/sign-in/", "/password-reset/", "/password-reset/sent/", "/healthz", "/accessibility/"]
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
    ("role", "heading"),
    [
        (Role.STAFF, "Assess your work"),
        (Role.APPROVER, "Review and sign off"),
        (Role.BOARD, "Hold the partnership to account"),
        (Role.ADMIN, "Keep the framework current"),
    ],
)
def test_each_role_sees_what_to_do_next_on_its_home_page(client, user_factory, role, heading):
    client.force_login(user_factory(username=f"user-{role.value}", role=role))
    content = client.get("/").content.decode()
    assert heading in content
    others = {
        "Assess your work",
        "Review and sign off",
        "Hold the partnership to account",
        "Keep the framework current",
    } - {heading}
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


def test_the_error_page_renders_without_any_request_context():
    response = views.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()


@pytest.mark.django_db
def test_password_reset_sends_a_link_that_sets_a_new_password(client, staff_user, mailoutbox):
    client.post(reverse("password_reset"), {"email": staff_user.email})
    assert len(mailoutbox) == 1
    link = next(line for line in mailoutbox[0].body.splitlines() if "/password-reset/" in line)
    path = link.split("testserver", 1)[1]
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
def test_password_reset_for_an_unknown_address_says_the_same_and_sends_nothing(client, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"}, follow=True)
    assert "Check your email" in response.content.decode()
    assert mailoutbox == []
