"""The pages that ask people to wait: polite, branded and accessible."""

import re

import pytest

from thrive_edi.throttling import RATE_LIMITED_TITLE

pytestmark = pytest.mark.browser


def test_a_refused_reset_request_gets_an_accessible_page_asking_to_wait(
    live_server, page, axe_check, settings
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "password_reset_address": "1/15m"}
    for attempt in range(2):
        page.goto(f"{live_server.url}/password-reset/")
        page.get_by_label("Email address").fill(f"person{attempt}@example.org")
        page.get_by_role("button", name="Send the link").click()
    assert page.get_by_role("heading", level=1).inner_text() == RATE_LIMITED_TITLE
    assert re.search(r"Please wait (\d+) minutes?, then try again", page.content())
    assert page.title().startswith(RATE_LIMITED_TITLE)
    axe_check(page)


def test_a_paused_sign_in_gets_an_accessible_page_that_blames_no_account(
    live_server, page, axe_check, staff_user, settings
):
    settings.AXES_FAILURE_LIMIT = 1
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Username").fill(staff_user.username)
    page.get_by_label("Password").fill("a-wrong-password")
    page.get_by_role("button", name="Sign in").click()
    heading = page.get_by_role("heading", level=1).inner_text()
    assert heading == "Sign-in is paused for 15 minutes"
    assert "wrong password" not in page.content().lower()
    axe_check(page)
