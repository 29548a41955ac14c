"""Pages met around the wizard, in a real browser checked by axe-core: a form left open across
a new sign-in, refusals that say why, the approver's review queue and the home pages."""

import pytest

from assessments import lifecycle, services
from assessments.models import Assessment
from assessments.tests.factories import answer_of, fill_assessment, make_assessment
from thrive_edi.tests.factories import TEST_PASSWORD
from thrive_edi.tests.two_factor import sign_in_in_browser
from thrive_edi.views.pages import CSRF_SESSION_CHANGED_MESSAGE

pytestmark = pytest.mark.browser

TYPED = "Newham JSNA 2023, typed before signing in again in another tab."


def sign_in(page, base_url, user):
    sign_in_in_browser(page, base_url, user, TEST_PASSWORD)


def test_a_form_left_open_across_a_new_sign_in_keeps_what_was_typed_for_one_more_press(
    live_server, context, axe_check, staff_user
):
    assessment = make_assessment(staff_user)
    first = context.new_page()
    sign_in(first, live_server.url, staff_user)
    first.goto(f"{live_server.url}/assessments/{assessment.reference}/sections/evidence/")
    first.locator("[name='q-sources']").fill(TYPED)

    # In another tab of the same browser: sign out and in again (a new session and token).
    second = context.new_page()
    second.goto(f"{live_server.url}/")
    second.get_by_role("button", name="Sign out").click()
    second.wait_for_load_state()
    sign_in(second, live_server.url, staff_user)

    first.locator("button[name='intent'][value='later']").click()
    first.wait_for_load_state()
    assert first.get_by_role("heading", level=1).inner_text() == CSRF_SESSION_CHANGED_MESSAGE
    assert TYPED in first.locator("main").inner_text()
    assert answer_of(assessment, "sources") is None  # nothing is sent again without a press
    axe_check(first)

    first.get_by_role("button", name="Send your answers again").click()
    first.wait_for_load_state()
    assert answer_of(assessment, "sources") == TYPED
    assert first.url.endswith(f"/assessments/{assessment.reference}/")
    axe_check(first)


def test_answers_posted_to_a_section_signed_off_meanwhile_are_shown_back_with_the_reason(
    live_server, page, axe_check, staff_user, approver_user, django_capture_on_commit_callbacks
):
    assessment = fill_assessment(make_assessment(staff_user), user=staff_user)
    sign_in(page, live_server.url, staff_user)
    page.goto(f"{live_server.url}/assessments/{assessment.reference}/sections/evidence/")
    page.locator("[name='q-sources']").fill(TYPED)

    services.assessment_submit(assessment=assessment, user=staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.assessment_sign_off(assessment=assessment, user=approver_user, declaration=True)

    page.locator("button[name='intent'][value='later']").click()
    page.wait_for_load_state()
    main = page.locator("main").inner_text()
    assert "This assessment is signed off and can no longer be changed." in main
    assert "Your role does not allow" not in main
    assert TYPED in main
    axe_check(page)
    page.get_by_role("link", name=f"Go back to {assessment.reference}").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/assessments/{assessment.reference}/")


def test_approvers_see_what_waits_for_their_review_on_their_home_page_and_in_the_list(
    live_server, page, axe_check, staff_user, approver_user
):
    waiting = fill_assessment(make_assessment(staff_user, title="Crisis cafés in Brent"), user=staff_user)
    services.assessment_submit(assessment=waiting, user=staff_user)
    own = fill_assessment(make_assessment(approver_user, title="Approver's own work"), user=approver_user)
    services.assessment_submit(assessment=own, user=approver_user)
    make_assessment(staff_user, title="Still a draft")

    sign_in(page, live_server.url, approver_user)
    queue = page.locator("#review-queue")
    assert "Crisis cafés in Brent" in queue.inner_text()
    assert "Approver's own work" not in queue.inner_text()
    axe_check(page)

    page.get_by_role("link", name="Assessments", exact=True).click()
    page.wait_for_load_state()
    table = page.locator("table").inner_text()
    assert "Crisis cafés in Brent" in table
    assert "Approver's own work" not in table and "Still a draft" not in table
    assert page.locator("[aria-current='page']", has_text="Waiting for your review").count() == 1
    axe_check(page)

    page.get_by_role("link", name=waiting.reference).click()
    page.wait_for_load_state()
    assert Assessment.objects.get(pk=waiting.pk).status == Assessment.Status.IN_REVIEW


def test_staff_start_an_assessment_from_their_home_page(live_server, page, axe_check, staff_user):
    sign_in(page, live_server.url, staff_user)
    axe_check(page)
    page.get_by_role("button", name="Start an assessment").click()
    page.wait_for_load_state()
    assert page.url.endswith("/assessments/new/")


def test_the_review_and_sign_off_pages_say_what_happens(
    live_server, page, axe_check, staff_user, approver_user
):
    assessment = fill_assessment(make_assessment(staff_user), user=staff_user)
    services.assessment_submit(assessment=assessment, user=staff_user)
    comment = lifecycle.comment_add(
        assessment=assessment, user=approver_user, text="Name the listening events."
    )
    lifecycle.comment_reply(comment=comment, user=staff_user, text="Three events in Stratford.")
    detail = f"{live_server.url}/assessments/{assessment.reference}/"

    sign_in(page, live_server.url, approver_user)
    page.goto(detail + "review/")
    axe_check(page)
    request_changes = page.get_by_role("button", name="Request changes")
    assert "govuk-button--secondary" in request_changes.get_attribute("class").split()
    page.get_by_role("button", name="Go on to sign off").click()
    page.wait_for_load_state()
    main = page.locator("main").inner_text()
    assert "1 comment is not marked as resolved" in main
    assert "Name the listening events." in main and "1 reply" in main
    axe_check(page)
    # No public summary was written: it can only be recorded as not published, with the reason.
    assert page.get_by_label("Do not publish").is_checked()
    page.get_by_label("I have reviewed this assessment in full", exact=False).check()
    page.get_by_role("button", name="Sign off").click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name="Say why it is not published").count() == 1
    assert page.get_by_label("I have reviewed this assessment in full", exact=False).is_checked()
    axe_check(page)
    page.get_by_label("Why it is not published").fill("An internal training course.")
    page.get_by_role("button", name="Sign off").click()
    page.wait_for_load_state()

    assert page.url == detail
    main = page.locator("main").inner_text()
    assert "Comments to address" not in main and "Comments left unresolved" in main
    assert page.get_by_role("button", name="Start a re-assessment").count() == 1
    assert "Start a review" not in main
    axe_check(page)


def test_your_own_save_in_another_tab_is_named_as_yours_and_check_answers_reads_plainly(
    live_server, context, axe_check, staff_user
):
    assessment = fill_assessment(make_assessment(staff_user), user=staff_user)
    section = f"{live_server.url}/assessments/{assessment.reference}/sections/about/"
    first = context.new_page()
    sign_in(first, live_server.url, staff_user)
    first.goto(section)
    second = context.new_page()
    second.goto(section)
    second.locator("[name='q-aims']").fill("Saved in the second tab.")
    second.locator("button[name='intent'][value='later']").click()
    second.wait_for_load_state()

    first.locator("[name='q-aims']").fill("Typed in the first tab.")
    first.locator("button[name='intent'][value='later']").click()
    first.wait_for_load_state()
    assert first.get_by_role("heading", level=1).inner_text() == "You changed this in another tab or window"
    assert "Someone else" not in first.locator("main").inner_text()
    axe_check(first)

    first.goto(f"{live_server.url}/assessments/{assessment.reference}/check/")
    grid = first.locator("table", has_text="Impact on people and groups")
    assert "Not needed" in grid.inner_text()  # every impact is neutral
    assert "Not answered" not in grid.inner_text()
    axe_check(first)
