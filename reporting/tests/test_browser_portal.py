"""The board portal, an assessment's board page and the verification page, in Chromium with axe-core."""

import pytest

from reporting.models import RenderedPdf
from thrive_edi.tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.browser


def test_board_member_uses_the_portal_and_records_feedback(
    live_server, page, axe_check, board_user, signed_off
):
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Username").fill(board_user.username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Board portal").click()
    page.wait_for_load_state()
    axe_check(page)
    page.get_by_role("link", name=f"{signed_off.reference}: {signed_off.title}").click()
    page.wait_for_load_state()
    axe_check(page)
    page.get_by_label("Recommendation").check()
    page.get_by_label("The board's feedback").fill("Show outcomes by ethnicity every quarter.")
    page.get_by_role("button", name="Record the feedback").click()
    page.wait_for_load_state()
    assert "Show outcomes by ethnicity every quarter." in page.content()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the PDF").click()
    assert download.value.suggested_filename == f"{signed_off.reference}-v1.pdf"


def test_anyone_checks_a_pdf_on_the_verification_page(live_server, page, axe_check, signed_off, tmp_path):
    rendered = RenderedPdf.objects.get(snapshot=signed_off.snapshot)
    path = tmp_path / "assessment.pdf"
    with rendered.file.open("rb") as stored:
        path.write_bytes(stored.read())
    page.goto(f"{live_server.url}/verify/")
    axe_check(page)
    page.get_by_label("Upload the PDF").set_input_files(str(path))
    page.get_by_role("button", name="Check").click()
    page.wait_for_load_state()
    assert "It matches" in page.content()
    axe_check(page)
    page.get_by_label("Or enter the fingerprint").fill("0" * 64)
    page.get_by_role("button", name="Check").click()
    page.wait_for_load_state()
    assert "does not match" in page.content()
    axe_check(page)
