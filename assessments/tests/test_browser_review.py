"""Review and sign-off in a real browser: request changes, reply, resubmit, sign off."""

import pytest

from assessments.models import Assessment, ReviewComment
from assessments.tests.factories import fill_assessment, make_assessment
from thrive_edi.roles import Role
from thrive_edi.tests.factories import TEST_PASSWORD
from thrive_edi.tests.two_factor import sign_in_in_browser

pytestmark = pytest.mark.browser


def sign_in(page, base_url, user):
    sign_in_in_browser(page, base_url, user, TEST_PASSWORD)


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


def test_changes_are_requested_answered_and_a_different_approver_signs_off(
    live_server, page, axe_check, staff_user, approver_user, user_factory
):
    second_approver = user_factory(username="erin", role=Role.APPROVER, first_name="Erin")
    assessment = fill_assessment(make_assessment(staff_user), user=staff_user)
    detail = f"{live_server.url}/assessments/{assessment.reference}/"

    # Staff submit from the check-answers page.
    sign_in(page, live_server.url, staff_user)
    page.goto(detail + "check/")
    page.get_by_role("button", name="Submit for review").click()
    page.wait_for_load_state()
    assert "In review" in page.content()
    sign_out(page)

    # An approver comments on a section and requests changes with a reason.
    sign_in(page, live_server.url, approver_user)
    page.goto(detail)
    page.get_by_role("button", name="Review this assessment").click()
    page.wait_for_load_state()
    axe_check(page)
    page.get_by_label("Comment on “Evidence and data”").fill("Name the listening events.")
    page.get_by_role("button", name="Add comment on Evidence and data").click()
    page.wait_for_load_state()
    assert "Name the listening events." in page.content()
    page.get_by_role("button", name="Request changes").click()
    page.wait_for_load_state()
    axe_check(page)
    page.get_by_role("button", name="Request changes").click()  # without a reason
    page.wait_for_load_state()
    assert "Say what needs to change" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("What needs to change?").fill("Please say which events informed the evidence.")
    page.get_by_role("button", name="Request changes").click()
    page.wait_for_load_state()
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.CHANGES_REQUESTED
    sign_out(page)

    # The owner sees the comment, replies, changes the section and resubmits.
    sign_in(page, live_server.url, staff_user)
    page.goto(detail)
    axe_check(page)
    assert "Name the listening events." in page.content()
    page.get_by_role("link", name="Evidence and data").click()
    page.wait_for_load_state()
    page.locator("summary", has_text="Reply or mark as resolved").first.click()
    page.get_by_label("Your reply").fill("Three events in Stratford, added to the answer.")
    page.get_by_role("button", name="Reply").click()
    page.wait_for_load_state()
    page.locator("[name='q-sources']").fill("Newham JSNA 2023 and listening events in Stratford (3).")
    page.locator("input[name='completed'][value='yes']").check()
    page.locator("button[name='intent'][value='later']").click()
    page.wait_for_load_state()
    page.goto(detail + "check/")
    page.get_by_role("button", name="Submit for review").click()
    page.wait_for_load_state()
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.IN_REVIEW
    assert ReviewComment.objects.filter(parent__isnull=False, author=staff_user).count() == 1
    sign_out(page)

    # A different approver signs off after the declaration.
    sign_in(page, live_server.url, second_approver)
    page.goto(detail + "review/")
    page.get_by_role("button", name="Go on to sign off").click()
    page.wait_for_load_state()
    axe_check(page)
    # No public summary was written: it is recorded as not published, with the reason.
    page.get_by_label("Why it is not published").fill("A pilot for one team.")
    page.get_by_label("I have reviewed this assessment in full", exact=False).check()
    page.get_by_role("button", name="Sign off").click()
    page.wait_for_load_state()
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.SIGNED_OFF
    assert assessment.signed_off_by == second_approver
    assert page.locator(".thrive-fingerprint").inner_text() == assessment.snapshot.sha256
    axe_check(page)
