"""The wizard in a real browser: a whole assessment filled with the keyboard alone, adding a row
to a completed section, and the GOV.UK date input. axe-core checks every page visited."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from assessments.models import Action, Assessment, ParticipationEntry, SectionProgress
from assessments.tests.factories import (
    add_participation_entry,
    answer_about_the_activity,
    answer_evidence,
    answer_monitoring,
    decide_to_adjust,
    fill_assessment,
    make_assessment,
    rate_principles_and_duties,
)
from frameworks.models import Characteristic
from thrive_edi.forms import REAL_DATE_MESSAGE
from thrive_edi.tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.browser

TAB_LIMIT = 2000


class Keyboard:
    """Moves through pages as a keyboard user does: Tab to a field, then type, Space, arrows, Enter."""

    def __init__(self, page, axe_check, base_url):
        self.page, self.axe_check, self.base_url = page, axe_check, base_url

    def arrived(self) -> None:
        self.page.wait_for_load_state()
        self.axe_check(self.page)

    def visit(self, path: str) -> None:
        """Type an address, as into the browser's address bar."""
        self.page.goto(f"{self.base_url}{path}")
        self.arrived()

    def focused(self, selector: str) -> bool:
        return self.page.evaluate(
            "(selector) => !!document.activeElement && document.activeElement.matches(selector)", selector
        )

    def tab_to(self, selector: str) -> None:
        for _ in range(TAB_LIMIT):
            if self.focused(selector):
                return
            self.page.keyboard.press("Tab")
        raise AssertionError(f"Tab never reached {selector}")

    def fill(self, name: str, text: str) -> None:
        """Tab to a field and type, replacing what it held."""
        self.tab_to(f"[name='{name}']")
        self.page.keyboard.press("Control+A")
        self.page.keyboard.type(text)

    def fill_date(self, name: str, day: date) -> None:
        for index, part in enumerate((day.day, day.month, day.year)):
            self.fill(f"{name}_{index}", str(part))

    def choose(self, name: str, value: str) -> None:
        """A radio: Tab into the group, then arrows until the value is chosen."""
        self.tab_to(f"input[name='{name}']")
        if not self.focused(":checked"):
            self.page.keyboard.press("Space")
        for _ in range(20):
            if self.focused(f"input[value='{value}']:checked"):
                return
            self.page.keyboard.press("ArrowDown")
        raise AssertionError(f"{name} never offered {value}")

    def tick(self, name: str, value: str | None = None) -> None:
        self.tab_to(f"input[name='{name}']" + (f"[value='{value}']" if value else ""))
        if not self.focused(":checked"):
            self.page.keyboard.press("Space")

    def select(self, name: str, value: str) -> None:
        self.tab_to(f"select[name='{name}']")
        for _ in range(200):
            if self.page.evaluate("() => document.activeElement.value") == value:
                return
            self.page.keyboard.press("ArrowDown")
        raise AssertionError(f"{name} never offered {value}")

    def press(self, selector: str) -> None:
        self.tab_to(selector)
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")
        self.arrived()

    def save(self, intent: str = "continue", completed: bool = True) -> None:
        self.choose("completed", "yes" if completed else "no")
        self.press(f"button[name='intent'][value='{intent}']")

    def heading(self) -> str:
        return self.page.locator("h1").first.inner_text()

    def sign_in(self, user) -> None:
        self.visit(reverse("login"))
        self.fill("username", user.username)
        self.fill("password", TEST_PASSWORD)
        self.press("button[name='submit']")


@pytest.fixture
def keys(page, axe_check, live_server):
    return Keyboard(page, axe_check, live_server.url)


def test_a_whole_assessment_is_filled_and_submitted_with_the_keyboard_alone(
    keys, page, context, axe_check, live_server, staff_user
):
    assessment = make_assessment(staff_user, title="Peer support by keyboard")
    race = Characteristic.objects.get(version=assessment.framework_version, key="race")
    keys.sign_in(staff_user)
    keys.visit(reverse("assessments:detail", args=[assessment.reference]))
    keys.press("a[href$='/sections/about/']")

    assert keys.heading() == "About the activity"
    answer_about_the_activity(keys)
    keys.save()

    assert keys.heading() == "Evidence and data"
    answer_evidence(keys)
    keys.save()

    # Participation: two entries added, the second removed again.
    assert keys.heading() == "Participation and co-production"
    keys.fill("q-decision_power", "A steering group holds the budget.")
    keys.press("#add-row")
    assert "add=1" in page.url
    for index, who in enumerate(["Steering group", "Added by mistake"]):
        if index:
            keys.press("#add-row")
        add_participation_entry(keys, index, who)
    keys.save("later")
    assert ParticipationEntry.objects.filter(assessment=assessment).count() == 2
    keys.press("a[href$='/sections/participation/']")
    keys.tick("participation-1-DELETE")
    keys.save()
    assert list(ParticipationEntry.objects.filter(assessment=assessment).values_list("who", flat=True)) == [
        "Steering group"
    ]

    # The impact grid: race rated negative reveals the mitigation question as it is chosen.
    assert keys.heading() == "Impact on people and groups"
    for index in range(page.locator("[id^='impacts-row-']").count()):
        prefix = f"impacts-{index}-"
        name = page.locator(f"#impacts-row-{index} h3").inner_text()
        keys.choose(prefix + "relevant", "yes")  # reveals the group's questions
        keys.choose(prefix + "impact", "negative" if name == race.name else "neutral")
        keys.fill(prefix + "evidence", f"Local data on {name}.")
        keys.choose(prefix + "confidence", "medium")
        keys.choose(prefix + "data_gap", "no")
        if name == race.name:
            assert page.locator(f"[name='{prefix}mitigation']").is_visible()
            keys.fill(prefix + "mitigation", "Peer supporters from several communities.")
        else:
            assert not page.locator(f"[name='{prefix}mitigation']").is_visible()
    keys.save()

    assert keys.heading() == "Intersectional impact"
    keys.press("#add-row")
    characteristics = list(
        Characteristic.objects.filter(version=assessment.framework_version).order_by("order")[:2]
    )
    for characteristic in characteristics:
        keys.tick("intersectional-0-characteristics", str(characteristic.pk))
    keys.choose("intersectional-0-impact", "positive")
    keys.fill("intersectional-0-evidence", "Listening events.")
    keys.save()

    rate_principles_and_duties(keys)

    assert keys.heading() == "Action plan"
    keys.press("#add-row")
    keys.fill("actions-0-issue", "Impact on race")
    keys.fill("actions-0-action", "Recruit peer supporters widely.")
    keys.tick("actions-0-characteristics", str(race.pk))
    keys.select("actions-0-owner", str(staff_user.pk))
    keys.fill_date("actions-0-due_date", date.today() + timedelta(days=90))
    keys.fill("actions-0-measure", "Uptake by group.")
    keys.save()

    # Decision: the same section changed in a second tab first, then the conflict resolved.
    assert keys.heading() == "Decision"
    decision_url = page.url
    other = Keyboard(context.new_page(), axe_check, live_server.url)
    other.page.goto(decision_url)
    other.arrived()
    decide_to_adjust(other, "Written in the other tab.")
    other.save("later")
    other.page.close()
    decide_to_adjust(keys, "Outreach addresses the gap.")
    keys.save()
    assert keys.heading() == "You changed this in another tab or window"
    keys.choose("choose:q-justification", "mine")
    keys.press("button[name='intent'][value='merge']")

    assert keys.heading() == "Monitoring and review"
    answer_monitoring(keys)
    keys.save()

    assert keys.heading() == "Check your answers before submitting"
    keys.press("form[action$='/submit/'] button")
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.IN_REVIEW
    assert assessment.answers.get(question__key="justification").value == "Outreach addresses the gap."


def test_adding_an_action_to_a_completed_plan_shows_a_blank_row_and_keeps_it_completed(
    page, sign_in, axe_check, live_server, staff_user
):
    assessment = fill_assessment(make_assessment(staff_user), user=staff_user)
    sign_in(page, staff_user)
    page.goto(f"{live_server.url}{reverse('assessments:section', args=[assessment.reference, 'actions'])}")
    axe_check(page)
    assert page.locator("#completed").is_checked()
    before = Action.objects.filter(assessment=assessment).count()
    page.get_by_role("button", name="Add an action").click()
    page.wait_for_load_state()
    axe_check(page)
    assert page.locator(f"#actions-row-{before}").is_visible()
    assert page.locator(f"[name='actions-{before}-issue']").input_value() == ""
    assert page.locator(".govuk-error-summary").count() == 0
    assert page.locator(".govuk-error-message").count() == 0
    page.get_by_role("button", name="Add an action").click()
    page.wait_for_load_state()
    assert page.locator("[id^='actions-row-']").count() == before + 1
    assert Action.objects.filter(assessment=assessment).count() == before
    progress = SectionProgress.objects.get(assessment=assessment, section__key="actions")
    assert progress.status == SectionProgress.Status.COMPLETED


def test_a_date_that_is_not_real_is_shown_beside_its_boxes_and_a_uk_date_is_taken(
    page, sign_in, axe_check, live_server, staff_user
):
    assessment = make_assessment(staff_user)
    sign_in(page, staff_user)
    url = reverse("assessments:section", args=[assessment.reference, "participation"])
    page.goto(f"{live_server.url}{url}?add=1")
    axe_check(page)
    boxes = [page.locator(f"[name='participation-0-when_{index}']") for index in range(3)]
    for box, typed in zip(boxes, ("31", "2", "2027"), strict=True):
        assert "govuk-date-input__input" in box.get_attribute("class")
        box.fill(typed)
    page.locator("[name='participation-0-who']").fill("Carers' forum")
    page.get_by_role("button", name="Save and come back later").click()
    page.wait_for_load_state()
    axe_check(page)
    fieldset = page.locator("fieldset").filter(has=boxes[0])
    assert REAL_DATE_MESSAGE in fieldset.locator(".govuk-error-message").inner_text()
    assert all("govuk-input--error" in box.get_attribute("class") for box in boxes)
    assert [box.input_value() for box in boxes] == ["31", "2", "2027"]
    page.locator(".govuk-error-summary a").first.click()
    assert page.evaluate("() => document.activeElement.name") == "participation-0-when_0"
    for box, typed in zip(boxes, ("27", "3", "2027"), strict=True):
        box.fill(typed)
    page.get_by_role("button", name="Save and come back later").click()
    page.wait_for_load_state()
    axe_check(page)
    assert ParticipationEntry.objects.get(assessment=assessment).when == date(2027, 3, 27)
