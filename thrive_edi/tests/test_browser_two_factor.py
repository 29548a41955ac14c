"""Setting up an authenticator app and signing in with a code, in Chromium with axe-core."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from thrive_edi.tests.factories import TEST_PASSWORD
from thrive_edi.tests.two_factor import code_for, code_for_base32
from thrive_edi.two_factor.forms import WRONG_CODE

pytestmark = pytest.mark.browser


def sign_in_with_password(page, base_url, user):
    page.goto(f"{base_url}/sign-in/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def test_an_approver_sets_up_an_authenticator_app_and_signs_in_with_a_code(
    live_server, page, axe_check, approver_user
):
    sign_in_with_password(page, live_server.url, approver_user)
    assert page.url.startswith(f"{live_server.url}/account/security/set-up/")
    assert page.get_by_role("heading", level=1).inner_text() == "Set up your authenticator app"
    qr_code = page.get_by_role("img", name="QR code for your authenticator app")
    assert qr_code.is_visible()
    assert qr_code.bounding_box()["width"] >= 150
    key_text = page.get_by_test_id("authenticator-key").inner_text()
    assert len(key_text.replace(" ", "")) == 32
    axe_check(page)

    page.get_by_label("Code from your app").fill(code_for_base32(key_text))
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Save your recovery codes"
    codes = page.get_by_test_id("recovery-codes").get_by_role("listitem").all_inner_texts()
    assert len(codes) == 10
    axe_check(page)
    page.get_by_role("link", name="I have saved my recovery codes").click()
    page.wait_for_load_state()
    assert page.url == f"{live_server.url}/"

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()
    sign_in_with_password(page, live_server.url, approver_user)
    assert page.get_by_role("heading", level=1).inner_text() == "Enter the code from your authenticator app"
    axe_check(page)
    device = TOTPDevice.objects.get(user=approver_user)
    right = code_for(device)
    page.get_by_label("Code", exact=True).fill(f"{(int(right) + 1) % 1_000_000:06d}")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name=WRONG_CODE).is_visible()
    axe_check(page)

    page.wait_for_timeout(1100)  # the wait after one wrong code
    page.get_by_label("Code", exact=True).fill(code_for(device))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()
    assert page.url == f"{live_server.url}/"
    assert page.get_by_role("heading", level=1).inner_text().startswith("Welcome")


def test_staff_find_the_account_security_page_and_it_is_accessible(
    live_server, page, axe_check, sign_in, staff_user
):
    sign_in(page, staff_user)
    page.get_by_role("link", name="Account security").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Account security"
    axe_check(page)
