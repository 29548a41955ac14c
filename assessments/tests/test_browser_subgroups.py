"""Race by the 2021 Census ethnic groups in a real browser, axe-core on every state: offered
where the screening marks race, off by default, the groups revealed only once chosen, the impact
page still short when it opens, and the same without JavaScript."""

import pytest
from django.urls import reverse

from assessments import screening, services
from assessments.models import ImpactRating, SubgroupRating
from assessments.selectors import version_characteristics
from assessments.tests.test_browser_screening import MOST_VISIBLE_CONTROLS, VISIBLE_CONTROLS
from frameworks.scales import ActivityType

pytestmark = pytest.mark.browser


def _screened_for_race(owner, approver):
    """A full assessment whose screening marked race (and age) as plausibly affected."""
    assessment = services.assessment_create(
        owner=owner, title="Talking therapies outreach", activity_type=ActivityType.PROGRAMME, screening=True
    )
    marked = [c for c in version_characteristics(assessment.framework_version_id) if c.key in ("age", "race")]
    screening.screening_save(
        assessment=assessment, user=owner, who="Londoners waiting.", changes=True, changes_note="",
        groups=marked, reach="london", crisis=False, decision="full", justification="",
    )  # fmt: skip
    screening.screening_send(assessment=assessment, user=owner)
    screening.screening_confirm(assessment=assessment, user=approver)
    return assessment


def _race_prefix(page) -> str:
    heading = page.locator(".thrive-row h3", has_text="Race").first
    row_id = heading.locator("xpath=..").get_attribute("id")
    return f"impacts-{row_id.rsplit('-', 1)[1]}-"


def test_race_is_broken_down_by_ethnic_group_only_when_chosen(
    live_server, page, open_section, axe_check, staff_user, approver_user
):
    assessment = _screened_for_race(staff_user, approver_user)
    open_section(page, staff_user, assessment, "impacts")
    axe_check(page)
    assert page.evaluate(VISIBLE_CONTROLS) <= MOST_VISIBLE_CONTROLS
    race = _race_prefix(page)
    choice = page.locator(f"input[name='{race}by_subgroups'][value='yes']")
    assert not choice.is_visible()

    page.locator(f"input[name='{race}relevant'][value='yes']").check()
    assert choice.is_visible()
    assert page.locator(f"input[name='{race}by_subgroups'][value='no']").is_checked()  # off by default
    assert not page.locator("input[name='subgroups-0-relevant']").first.is_visible()

    choice.check()
    groups = page.locator("#subgroups-rows .thrive-subrow")
    assert groups.count() == 19
    assert page.locator("#subgroups-rows h4").all_inner_texts()[0] == "Asian, Asian British or Asian Welsh"
    page.get_by_role("group", name="Bangladeshi").get_by_label("Yes, assess it in depth").check()
    assert page.locator("[name='subgroups-0-evidence']").is_visible()
    page.locator("[name='subgroups-0-evidence']").fill(
        "Census 2021 by borough; the waiting list by ethnic group."
    )
    page.get_by_role("group", name="Chinese").get_by_label("No, not relevant").check()
    page.locator("[name='subgroups-1-not_relevant_reason']").fill("Few on the waiting list.")
    axe_check(page)

    page.get_by_role("button", name="Save and come back later").click()
    page.wait_for_load_state()
    assert ImpactRating.objects.get(assessment=assessment, characteristic__key="race").by_subgroups is True
    rows = SubgroupRating.objects.filter(assessment=assessment).order_by("subgroup__order")
    assert rows[0].relevant is True and rows[0].evidence.startswith("Census 2021")
    assert (rows[1].relevant, rows[1].not_relevant_reason) == (False, "Few on the waiting list.")

    # Back on the page, the groups show as chosen; choosing "No" again hides them.
    page.goto(f"{live_server.url}{reverse('assessments:section', args=[assessment.reference, 'impacts'])}")
    page.wait_for_load_state()
    assert page.locator("[name='subgroups-0-evidence']").is_visible()
    page.locator(f"input[name='{race}by_subgroups'][value='no']").check()
    assert not page.locator("input[name='subgroups-0-relevant']").first.is_visible()
    axe_check(page)


def test_the_ethnic_groups_can_be_answered_without_javascript(
    open_section_without_javascript, staff_user, approver_user
):
    assessment = _screened_for_race(staff_user, approver_user)
    page = open_section_without_javascript(staff_user, assessment, "impacts")
    race = _race_prefix(page)
    # Without the script every part shows, as GOV.UK's conditional reveal does.
    page.locator(f"input[name='{race}relevant'][value='yes']").check()
    page.locator(f"input[name='{race}by_subgroups'][value='yes']").check()
    page.locator("input[name='subgroups-18-relevant'][value='no']").check()
    page.locator("[name='subgroups-18-not_relevant_reason']").fill("Not among those the service reaches.")
    page.get_by_role("button", name="Save and come back later").click()
    page.wait_for_load_state()
    last = SubgroupRating.objects.filter(assessment=assessment).order_by("subgroup__order").last()
    assert last.subgroup.name == "Any other ethnic group"
    assert (last.relevant, last.not_relevant_reason) == (False, "Not among those the service reaches.")
