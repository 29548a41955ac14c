"""Home pages of each role, search results, email settings and the board's answers page, in a
real browser checked by axe-core."""

from datetime import timedelta

import pytest
from django.utils import timezone

from assessments import lifecycle, services
from assessments.tests.factories import add_action, fill_assessment, make_assessment
from frameworks.models import Section
from reporting import services as reporting_services
from thrive_edi.models import EmailFrequency, Preferences
from thrive_edi.tests.factories import TEST_PASSWORD
from thrive_edi.tests.two_factor import sign_in_in_browser

pytestmark = pytest.mark.browser


def sign_in(page, base_url, user):
    sign_in_in_browser(page, base_url, user, TEST_PASSWORD)


def _returned(owner, approver):
    assessment = fill_assessment(make_assessment(owner, title="Peer support in Newham"), user=owner)
    add_action(assessment, action="Book the velodrome for the summer.", due_date=timezone.localdate())
    services.assessment_submit(assessment=assessment, user=owner)
    section = Section.objects.filter(version=assessment.framework_version).order_by("order").first()
    lifecycle.comment_add(assessment=assessment, user=approver, text="Say who was asked.", section=section)
    lifecycle.assessment_request_changes(assessment=assessment, user=approver, reason="See the comment.")
    return assessment


def test_staff_find_what_waits_for_them_search_and_choose_a_daily_summary(
    live_server, page, axe_check, staff_user, approver_user, board_user, sign_off
):
    signed = sign_off(
        fill_assessment(make_assessment(staff_user, title="Crisis cafés in Brent"), user=staff_user)
    )
    reporting_services.feedback_add(assessment=signed, user=board_user, kind="comment", text="Who was asked?")
    returned = _returned(staff_user, approver_user)

    sign_in(page, live_server.url, staff_user)
    assert returned.reference in page.locator("#returned").inner_text()
    assert "Say who was asked." in page.locator("#comments-to-address").inner_text()
    assert "Book the velodrome" in page.locator("#actions-due").inner_text()
    assert signed.reference in page.locator("#feedback-to-respond-to").inner_text()
    axe_check(page)

    page.goto(f"{live_server.url}/assessments/?scope=all")
    page.get_by_label("Search").fill("velodrome")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_load_state()
    assert page.locator("tbody tr").count() == 1
    assert page.locator("mark").first.inner_text().lower() == "velodrome"
    axe_check(page)

    page.get_by_role("link", name="Email settings").click()
    page.wait_for_load_state()
    axe_check(page)
    page.get_by_label("Once a day, in one email (a daily digest)").check()
    page.get_by_role("button", name="Save your email settings").click()
    page.wait_for_load_state()
    assert Preferences.objects.get(user=staff_user).email_frequency == EmailFrequency.DAILY
    axe_check(page)


def test_an_approver_sends_a_round_of_comments_from_the_review_page(
    live_server, page, axe_check, staff_user, approver_user, mailoutbox
):
    assessment = fill_assessment(make_assessment(staff_user, title="Crisis cafés in Brent"), user=staff_user)
    services.assessment_submit(assessment=assessment, user=staff_user)
    lifecycle.comment_add(assessment=assessment, user=approver_user, text="Name the listening events.")

    sign_in(page, live_server.url, approver_user)
    assert "Crisis cafés in Brent" in page.locator("#review-queue").inner_text()
    axe_check(page)

    page.goto(f"{live_server.url}/assessments/{assessment.reference}/review/")
    page.get_by_role("button", name="Send your comments").click()
    page.wait_for_load_state()
    assert "The team has been told about all your comments." in page.locator("main").inner_text()
    axe_check(page)
    [email] = [sent for sent in mailoutbox if sent.subject == f"Review comments on {assessment.reference}"]
    assert email.to == [staff_user.email]
    assert "Name the listening events." in email.body


def test_board_members_see_what_is_new_search_and_read_the_answers(
    live_server, page, axe_check, staff_user, board_user, sign_off
):
    Preferences.objects.create(user=board_user, last_visit_at=timezone.now() - timedelta(days=1))
    signed = fill_assessment(make_assessment(staff_user, title="Crisis cafés in Brent"), user=staff_user)
    add_action(signed, action="Hire the velodrome for a community day.")
    signed = sign_off(signed)

    sign_in(page, live_server.url, board_user)
    assert "Crisis cafés in Brent" in page.locator("#newly-signed-off").inner_text()
    axe_check(page)

    page.goto(f"{live_server.url}/board/?q=velodrome")
    assert page.locator("tbody tr").count() == 1
    assert page.locator("mark").first.inner_text().lower() == "velodrome"
    axe_check(page)

    page.get_by_role("link", name=f"{signed.reference}: Crisis cafés in Brent").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Read all the answers on a web page").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "All answers"
    axe_check(page)
