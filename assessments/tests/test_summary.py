"""Check your answers reads as the assessment does: nothing needed shows as nothing missing, and
the groups an action addresses are told apart."""

import pytest
from django.urls import reverse

from assessments.display import NOT_ANSWERED
from assessments.models import ImpactRating, IntersectionalImpact
from assessments.selectors import assessment_content, version_characteristics
from assessments.summary import NOT_NEEDED, assessment_summary
from assessments.tests.factories import add_action, fill_assessment, make_assessment
from frameworks.scales import Impact

IMPACT_HEADERS = ["Group", "Impact", "Evidence", "Confidence", "Data gap", "Mitigation", "Justification"]


@pytest.fixture
def assessment(staff_user):
    return fill_assessment(make_assessment(staff_user), user=staff_user)


def table(assessment, caption: str):
    for item in assessment_summary(assessment_content(assessment)):
        for found in item.tables:
            if found.caption == caption:
                return found
    raise AssertionError(f"No table {caption!r}")


def impact_row(assessment, name: str) -> dict[str, str]:
    grid = table(assessment, "Impact on people and groups")
    assert grid.headers == IMPACT_HEADERS
    (row,) = [row for row in grid.rows if row[0] == name]
    return dict(zip(grid.headers, row, strict=True))


@pytest.mark.django_db
def test_a_neutral_impact_needs_no_mitigation_or_justification_and_does_not_read_as_missing(assessment):
    race = ImpactRating.objects.select_related("characteristic").get(
        assessment=assessment, characteristic__key="race"
    )
    assert race.impact == Impact.NEUTRAL
    row = impact_row(assessment, race.characteristic.name)
    assert row["Mitigation"] == NOT_NEEDED
    assert row["Justification"] == NOT_NEEDED


@pytest.mark.django_db
def test_a_negative_impact_without_mitigation_still_reads_as_not_answered(assessment):
    race = ImpactRating.objects.select_related("characteristic").get(
        assessment=assessment, characteristic__key="race"
    )
    ImpactRating.objects.filter(pk=race.pk).update(impact=Impact.NEGATIVE, mitigation="")
    row = impact_row(assessment, race.characteristic.name)
    assert row["Mitigation"] == NOT_ANSWERED
    assert row["Justification"] == NOT_NEEDED  # only a significant negative impact needs one


@pytest.mark.django_db
def test_what_was_written_is_shown_even_where_it_was_not_needed(assessment):
    race = ImpactRating.objects.select_related("characteristic").get(
        assessment=assessment, characteristic__key="race"
    )
    ImpactRating.objects.filter(pk=race.pk).update(mitigation="Interpreters at every session.")
    assert impact_row(assessment, race.characteristic.name)["Mitigation"] == "Interpreters at every session."


@pytest.mark.django_db
def test_an_actions_groups_are_listed_apart_with_combinations_named_by_their_description(
    assessment, client, staff_user
):
    content = assessment_content(assessment)
    by_key = {c.key: c for c in version_characteristics(content.version)}
    described = IntersectionalImpact.objects.create(
        assessment=assessment, description="Older women with limited English", impact=Impact.NEGATIVE
    )
    described.characteristics.set([by_key["sex"], by_key["age"]])
    undescribed = IntersectionalImpact.objects.create(assessment=assessment, impact=Impact.NEGATIVE)
    undescribed.characteristics.set([by_key["sex"], by_key["race"]])
    action = add_action(
        assessment, characteristics=[by_key["sex"], by_key["race"]], combinations=[described, undescribed]
    )

    plan = table(assessment, "Action plan")
    groups = plan.rows[0][plan.headers.index("Groups")]
    first, second = [c.name for c in action.characteristics.all()]
    undescribed_names = " and ".join(c.name for c in undescribed.characteristics.all())
    assert groups.split("; ") == [
        first,
        second,
        "Combination: Older women with limited English",
        f"Combination: {undescribed_names}",
    ]
    assert by_key["age"].name not in groups  # the described combination goes by its own name

    client.force_login(staff_user)
    page = client.get(reverse("assessments:check", args=[assessment.reference])).content.decode()
    assert f"{first}; {second}; Combination: Older women with limited English; Combination: " in page
