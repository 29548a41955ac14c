"""A Londoner's journey through the public register in a real browser, checked by axe-core on
every page: find a summary, read its Easy Read version, download both PDFs, leave feedback,
and see it once the owner has approved and answered it."""

from pathlib import Path

import pytest

from publication.tests.factories import EASY_READ, published
from publication.tests.test_pdf import assert_tagged
from reporting.tests.pdf_checks import comparable, pdftotext

pytestmark = pytest.mark.browser

FEEDBACK = "Please run one group in Bengali on Saturday mornings."
ANSWER = "A Saturday group in Bengali starts at Stratford library in May."


def test_an_anonymous_londoner_finds_reads_downloads_and_comments_and_the_owner_answers(
    live_server, browser, axe_check, staff_user, approver_user, sign_in
):
    assessment = published(staff_user, approver_user)
    other = published(
        staff_user,
        approver_user,
        title="Football for dads",
        summary={
            "activity": "Weekly football.",
            "reach": "Dads.",
            "positive_findings": "Fitness.",
            "negative_findings": "None found.",
            "what_we_will_do": "Keep going.",
            "involvement": "Dads chose times.",
        },
    )
    londoner = browser.new_context(accept_downloads=True).new_page()
    londoner.goto(f"{live_server.url}/register/")
    assert assessment.title in londoner.content() and other.title in londoner.content()
    axe_check(londoner)
    londoner.get_by_role("searchbox", name="Search").fill("libraries")
    londoner.get_by_role("button", name="Search").click()
    londoner.wait_for_load_state()
    results = londoner.locator(".thrive-register-list").inner_text()
    assert assessment.title in results and other.title not in results
    axe_check(londoner)

    londoner.get_by_role("link", name=assessment.title).click()
    londoner.wait_for_load_state()
    assert londoner.get_by_role("heading", level=1).inner_text() == assessment.title
    axe_check(londoner)

    for link, name in (
        ("Download this summary (PDF)", "summary"),
        ("Download the Easy Read version (PDF)", "easy-read"),
    ):
        with londoner.expect_download() as download:
            londoner.get_by_role("link", name=link).click()
        assert download.value.suggested_filename == f"{assessment.reference}-{name}.pdf"
        data = Path(download.value.path()).read_bytes()
        title = f"{assessment.title}: {'public summary' if name == 'summary' else 'Easy Read'}"
        assert_tagged(data, title)
        if name == "easy-read":
            assert comparable(EASY_READ[0][0]) in comparable(pdftotext(data))
    londoner.get_by_role("link", name="Easy Read version, with pictures").click()
    londoner.wait_for_load_state()
    pictures = londoner.locator(".thrive-easy-read__picture")
    assert pictures.count() == len(EASY_READ)
    assert [pictures.nth(i).get_attribute("alt") for i in range(pictures.count())] == [
        "A group of people",
        "A speech bubble",
        "A calendar",
    ]
    assert all(
        pictures.nth(i).evaluate("img => img.complete && img.naturalWidth > 0")
        for i in range(pictures.count())
    )
    assert "CC BY-SA 4.0" in londoner.content()
    axe_check(londoner)

    londoner.get_by_role("link", name="Back to the summary").click()
    londoner.get_by_role("button", name="Tell us what you think").click()
    londoner.wait_for_load_state()
    axe_check(londoner)
    londoner.get_by_label("What do you think?").fill(FEEDBACK)
    londoner.get_by_label("Your email address (optional)").fill("londoner@example.org")
    londoner.wait_for_timeout(3100)  # the time check refuses a post within 3 seconds of the page
    londoner.get_by_role("button", name="Send").click()
    londoner.wait_for_load_state()
    assert "Thank you for your feedback" in londoner.content()
    axe_check(londoner)
    londoner.get_by_role("link", name="Back to the summary").click()
    londoner.wait_for_load_state()
    assert FEEDBACK not in londoner.content()
    owner = browser.new_context().new_page()
    sign_in(owner, staff_user)
    owner.goto(f"{live_server.url}/assessments/{assessment.reference}/")
    owner.get_by_role("link", name="Moderate community feedback").click()
    owner.wait_for_load_state()
    axe_check(owner)
    owner.get_by_label("Yes, show it").check()
    owner.get_by_label("Your answer: what we did").fill(ANSWER)
    owner.get_by_role("button", name="Save").click()
    owner.wait_for_load_state()
    axe_check(owner)

    londoner.reload()
    section = londoner.locator(".thrive-feedback").inner_text()
    assert FEEDBACK in section and ANSWER in section
    assert "londoner@example.org" not in londoner.content()
    axe_check(londoner)


def test_the_register_reads_and_searches_without_javascript(live_server, browser, staff_user, approver_user):
    assessment = published(staff_user, approver_user)
    page = browser.new_context(java_script_enabled=False).new_page()
    page.goto(f"{live_server.url}/register/")
    page.get_by_role("searchbox", name="Search").fill("libraries")
    page.get_by_role("button", name="Search").click()
    page.wait_for_load_state()
    page.get_by_role("link", name=assessment.title).click()
    page.wait_for_load_state()
    assert "Add weekend sessions and pay for travel." in page.content()
    page.get_by_role("link", name="Easy Read version, with pictures").click()
    page.wait_for_load_state()
    assert page.locator(".thrive-easy-read__picture").count() == len(EASY_READ)


def test_a_londoner_reads_what_happened_and_a_board_member_downloads_the_outcome_review(
    live_server, browser, axe_check, staff_user, approver_user, board_user, user_factory, sign_in
):
    from outcomes import services as outcome_services
    from publication.tests.test_outcomes_public import CHALLENGES, SUSTAINABILITY, _submitted
    from thrive_edi.roles import Role

    assessment = published(staff_user, approver_user)
    signer = user_factory(username="erin", role=Role.APPROVER, first_name="Erin")
    londoner = browser.new_context().new_page()
    londoner.goto(f"{live_server.url}/register/{assessment.reference}/")
    assert "What happened" not in londoner.content()  # cached now, before the outcome review
    outcome_services.outcome_review_sign_off(
        review=_submitted(assessment, staff_user), user=signer, declaration=True
    )

    londoner.reload()
    section = londoner.get_by_role("heading", name="What happened", exact=True)
    assert section.is_visible()
    table = londoner.get_by_role("table", name="What we predicted and what happened").inner_text()
    assert "Better than expected" in table
    assert CHALLENGES in londoner.content().replace("&#x27;", "'")
    assert SUSTAINABILITY in londoner.content().replace("&#x27;", "'")
    axe_check(londoner)

    board = browser.new_context(accept_downloads=True).new_page()
    sign_in(board, board_user)
    board.goto(f"{live_server.url}/board/assessments/{assessment.reference}/")
    axe_check(board)
    with board.expect_download() as download:
        board.get_by_role("link", name=f"Download the outcome review (PDF) of {assessment.reference}").click()
    data = Path(download.value.path()).read_bytes()
    assert_tagged(data, f"Outcome review of {assessment.reference}: {assessment.title}")
    assert comparable(CHALLENGES) in comparable(pdftotext(data))
