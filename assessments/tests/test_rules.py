"""Each rule of a complete assessment, failing and passing; dates are checked against a fixed day."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from assessments.models import (
    Action,
    Answer,
    ImpactRating,
    IntersectionalImpact,
    ParticipationEntry,
    PrincipleAlignment,
)
from assessments.rules import add_months, assessment_failures, section_failures
from assessments.selectors import assessment_content
from assessments.tests.factories import (
    add_action,
    date_parts,
    fill_assessment,
    make_assessment,
    section_data,
    section_url,
)
from frameworks.scales import Decision, EvidenceConfidence, Impact

TODAY = date(2026, 11, 28)


@pytest.fixture
def assessment(staff_user):
    return fill_assessment(make_assessment(staff_user), user=staff_user)


def messages(assessment, section_key: str, today: date = TODAY) -> list[str]:
    content = assessment_content(assessment)
    return [
        failure.message for failure in section_failures(content, content.section_by_key(section_key), today)
    ]


def answer(assessment, key: str, value) -> None:
    Answer.objects.filter(assessment=assessment, question__key=key).update(value=value)


def rating(assessment, key: str) -> ImpactRating:
    return ImpactRating.objects.get(assessment=assessment, characteristic__key=key)


def rate(assessment, key: str, **fields) -> ImpactRating:
    ImpactRating.objects.filter(assessment=assessment, characteristic__key=key).update(**fields)
    return rating(assessment, key)


def test_a_filled_assessment_passes_every_rule(assessment):
    assert assessment_failures(assessment_content(assessment), TODAY) == []


def test_a_new_assessment_fails_the_rules_of_every_section(staff_user):
    content = assessment_content(make_assessment(staff_user))
    failing = {failure.section_key for failure in assessment_failures(content, TODAY)}
    # The action plan has nothing to act on while no impact is rated.
    assert failing == {section.key for section in content.sections} - {"actions"}


# Required questions


def test_an_unanswered_required_question_fails(assessment):
    answer(assessment, "aims", None)
    assert messages(assessment, "about") == [
        "Answer the question: What should change for Londoners because of this activity?"
    ]


def test_an_answer_of_only_spaces_counts_as_unanswered(assessment):
    answer(assessment, "aims", "   ")
    assert len(messages(assessment, "about")) == 1


def test_an_empty_multiple_choice_answer_counts_as_unanswered(assessment):
    answer(assessment, "levels", [])
    assert messages(assessment, "about") == [
        "Answer the question: Which theory-of-change levels does it act on?"
    ]


def test_a_no_to_a_yes_no_question_is_an_answer(assessment):
    answer(assessment, "rapid", False)
    assert messages(assessment, "about") == []


def test_an_optional_question_may_stay_unanswered(assessment):
    Answer.objects.filter(assessment=assessment, question__key="missing_voices").delete()
    assert messages(assessment, "participation") == []


def test_a_required_question_never_saved_fails(assessment):
    Answer.objects.filter(assessment=assessment, question__key="sources").delete()
    assert messages(assessment, "evidence") == [
        "Answer the question: Which data, research and community insight did you use?"
    ]


# Impacts that need an action


@pytest.mark.parametrize(
    ("impact", "label"),
    [
        (Impact.NEGATIVE, "Some negative"),
        (Impact.SIGNIFICANT_NEGATIVE, "Significant negative"),
        (Impact.UNKNOWN, "Unknown"),
    ],
)
def test_an_adverse_or_unknown_impact_without_an_action_fails(assessment, impact, label):
    race = rate(assessment, "race", impact=impact, mitigation="Outreach.", justification="Needed.")
    assert messages(assessment, "actions") == [f"Add an action for {race.characteristic.name} ({label})"]


@pytest.mark.parametrize("impact", [Impact.NEGATIVE, Impact.SIGNIFICANT_NEGATIVE, Impact.UNKNOWN])
def test_an_adverse_or_unknown_impact_with_a_linked_action_passes(assessment, impact):
    race = rate(assessment, "race", impact=impact, mitigation="Outreach.", justification="Needed.")
    add_action(assessment, characteristics=[race.characteristic])
    assert messages(assessment, "actions") == []
    assert messages(assessment, "impacts") == []


def test_an_action_linked_to_another_characteristic_does_not_count(assessment):
    race = rate(assessment, "race", impact=Impact.NEGATIVE, mitigation="Outreach.")
    add_action(assessment, characteristics=[rating(assessment, "sex").characteristic])
    assert messages(assessment, "actions") == [
        f"Add an action for {race.characteristic.name} (Some negative)"
    ]


@pytest.mark.parametrize("impact", [Impact.NEUTRAL, Impact.POSITIVE, Impact.SIGNIFICANT_POSITIVE])
def test_neutral_and_positive_impacts_need_no_action(assessment, impact):
    rate(assessment, "race", impact=impact)
    assert messages(assessment, "actions") == []


def test_no_evidence_needs_an_action_even_for_a_neutral_impact(assessment):
    race = rate(assessment, "race", confidence=EvidenceConfidence.NONE)
    assert messages(assessment, "actions") == [f"Add an action for {race.characteristic.name} (no evidence)"]
    add_action(assessment, characteristics=[race.characteristic])
    assert messages(assessment, "actions") == []


def test_an_adverse_combination_without_an_action_fails(assessment):
    combination = IntersectionalImpact.objects.get(assessment=assessment)
    IntersectionalImpact.objects.filter(pk=combination.pk).update(impact=Impact.NEGATIVE)
    names = " and ".join(c.name for c in combination.characteristics.all())
    assert messages(assessment, "actions") == [f"Add an action for {names} (Some negative)"]


def test_an_action_on_one_of_its_characteristics_does_not_cover_a_combination(assessment):
    combination = IntersectionalImpact.objects.get(assessment=assessment)
    IntersectionalImpact.objects.filter(pk=combination.pk).update(impact=Impact.UNKNOWN)
    add_action(assessment, characteristics=[combination.characteristics.first()])
    assert len(messages(assessment, "actions")) == 1


def test_an_adverse_combination_with_a_linked_action_passes(assessment):
    combination = IntersectionalImpact.objects.get(assessment=assessment)
    IntersectionalImpact.objects.filter(pk=combination.pk).update(impact=Impact.SIGNIFICANT_NEGATIVE)
    add_action(assessment, combinations=[combination])
    assert messages(assessment, "actions") == []


def test_an_incomplete_action_fails(assessment):
    add_action(assessment, issue="", action=" ", measure="", owner=None, due_date=None)
    assert messages(assessment, "actions") == [
        "Describe the issue (action 1)",
        "Describe the action (action 1)",
        "Say how progress will be measured (action 1)",
        "Choose who owns action 1",
        "Enter a due date for action 1",
    ]


# The impact grid


def test_a_significant_negative_impact_needs_a_justification_on_its_rating(assessment):
    race = rate(assessment, "race", impact=Impact.SIGNIFICANT_NEGATIVE, mitigation="Outreach.")
    add_action(assessment, characteristics=[race.characteristic])
    name = race.characteristic.name
    assert messages(assessment, "impacts") == [
        f"Give the objective justification for the significant negative impact on {name}"
    ]
    rate(assessment, "race", justification="The service is legally required to go ahead.")
    assert messages(assessment, "impacts") == []


def test_a_negative_impact_needs_a_mitigation_but_no_justification(assessment):
    race = rate(assessment, "race", impact=Impact.NEGATIVE)
    assert messages(assessment, "impacts") == [
        f"Say how the negative impact on {race.characteristic.name} will be mitigated"
    ]


def test_every_characteristic_needs_a_rating_with_evidence_confidence_and_data_gap(assessment):
    race = rate(assessment, "race", impact="")
    sex = rate(assessment, "sex", evidence="", confidence="", data_gap=None)
    age = rate(assessment, "age", data_gap=True, data_gap_note="")
    found = messages(assessment, "impacts")
    assert f"Say whether the activity could affect {race.characteristic.name}" in found
    assert f"Give the evidence for the impact on {sex.characteristic.name}" in found
    assert f"Choose how confident the evidence on {sex.characteristic.name} is" in found
    assert f"Say whether there is a data gap for {sex.characteristic.name}" in found
    assert f"Say what data is missing for {age.characteristic.name}" in found
    assert len(found) == 5


# Combinations, principles, duties, participation


def test_the_intersectional_section_needs_a_combination_of_two_or_more_characteristics(assessment):
    combination = IntersectionalImpact.objects.get(assessment=assessment)
    combination.characteristics.set(combination.characteristics.all()[:1])
    assert messages(assessment, "intersectional") == ["Choose two or more characteristics in combination 1"]
    combination.delete()
    assert messages(assessment, "intersectional") == [
        "Add at least one combination of characteristics, or say that none applies"
    ]


def test_every_principle_needs_an_alignment_and_a_narrative(assessment):
    first = PrincipleAlignment.objects.filter(assessment=assessment).order_by("principle__order").first()
    PrincipleAlignment.objects.filter(pk=first.pk).update(alignment="", narrative=" ")
    assert messages(assessment, "principles") == [
        f"Choose how the activity aligns with {first.principle.name}",
        f"Explain the alignment with {first.principle.name}",
    ]


def test_the_participation_log_needs_a_complete_entry(assessment):
    ParticipationEntry.objects.filter(assessment=assessment).update(when=None, paid=None)
    assert messages(assessment, "participation") == [
        "Enter when they took part (entry 1)",
        "Say whether they were paid (entry 1)",
    ]
    ParticipationEntry.objects.all().delete()
    assert messages(assessment, "participation") == [
        "Add at least one entry to the participation log, or say that no one has taken part yet"
    ]


# The decision


def test_continuing_with_justification_needs_the_justification_answer(assessment):
    answer(assessment, "decision", Decision.CONTINUE_WITH_JUSTIFICATION)
    assert messages(assessment, "outcome") == []
    answer(assessment, "justification", None)
    assert "Give the objective justification for continuing despite adverse impact" in messages(
        assessment, "outcome"
    )


def test_other_decisions_are_not_asked_for_that_justification(assessment):
    answer(assessment, "decision", Decision.ADJUST)
    answer(assessment, "justification", None)
    assert "Give the objective justification for continuing despite adverse impact" not in messages(
        assessment, "outcome"
    )


# The review date


@pytest.mark.parametrize(
    ("review", "rapid", "expected"),
    [
        (TODAY - timedelta(days=1), False, "The review date must be in the future"),
        (TODAY, False, "The review date must be in the future"),
        (TODAY + timedelta(days=1), False, None),
        (date(2029, 11, 28), False, None),  # exactly 3 years
        (date(2029, 11, 29), False, "The review date must be within 3 years"),
        (date(2027, 2, 28), True, None),  # exactly 3 months
        (date(2027, 3, 1), True, "because this is a rapid assessment"),
        (TODAY, True, "The review date must be in the future"),
    ],
)
def test_the_review_date_is_in_the_future_and_not_too_far(assessment, review, rapid, expected):
    answer(assessment, "review_date", review.isoformat())
    answer(assessment, "rapid", rapid)
    found = messages(assessment, "monitoring", today=TODAY)
    if expected is None:
        assert found == []
    else:
        assert len(found) == 1
        assert expected in found[0]


def test_three_months_from_the_end_of_a_month_ends_on_the_last_day_of_the_shorter_month():
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert add_months(date(2028, 2, 29), 36) == date(2031, 2, 28)
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)


def test_the_section_page_refuses_a_review_date_of_today_when_marked_complete(client, assessment, staff_user):
    client.force_login(staff_user)
    data = section_data(
        assessment, "monitoring", date_parts("q-review_date", timezone.localdate()), completed="yes"
    )
    response = client.post(section_url(assessment, "monitoring"), data)
    assert response.status_code == 200
    assert "The review date must be in the future" in response.content.decode()
    assert 'href="#id_q-review_date_0"' in response.content.decode()


def test_the_section_page_shows_the_missing_action_with_a_link_to_add_one(client, assessment, staff_user):
    race = rate(assessment, "race", impact=Impact.UNKNOWN)
    client.force_login(staff_user)
    response = client.post(
        section_url(assessment, "actions"), section_data(assessment, "actions", completed="yes")
    )
    page = response.content.decode()
    assert f"Add an action for {race.characteristic.name} (Unknown)" in page
    assert 'href="#add-row"' in page
    assert not Action.objects.exists()


def test_a_relevant_group_needs_its_impact_rated(assessment):
    race = rate(assessment, "race", impact="", relevant=True)
    assert f"Choose the likely impact on {race.characteristic.name}" in messages(assessment, "impacts")


def test_a_group_not_relevant_needs_only_a_one_line_reason(assessment):
    race = rate(assessment, "race", impact="", evidence="", confidence="", data_gap=None, relevant=False)
    assert messages(assessment, "impacts") == [
        f"Say in a line why {race.characteristic.name} is not relevant"
    ]
    rate(assessment, "race", impact="", evidence="", confidence="", data_gap=None, relevant=False,
         not_relevant_reason="A leaflet reprint in the same languages.")  # fmt: skip
    assert messages(assessment, "impacts") == []
