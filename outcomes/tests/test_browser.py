"""An outcome review's journey in Chromium, with axe-core on every page: an assessment signed
off, its outcome review becoming due, completed by the owner, signed off by an approver,
visible on the assessment and the Board portal, and fed into a re-assessment."""

import pytest

from assessments.models import Answer, Assessment
from outcomes.models import OutcomeReview
from outcomes.tests.factories import make_due, predicted_assessment

pytestmark = pytest.mark.browser


def test_an_outcome_review_from_sign_off_to_the_reassessment(
    live_server, browser, axe_check, sign_in, staff_user, approver_user, board_user, user_factory
):
    from assessments import services as assessment_services
    from thrive_edi.roles import Role

    second_approver = user_factory(username="erin", role=Role.APPROVER, first_name="Erin")
    assessment = predicted_assessment(staff_user)
    assessment_services.assessment_submit(assessment=assessment, user=staff_user)
    reference = assessment.reference

    def page_as(user):
        page = browser.new_context().new_page()
        sign_in(page, user)
        return page

    # The approver signs it off and keeps the outcome review on the review date.
    approver = page_as(approver_user)
    approver.goto(f"{live_server.url}/assessments/{reference}/sign-off/")
    axe_check(approver)
    approver.get_by_label("Why it is not published").fill("A pilot for one team.")
    approver.get_by_label("I have reviewed this assessment in full", exact=False).check()
    approver.get_by_role("button", name="Sign off").click()
    approver.wait_for_load_state()
    axe_check(approver)
    review = OutcomeReview.objects.get(assessment__reference=reference)
    assert review.due_on == Assessment.objects.get(reference=reference).review_date

    # It becomes due; the owner finds it on their home page and completes it.
    make_due(review)
    owner = page_as(staff_user)
    owner.goto(f"{live_server.url}/")
    axe_check(owner)
    owner.get_by_role("link", name=f"{reference}: {assessment.title}").first.click()
    owner.wait_for_load_state()
    axe_check(owner)
    owner.get_by_role("group", name="What happened for Age?").get_by_label("Worse than expected").check()
    owner.get_by_label("Evidence for Age").fill("Fewer older people came than planned.")
    owner.get_by_role("button", name="Send for sign-off").click()
    owner.wait_for_load_state()
    assert "Say what happened for Race" in owner.content()
    assert "Fewer older people came than planned." in owner.content()
    axe_check(owner)
    owner.get_by_role("group", name="What happened for Race?").get_by_label("Better than expected").check()
    owner.get_by_label("Evidence for Race").fill("Attendance doubled.")
    owner.get_by_role("group", name="done?").get_by_label("Done", exact=True).check()
    owner.get_by_role("group", name="work?").get_by_label("It worked", exact=True).check()
    owner.get_by_label("Which challenges did you meet?").fill("Venues closed in winter.")
    owner.get_by_label("How will the work be sustained?").fill("The borough funds it from April.")
    owner.get_by_label("What did the people involved say?").fill("Young people want more sessions.")
    owner.get_by_role("button", name="Send for sign-off").click()
    owner.wait_for_load_state()
    assert "sent to an approver" in owner.content()
    axe_check(owner)

    # Another approver signs it off.
    signer = page_as(second_approver)
    signer.goto(f"{live_server.url}/")
    signer.get_by_role("link", name=f"{reference}: {assessment.title}").last.click()
    signer.wait_for_load_state()
    axe_check(signer)
    signer.get_by_label("I have read this outcome review in full", exact=False).check()
    signer.get_by_role("button", name="Sign off the outcome review").click()
    signer.wait_for_load_state()
    assert "Outcome review signed off" in signer.content()
    axe_check(signer)
    signer.get_by_role("link", name="Read the outcome review").click()
    signer.wait_for_load_state()
    assert "Venues closed in winter." in signer.content()
    axe_check(signer)

    # The Board portal shows it.
    board = page_as(board_user)
    board.goto(f"{live_server.url}/")
    board.get_by_role("link", name="Board portal").click()
    board.get_by_role("link", name=f"{reference}: {assessment.title}").click()
    board.wait_for_load_state()
    assert "What happened: the outcome review" in board.content()
    assert "Attendance doubled." in board.content()
    axe_check(board)

    # The owner starts the re-assessment: the outcome review is its starting evidence.
    owner.goto(f"{live_server.url}/assessments/{reference}/")
    owner.get_by_role("button", name="Start a re-assessment").click()
    owner.wait_for_load_state()
    assert "What happened last time" in owner.content()
    axe_check(owner)
    new = Assessment.objects.get(previous__reference=reference)
    evidence = Answer.objects.get(assessment=new, question__key="sources").value
    assert "Race: predicted some positive; better than expected. Evidence: Attendance doubled." in evidence
    owner.goto(f"{live_server.url}/assessments/{new.reference}/sections/evidence/")
    assert "Fewer older people came than planned." in owner.input_value("textarea >> nth=0")
    axe_check(owner)
