"""More journeys with the keyboard alone, as in ``test_browser_wizard``: where the activity
takes place (the details page's checkboxes) and the screening. And a completed impact grid
reopened, one group changed from relevant to not relevant. axe-core checks every page visited."""

import pytest
from django.urls import reverse

from assessments.models import Assessment, ImpactRating, Screening, SectionProgress
from assessments.places import BOTH_MESSAGE
from assessments.rules import assessment_failures
from assessments.selectors import assessment_content, version_characteristics
from assessments.tests.factories import fill_assessment, make_assessment
from assessments.tests.test_browser_wizard import Keyboard
from places.models import LocalAuthority

pytestmark = pytest.mark.browser


@pytest.fixture
def keys(page, axe_check, live_server):
    return Keyboard(page, axe_check, live_server.url)


def _code(name: str) -> str:
    return LocalAuthority.objects.get(name=name).gss_code


def test_where_the_activity_takes_place_is_chosen_with_the_keyboard_alone(keys, staff_user):
    assessment = make_assessment(staff_user)
    keys.sign_in(staff_user)
    keys.visit(reverse("assessments:edit_details", args=[assessment.reference]))
    keys.tick("where", _code("Hackney"))
    keys.tick("where", _code("Newham"))
    keys.press("button[type='submit']")
    assessment.refresh_from_db()
    assert sorted(a.name for a in assessment.local_authorities.all()) == ["Hackney", "Newham"]
    assert assessment.london_wide is False

    # London-wide instead: ticking it clears the local authorities, as its hint promises.
    keys.visit(reverse("assessments:edit_details", args=[assessment.reference]))
    keys.tick("where", "london")
    assert not keys.page.locator(f"input[name='where'][value='{_code('Hackney')}']").is_checked()
    keys.press("button[type='submit']")
    assert BOTH_MESSAGE not in keys.page.content()
    assessment.refresh_from_db()
    assert assessment.london_wide is True
    assert not assessment.local_authorities.exists()

    # And back: a local authority ticked clears London-wide.
    keys.visit(reverse("assessments:edit_details", args=[assessment.reference]))
    keys.tick("where", _code("Croydon"))
    assert not keys.page.locator("input[name='where'][value='london']").is_checked()
    keys.press("button[type='submit']")
    assessment.refresh_from_db()
    assert (assessment.london_wide, [a.name for a in assessment.local_authorities.all()]) == (
        False,
        ["Croydon"],
    )


def test_the_screening_is_answered_and_sent_with_the_keyboard_alone(keys, staff_user):
    from assessments import services
    from frameworks.scales import ActivityType

    assessment = services.assessment_create(
        owner=staff_user, title="Screened by keyboard", activity_type=ActivityType.PROGRAMME, screening=True
    )
    groups = {c.key: c for c in version_characteristics(assessment.framework_version_id)}
    keys.sign_in(staff_user)
    keys.visit(reverse("assessments:screening", args=[assessment.reference]))
    keys.fill("who", "Carers in two boroughs.")
    keys.choose("changes", "yes")
    keys.tick("groups", str(groups["age"].pk))
    keys.tick("groups", str(groups["sex"].pk))
    keys.choose("reach", "borough")
    keys.choose("crisis", "no")
    keys.choose("decision", "proportionate")
    keys.press("button[type='submit'][name='intent'][value='send']")
    assessment.refresh_from_db()
    assert assessment.screening_status == Assessment.Screening.SENT
    screening = Screening.objects.get(assessment=assessment)
    assert (screening.who, screening.changes, screening.reach, screening.crisis) == (
        "Carers in two boroughs.",
        True,
        "borough",
        False,
    )
    assert sorted(group.key for group in screening.groups.all()) == ["age", "sex"]
    assert assessment.scope == Assessment.Scope.PROPORTIONATE


def test_a_completed_impact_grid_reopened_changes_a_group_from_relevant_to_not_relevant(
    page, sign_in, axe_check, live_server, staff_user
):
    assessment = fill_assessment(make_assessment(staff_user), user=staff_user)
    first = assessment_content(assessment).ratings[0]
    assert first.is_relevant is True
    sign_in(page, staff_user)
    page.goto(f"{live_server.url}{reverse('assessments:section', args=[assessment.reference, 'impacts'])}")
    page.wait_for_load_state()
    axe_check(page)
    assert page.locator("#completed").is_checked()
    assert page.locator("[name='impacts-0-evidence']").is_visible()  # relevant: its questions show

    page.locator("input[name='impacts-0-relevant'][value='no']").check()
    assert not page.locator("[name='impacts-0-evidence']").is_visible()
    reason = page.locator("[name='impacts-0-not_relevant_reason']")
    assert reason.is_visible()
    reason.fill("Everyone it reaches is of working age.")
    axe_check(page)
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_load_state()
    axe_check(page)
    assert page.locator(".govuk-error-summary").count() == 0

    rating = ImpactRating.objects.get(pk=first.pk)
    assert (rating.relevant, rating.is_relevant, rating.not_relevant_reason) == (
        False,
        False,
        "Everyone it reaches is of working age.",
    )
    progress = SectionProgress.objects.get(assessment=assessment, section__key="impacts")
    assert progress.status == SectionProgress.Status.COMPLETED
    assert assessment_failures(assessment_content(assessment)) == []

    page.goto(f"{live_server.url}{reverse('assessments:check', args=[assessment.reference])}")
    page.wait_for_load_state()
    axe_check(page)
    assert "Not relevant: Everyone it reaches is of working age." in page.content()
    # Reopened again, the group opens as not relevant, its reason kept.
    page.goto(f"{live_server.url}{reverse('assessments:section', args=[assessment.reference, 'impacts'])}")
    page.wait_for_load_state()
    assert page.locator("input[name='impacts-0-relevant'][value='no']").is_checked()
    assert not page.locator("[name='impacts-0-evidence']").is_visible()
