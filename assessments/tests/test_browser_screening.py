"""Screening in a real browser, axe-core on every page: a low-relevance activity screened as
proportionate and signed off with few answers; a "no assessment needed" screening confirmed and
signed off with what the public register shows, read there by anyone and seen by the Advisory
Board; and the impact page of a full assessment, short before any group is opened and working
without JavaScript."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from assessments import screening, services
from assessments.models import Assessment, ImpactRating, Snapshot
from assessments.rules import assessment_failures
from assessments.selectors import assessment_content, version_characteristics
from assessments.tests.test_browser_review import sign_in, sign_out
from frameworks.scales import ActivityType

pytestmark = pytest.mark.browser

MOST_ANSWERS = 30  # what a proportionate assessment of two groups may ask, screening included
MOST_VISIBLE_CONTROLS = 80

# The form controls a person sees: not hidden inputs, nor those inside closed or hidden parts.
VISIBLE_CONTROLS = """() => [...document.querySelectorAll('input, select, textarea, button')]
    .filter((element) => element.type !== 'hidden' && element.checkVisibility()).length"""


class Answers:
    """Fills in a page's fields, counting each answer given."""

    def __init__(self, page, axe_check):
        self.page, self.axe_check, self.count = page, axe_check, 0

    def arrived(self) -> None:
        self.page.wait_for_load_state()
        self.axe_check(self.page)

    def fill(self, name: str, text: str) -> None:
        self.page.locator(f"[name='{name}']").fill(text)
        self.count += 1

    def choose(self, name: str, value: str) -> None:
        self.page.locator(f"input[name='{name}'][value='{value}']").check()
        self.count += 1

    def tick(self, name: str, values: list[str]) -> None:
        for value in values:
            self.page.locator(f"input[name='{name}'][value='{value}']").check()
        self.count += 1  # one question, however many ticks

    def date(self, name: str, day: date) -> None:
        for index, part in enumerate((day.day, day.month, day.year)):
            self.page.locator(f"[name='{name}_{index}']").fill(str(part))
        self.count += 1

    def click(self, name: str) -> None:
        self.page.get_by_role("button", name=name).click()
        self.arrived()

    def save(self) -> None:
        self.page.locator("#completed").check()
        self.click("Save and continue")


def heading(page) -> str:
    return page.locator("h1").first.inner_text()


def _start(page, answers, live_server, title: str) -> Assessment:
    page.goto(f"{live_server.url}{reverse('assessments:create')}")
    answers.arrived()
    page.get_by_label("Title of the activity").fill(title)
    page.locator("input[name='activity_type']").first.check()
    page.get_by_label("London-wide", exact=True).check()
    answers.click("Create the assessment")
    assessment = Assessment.objects.get(title=title)
    assert assessment.screening_status == Assessment.Screening.IN_PROGRESS
    page.get_by_role("link", name="Screening").click()
    answers.arrived()
    return assessment


def _open_the_screening_to_confirm(page, axe_check, live_server, approver, assessment) -> None:
    """The approver signs in and follows the screening's link among those to confirm on the home page."""
    sign_in(page, live_server.url, approver)
    page.goto(f"{live_server.url}{reverse('home')}")
    axe_check(page)
    page.locator("#screenings-to-confirm").get_by_role("link", name=assessment.reference, exact=False).click()
    page.wait_for_load_state()
    axe_check(page)


def _confirm(page, axe_check, live_server, approver, assessment) -> None:
    _open_the_screening_to_confirm(page, axe_check, live_server, approver, assessment)
    page.get_by_role("button", name="Confirm the decision").click()
    page.wait_for_load_state()
    axe_check(page)
    sign_out(page)


def test_a_low_relevance_activity_is_screened_as_proportionate_and_signed_off_with_few_answers(
    live_server, page, axe_check, staff_user, approver_user
):
    answers = Answers(page, axe_check)
    sign_in(page, live_server.url, staff_user)
    assessment = _start(page, answers, live_server, "Wellbeing leaflet for two libraries")
    characteristics = {c.key: c for c in version_characteristics(assessment.framework_version_id)}

    answers.fill("who", "Visitors to two libraries in Hackney.")
    answers.choose("changes", "yes")
    answers.tick("groups", [str(characteristics["age"].pk), str(characteristics["disability"].pk)])
    answers.choose("reach", "few")
    answers.choose("crisis", "no")
    answers.choose("decision", "proportionate")
    answers.click("Save and send for confirmation")
    assert "Waiting for confirmation" in page.content()
    sign_out(page)

    _confirm(page, axe_check, live_server, approver_user, assessment)
    assessment.refresh_from_db()
    assert assessment.screening_status == Assessment.Screening.CONFIRMED
    # Nothing the rules ask of the sections the screening left out (principles, duties, ...).
    asked = {failure.section_key for failure in assessment_failures(assessment_content(assessment))}
    assert asked == {"about", "evidence", "impacts", "outcome", "monitoring"}

    sign_in(page, live_server.url, staff_user)
    page.goto(f"{live_server.url}{reverse('assessments:detail', args=[assessment.reference])}")
    answers.arrived()
    titles = page.locator(".govuk-task-list__name-and-hint").all_inner_texts()
    assert titles[0].startswith("Screening")
    assert not any("principles" in title.lower() for title in titles)
    page.get_by_role("link", name="About the activity").click()
    answers.arrived()

    answers.fill("q-aims", "Clearer signposting to local support.")
    answers.fill("q-affected", "Library visitors, older people among them.")
    answers.choose("q-stage", "changed")
    answers.tick("q-levels", ["communities"])
    answers.choose("q-rapid", "no")
    answers.save()

    assert heading(page) == "Evidence and data"
    answers.fill("q-sources", "Library visitor survey.")
    answers.choose("q-disaggregation", "partly")
    answers.fill("q-gaps", "No data on disability; we will ask at the desk.")
    answers.save()

    assert heading(page) == "Impact on people and groups"
    for index in range(page.locator("[id^='impacts-row-']").count()):
        prefix = f"impacts-{index}-"
        if not page.locator(f"input[name='{prefix}relevant'][value='yes']").is_checked():
            continue
        answers.choose(prefix + "impact", "positive")
        answers.fill(prefix + "evidence", "Visitor survey by age and disability.")
        answers.choose(prefix + "confidence", "medium")
        answers.choose(prefix + "data_gap", "no")
    answers.save()

    assert heading(page) == "Action plan"
    answers.save()

    assert heading(page) == "Decision"
    answers.choose("q-decision", "no_major_change")
    answers.fill("q-justification", "Positive for the groups it reaches; nothing adverse found.")
    answers.save()

    assert heading(page) == "Monitoring and review"
    answers.fill("q-measures", "Leaflets taken, by library.")
    answers.fill("q-feedback", "A note in each library.")
    answers.date("q-review_date", date.today() + timedelta(days=365))
    answers.save()

    assert heading(page) == "Check your answers before submitting"
    answers.click("Submit for review")
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.IN_REVIEW
    sign_out(page)

    sign_in(page, live_server.url, approver_user)
    page.goto(f"{live_server.url}{reverse('assessments:sign_off', args=[assessment.reference])}")
    axe_check(page)
    page.get_by_label("Why it is not published").fill("A pilot for one team.")
    page.locator("input[name='declaration']").check()
    page.get_by_role("button", name="Sign off").click()
    page.wait_for_load_state()
    axe_check(page)
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.SIGNED_OFF

    assert answers.count <= MOST_ANSWERS, answers.count  # 27: 6 screening, 21 in the sections
    relevant = ImpactRating.objects.filter(assessment=assessment, relevant=True)
    assert sorted(r.characteristic.key for r in relevant) == ["age", "disability"]


def test_a_no_assessment_needed_screening_is_confirmed_signed_off_and_reported(
    live_server, page, axe_check, staff_user, approver_user, board_user
):
    answers = Answers(page, axe_check)
    sign_in(page, live_server.url, staff_user)
    assessment = _start(page, answers, live_server, "Reprint of the same leaflet")
    answers.click("Save and send for confirmation")  # nothing answered: each question says so
    assert "Say who the activity reaches" in page.locator(".govuk-error-summary").inner_text()
    answers.fill("who", "Visitors to two libraries in Hackney.")
    answers.choose("changes", "no")
    answers.choose("reach", "few")
    answers.choose("crisis", "no")
    answers.choose("decision", "none")
    answers.fill("justification", "The same leaflet reprinted: nothing changes for anyone.")
    answers.click("Save and send for confirmation")
    sign_out(page)

    _open_the_screening_to_confirm(page, axe_check, live_server, approver_user, assessment)
    # The sign-off's own questions are asked here too: what the public register shows.
    page.get_by_label("Do not publish", exact=True).check()
    page.get_by_role("button", name="Confirm and sign off").click()
    page.wait_for_load_state()
    axe_check(page)
    errors = page.locator(".govuk-error-summary").inner_text()
    assert "Say why it is not published" in errors and "Confirm the declaration to sign off" in errors
    assert page.get_by_label("Do not publish", exact=True).is_checked()  # kept as chosen
    page.get_by_label("Publish the decision and why no assessment is needed", exact=True).check()
    page.get_by_label("I have read this screening", exact=False).check()
    page.get_by_role("button", name="Confirm and sign off").click()
    page.wait_for_load_state()
    axe_check(page)
    sign_out(page)
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.SIGNED_OFF
    snapshot = Snapshot.objects.get(assessment=assessment)

    # Londoners read the decision and why, without signing in.
    page.goto(f"{live_server.url}{reverse('publication:register')}")
    axe_check(page)
    page.get_by_role("link", name=assessment.title).click()
    page.wait_for_load_state()
    axe_check(page)
    assert "nothing changes for anyone" in page.locator("#no-assessment-justification").inner_text()

    sign_in(page, live_server.url, board_user)
    page.goto(f"{live_server.url}{reverse('reporting:portal')}")
    axe_check(page)
    page.get_by_role("link", name=assessment.title, exact=False).first.click()
    page.wait_for_load_state()
    axe_check(page)
    assert snapshot.sha256 in page.content()
    page.goto(f"{live_server.url}{reverse('reporting:dashboard')}")
    axe_check(page)
    assert page.locator("#figure-no-assessment-needed").inner_text() == "1"


def _full(owner, approver) -> Assessment:
    assessment = services.assessment_create(
        owner=owner, title="A new youth programme", activity_type=ActivityType.PROGRAMME, screening=True
    )
    screening.screening_save(
        assessment=assessment, user=owner, who="Young Londoners.", changes=True, changes_note="",
        groups=version_characteristics(assessment.framework_version_id)[:3], reach="london", crisis=False,
        decision="full", justification="",
    )  # fmt: skip
    screening.screening_send(assessment=assessment, user=owner)
    screening.screening_confirm(assessment=assessment, user=approver)
    return assessment


def test_the_impact_page_of_a_full_assessment_opens_short_and_reveals_a_group_when_chosen(
    page, open_section, axe_check, staff_user, approver_user
):
    open_section(page, staff_user, _full(staff_user, approver_user), "impacts")
    axe_check(page)

    visible = page.evaluate(VISIBLE_CONTROLS)
    assert visible <= MOST_VISIBLE_CONTROLS, visible
    assert not page.locator("[name='impacts-0-impact']").first.is_visible()

    page.locator("input[name='impacts-0-relevant'][value='yes']").check()
    assert page.locator("[name='impacts-0-impact']").first.is_visible()
    page.locator("input[name='impacts-1-relevant'][value='no']").check()
    assert page.locator("[name='impacts-1-not_relevant_reason']").is_visible()
    assert not page.locator("[name='impacts-1-impact']").first.is_visible()
    axe_check(page)


def test_the_impact_page_works_without_javascript(open_section_without_javascript, staff_user, approver_user):
    assessment = _full(staff_user, approver_user)
    page = open_section_without_javascript(staff_user, assessment, "impacts")
    # axe runs in the page's JavaScript, so this page is checked with it in the test above.
    # Without the script, every group's questions show, as GOV.UK radios do.
    assert page.locator("[name='impacts-0-impact']").first.is_visible()
    page.locator("input[name='impacts-0-relevant'][value='no']").check()
    page.locator("[name='impacts-0-not_relevant_reason']").fill("It does not reach them.")
    page.get_by_role("button", name="Save and come back later").click()
    page.wait_for_load_state()
    first = ImpactRating.objects.filter(assessment=assessment, not_relevant_reason="It does not reach them.")
    assert first.get().relevant is False
