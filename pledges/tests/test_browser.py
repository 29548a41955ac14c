"""The Pledge progress report's pages in a real browser, checked by axe-core: staff write
narrative, an approver signs it off and publishes it, anyone reads it on the register."""

import pytest

from pledges.tests.factories import make_pledge, seed_record

pytestmark = pytest.mark.browser

NARRATIVE = "Peer workers ran every session in the languages people asked for."


def test_the_report_is_written_signed_off_and_published_with_every_page_passing_axe(
    live_server, browser, axe_check, sign_in, staff_user, approver_user, board_user
):
    version = make_pledge(commitments=2)
    work = seed_record(
        staff_user, approver_user, board_user, list(version.commitments.order_by("number")), count=7
    )

    staff = browser.new_context().new_page()
    sign_in(staff, staff_user)
    staff.goto(f"{live_server.url}/assessments/{work[0].reference}/")
    staff.get_by_role("link", name="Change the commitments", exact=False).click()
    staff.wait_for_load_state()
    assert staff.get_by_role("heading", level=1).inner_text() == "Commitments this work serves"
    axe_check(staff)

    staff.goto(f"{live_server.url}/pledge-report/")
    assert staff.get_by_role("heading", level=1).inner_text() == "Pledge progress report 2026/27"
    assert staff.get_by_role("img", name="Participation by rung of the ladder").is_visible()
    axe_check(staff)
    staff.locator(f'a[href$="/narrative/{version.pledge_id}/1/did/"]').click()
    staff.wait_for_load_state()
    axe_check(staff)
    staff.locator("textarea").evaluate("element => element.removeAttribute('maxlength')")
    staff.get_by_label("What we did: narrative").fill("x" * 10001)
    staff.get_by_role("button", name="Save the narrative").click()
    staff.wait_for_load_state()
    assert staff.locator(".govuk-error-summary").is_visible()
    axe_check(staff)
    staff.get_by_label("What we did: narrative").fill(NARRATIVE)
    staff.get_by_role("button", name="Save the narrative").click()
    staff.wait_for_load_state()
    assert NARRATIVE in staff.locator("main").inner_text()

    approver = browser.new_context().new_page()
    sign_in(approver, approver_user)
    approver.goto(f"{live_server.url}/pledge-report/2026/")
    approver.get_by_role("link", name="Sign off the report").click()
    approver.wait_for_load_state()
    axe_check(approver)
    approver.get_by_label("I have read the report and it is ready to sign off").check()
    approver.get_by_role("button", name="Sign off the report").click()
    approver.wait_for_load_state()
    assert "Signed off by" in approver.locator("main").inner_text()
    axe_check(approver)
    approver.get_by_role("link", name="Publish the report on the public register").click()
    approver.wait_for_load_state()
    axe_check(approver)
    approver.get_by_role("checkbox").check()
    approver.get_by_role("button", name="Publish the report").click()
    approver.wait_for_load_state()

    public = browser.new_context().new_page()
    public.goto(f"{live_server.url}/register/")
    public.get_by_role("link", name="Pledge progress report 2026/27").click()
    public.wait_for_load_state()
    assert NARRATIVE in public.locator("main").inner_text()
    axe_check(public)
