import pytest

from thrive_edi.roles import Role
from thrive_edi.views.pages import BAD_REQUEST_HEADING

pytestmark = pytest.mark.browser


def test_login_page_has_no_accessibility_violations(live_server, page, axe_check):
    page.goto(f"{live_server.url}/sign-in/")
    assert page.get_by_role("heading", level=1).inner_text() == "Sign in to Thrive EDI"
    axe_check(page)


def test_the_bad_request_page_is_branded_and_accessible(live_server, page, axe_check, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    query = "&".join(f"field{n}=x" for n in range(20))
    response = page.goto(f"{live_server.url}/sign-in/?{query}")
    assert response.status == 400
    assert page.get_by_role("heading", level=1).inner_text() == BAD_REQUEST_HEADING
    axe_check(page)


def test_the_privacy_notice_is_reached_from_the_footer_and_has_no_accessibility_violations(
    live_server, page, axe_check
):
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_role("contentinfo").get_by_role("link", name="Privacy notice").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Privacy notice for Thrive EDI"
    axe_check(page)


@pytest.mark.parametrize("role", list(Role))
def test_each_role_signs_in_to_an_accessible_home_page(
    live_server, page, sign_in, axe_check, user_factory, role
):
    user = user_factory(username=f"user-{role.value}", role=role, first_name="Robin")
    sign_in(page, user)
    assert page.url == f"{live_server.url}/"
    assert "Welcome, Robin" in page.get_by_role("heading", level=1).inner_text()
    axe_check(page)


def test_users_are_warned_before_the_idle_timeout_and_may_stay_signed_in(
    live_server, page, sign_in, axe_check, staff_user, settings
):
    settings.SESSION_IDLE_TIMEOUT = 100  # less than the two-minute warning: it shows at once
    sign_in(page, staff_user)
    warning = page.get_by_role("alertdialog", name="You will be signed out soon")
    warning.wait_for(state="visible")
    assert "2 minutes" in warning.inner_text()
    axe_check(page)

    settings.SESSION_IDLE_TIMEOUT = 30 * 60
    warning.get_by_role("button", name="Stay signed in").click()
    warning.wait_for(state="hidden")
    page.reload()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Welcome")


def test_anonymous_visitors_are_sent_to_sign_in_and_back_after(live_server, page, staff_user):
    from thrive_edi.tests.factories import TEST_PASSWORD

    page.goto(f"{live_server.url}/framework/")
    assert page.url.startswith(f"{live_server.url}/sign-in/")
    page.get_by_label("Username").fill(staff_user.username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/framework/")
