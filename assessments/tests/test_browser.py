"""A member of staff completes a whole assessment in a real browser, checked by axe-core."""

from datetime import date, timedelta

import pytest

from assessments.models import Action, Assessment, IntersectionalImpact, ParticipationEntry
from assessments.tests.factories import (
    add_participation_entry,
    answer_about_the_activity,
    answer_evidence,
    answer_monitoring,
    decide_to_adjust,
    rate_principles_and_duties,
)
from frameworks.models import Characteristic, FrameworkVersion
from thrive_edi.tests.factories import TEST_PASSWORD
from thrive_edi.tests.two_factor import sign_in_in_browser

pytestmark = pytest.mark.browser

NEGATIVE = {"race": "negative", "disability": "unknown"}


class Journey:
    """Drives the pages and checks each one it visits for accessibility."""

    def __init__(self, page, axe_check, base_url):
        self.page, self.axe_check, self.base_url = page, axe_check, base_url

    def check(self):
        self.page.wait_for_load_state()
        self.axe_check(self.page)

    def fill(self, name, value):
        self.page.locator(f"[name='{name}']").fill(value)

    def fill_date(self, name, day):
        for index, part in enumerate((day.day, day.month, day.year)):
            self.fill(f"{name}_{index}", str(part))

    def choose(self, name, value):
        self.page.locator(f"input[name='{name}'][value='{value}']").check()

    def tick(self, name, value):
        self.page.locator(f"input[name='{name}'][value='{value}']").check()

    def add_row(self):
        self.page.locator("button[name='intent'][value='add']").click()
        self.check()

    def save(self, intent="continue", completed=True):
        self.choose("completed", "yes" if completed else "no")
        self.page.locator(f"button[name='intent'][value='{intent}']").click()
        self.check()

    def heading(self):
        return self.page.get_by_role("heading", level=1).inner_text()

    def sign_in(self, user):
        sign_in_in_browser(self.page, self.base_url, user, TEST_PASSWORD)


def characteristic_ids(*keys):
    version = FrameworkVersion.objects.current()
    return {c.key: c.pk for c in Characteristic.objects.filter(version=version, key__in=keys)}


def test_staff_complete_and_submit_an_assessment_across_two_sessions(
    live_server, page, axe_check, staff_user, approver_user
):
    journey = Journey(page, axe_check, live_server.url)
    ids = characteristic_ids("race", "disability", "sex", "age")
    journey.sign_in(staff_user)
    journey.check()

    # Create the assessment.
    page.get_by_role("link", name="Assessments").first.click()
    journey.check()
    page.get_by_role("button", name="Start an assessment").click()
    journey.check()
    journey.fill("title", "Peer support for young Black men in Newham")
    journey.choose("activity_type", "programme")
    journey.fill("summary", "Community-led peer support groups.")
    page.get_by_label("Newham").check()
    journey.fill("new_partners", "Newham Community Barbers")
    page.get_by_role("button", name="Create the assessment").click()
    journey.check()
    assessment = Assessment.objects.get(title="Peer support for young Black men in Newham")
    assert journey.heading() == assessment.title
    assert assessment.screening_status == Assessment.Screening.IN_PROGRESS
    # The screening's own journeys are in test_browser_screening.py; this one goes on as a full
    # assessment does, like those made before screening existed.
    Assessment.objects.filter(pk=assessment.pk).update(screening_status=Assessment.Screening.NOT_SCREENED)
    page.reload()

    # About the activity, then save and come back later.
    page.get_by_role("link", name="About the activity").click()
    journey.check()
    answer_about_the_activity(journey)
    journey.save("later")
    assert "Your answers have been saved" in page.content()

    # Sign out, sign in again, resume from the task list.
    page.get_by_role("button", name="Sign out").click()
    journey.sign_in(staff_user)
    page.goto(f"{live_server.url}/assessments/{assessment.reference}/")
    journey.check()
    assert "Completed" in page.locator("#task-about-status").inner_text()
    page.get_by_role("link", name="Evidence and data").click()
    journey.check()

    answer_evidence(journey)
    journey.save()

    # Participation and co-production: questions and two log entries.
    assert journey.heading() == "Participation and co-production"
    journey.fill("q-decision_power", "A steering group of six young men holds the grants budget.")
    for index, who in enumerate(["Young men's steering group", "Newham Community Barbers"]):
        journey.add_row()
        add_participation_entry(journey, index, who)
    journey.save()

    # Impact grid: every characteristic rated, with a negative and an unknown impact.
    assert journey.heading() == "Impact on people and groups"
    rows = page.locator("[id^='impacts-row-']")
    for index in range(rows.count()):
        prefix = f"impacts-{index}-"
        name = rows.nth(index).locator("h3").inner_text()
        key = next((k for k, pk in ids.items() if Characteristic.objects.get(pk=pk).name == name), None)
        journey.choose(prefix + "relevant", "yes")  # reveals the group's questions
        journey.choose(prefix + "impact", NEGATIVE.get(key, "neutral"))
        journey.fill(prefix + "evidence", f"Local data on {name}.")
        journey.choose(prefix + "confidence", "medium")
        journey.choose(prefix + "data_gap", "no")
        if key == "race":
            journey.fill(prefix + "mitigation", "Recruit peer supporters from other communities too.")
    journey.save()

    # Two intersectional combinations.
    assert journey.heading() == "Intersectional impact"
    combinations = [(("race", "sex"), "negative"), (("disability", "age"), "positive")]
    for index, (keys, impact) in enumerate(combinations):
        journey.add_row()
        prefix = f"intersectional-{index}-"
        for key in keys:
            journey.tick(prefix + "characteristics", ids[key])
        journey.choose(prefix + "impact", impact)
        journey.fill(prefix + "evidence", "Listening events.")
    journey.save()

    rate_principles_and_duties(journey)

    # Action plan: actions linked to the negative and unknown impacts and the combination.
    assert journey.heading() == "Action plan"
    assert "Race (Some negative)" in page.content()
    combination = IntersectionalImpact.objects.get(assessment=assessment, impact="negative")
    for index, (key, link_combination) in enumerate([("race", True), ("disability", False)]):
        journey.add_row()
        prefix = f"actions-{index}-"
        journey.fill(prefix + "issue", f"Impact on {key}")
        journey.fill(prefix + "action", "Commission outreach and collect data.")
        journey.tick(prefix + "characteristics", ids[key])
        if link_combination:
            journey.tick(prefix + "intersectional_impacts", combination.pk)
        page.locator(f"select[name='{prefix}owner']").select_option(str(staff_user.pk))
        journey.fill_date(prefix + "due_date", date.today() + timedelta(days=90))
        journey.fill(prefix + "measure", "Uptake by group, every quarter.")
    journey.save()

    # Decision and monitoring.
    assert journey.heading() == "Decision"
    decide_to_adjust(journey, "Outreach and data actions address the gaps.")
    journey.save()
    assert journey.heading() == "Monitoring and review"
    answer_monitoring(journey)
    journey.save()

    # Check answers and submit.
    assert journey.heading() == "Check your answers before submitting"
    assert "Newham JSNA 2023" in page.content()
    page.get_by_role("button", name="Submit for review").click()
    journey.check()
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.IN_REVIEW
    assert assessment.framework_version.is_frozen
    assert ParticipationEntry.objects.filter(assessment=assessment).count() == 2
    assert Action.objects.filter(assessment=assessment).count() == 2
    assert IntersectionalImpact.objects.filter(assessment=assessment).count() == 2
