"""Combinations and participation accept "none applies" with a reason instead of an invented
entry; "no participation yet" says when it will happen and puts one action in the action plan."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import lifecycle
from assessments.history import assessment_changes
from assessments.kinds import kind_for
from assessments.models import Action, IntersectionalImpact, NoneApplies, ParticipationEntry
from assessments.rules import assessment_failures
from assessments.selectors import assessment_content
from assessments.tests.factories import (
    date_parts,
    fill_assessment,
    make_assessment,
    section_data,
    section_url,
)
from frameworks.scales import StructuredPart

COMBINATIONS = kind_for(StructuredPart.INTERSECTIONAL_IMPACTS)
PARTICIPATION = kind_for(StructuredPart.PARTICIPATION_LOG)
NO_COMBINATION_REASON = "The activity is a one-off leaflet reprint with no change in who it reaches."
NOT_YET_REASON = "The steering group meets for the first time next month."


def _box(kind, name: str) -> str:
    return f"{kind.none_applies.prefix_of(kind.prefix)}-{name}"


@pytest.fixture
def filled(staff_user):
    return fill_assessment(make_assessment(staff_user), user=staff_user)


def _post(editor, assessment, section_key, changes, **kwargs):
    return editor.post(
        section_url(assessment, section_key), section_data(assessment, section_key, changes, **kwargs)
    )


def _no_combination(editor, assessment, reason=NO_COMBINATION_REASON, **kwargs):
    return _post(
        editor,
        assessment,
        "intersectional",
        {_box(COMBINATIONS, "applies"): "on", _box(COMBINATIONS, "reason"): reason},
        **kwargs,
    )


def _no_participation_yet(editor, assessment, day, reason=NOT_YET_REASON):
    return _post(
        editor,
        assessment,
        "participation",
        {
            _box(PARTICIPATION, "applies"): "on",
            _box(PARTICIPATION, "reason"): reason,
            **date_parts(_box(PARTICIPATION, "expected_on"), day),
        },
    )


@pytest.mark.django_db
def test_no_combination_with_a_reason_completes_the_section_and_shows_on_check_answers(editor, filled):
    IntersectionalImpact.objects.filter(assessment=filled).delete()
    response = _no_combination(editor, filled, intent="continue", completed="yes")
    assert response.status_code == 302
    choice = NoneApplies.objects.get(assessment=filled, kind=COMBINATIONS.prefix)
    assert choice.reason == NO_COMBINATION_REASON
    assert assessment_failures(assessment_content(filled)) == []
    page = editor.get(reverse("assessments:check", args=[filled.reference])).content.decode()
    assert f"No combination applies: {NO_COMBINATION_REASON}" in page


@pytest.mark.django_db
def test_without_rows_or_the_choice_the_rule_asks_for_either(filled):
    IntersectionalImpact.objects.filter(assessment=filled).delete()
    messages = [f.message for f in assessment_failures(assessment_content(filled))]
    assert messages == [COMBINATIONS.none_applies.missing]


@pytest.mark.django_db
def test_the_choice_without_a_reason_is_shown_beside_the_reason_box(editor, filled):
    IntersectionalImpact.objects.filter(assessment=filled).delete()
    response = _no_combination(editor, filled, reason="", intent="continue", completed="yes")
    assert response.status_code == 200
    page = response.content.decode()
    assert COMBINATIONS.none_applies.missing_reason in page
    assert f'href="#id_{_box(COMBINATIONS, "reason")}"' in page
    assert NoneApplies.objects.filter(assessment=filled).exists()  # what was ticked is kept


@pytest.mark.django_db
def test_the_choice_beside_remaining_combinations_is_refused_beside_the_box_and_not_counted(editor, filled):
    response = _no_combination(editor, filled, intent="continue", completed="yes")
    assert response.status_code == 200
    page = response.content.decode()
    assert f'href="#id_{_box(COMBINATIONS, "applies")}"' in page
    assert COMBINATIONS.none_applies.rows_too in page
    assert NO_COMBINATION_REASON in page  # what was typed is shown again
    content = assessment_content(filled)
    assert assessment_failures(content) == []  # the combination's own rules pass
    assert COMBINATIONS.table(content).note == ""  # and the summary shows the rows, not the choice


@pytest.mark.django_db
def test_no_participation_yet_beside_entries_makes_no_action(editor, filled):
    _no_participation_yet(editor, filled, timezone.localdate() + timedelta(days=30))
    assert not Action.objects.filter(assessment=filled).exists()


@pytest.mark.django_db
def test_no_participation_yet_makes_one_action_due_that_day_however_often_it_is_saved(editor, filled):
    ParticipationEntry.objects.filter(assessment=filled).delete()
    day = timezone.localdate() + timedelta(days=30)
    assert _no_participation_yet(editor, filled, day).status_code == 302
    assert _no_participation_yet(editor, filled, day).status_code == 302
    choice = NoneApplies.objects.get(assessment=filled, kind=PARTICIPATION.prefix)
    assert choice.expected_on == day
    action = Action.objects.get(assessment=filled)
    assert choice.action == action
    assert (action.due_date, action.owner) == (day, filled.owner)
    assert NOT_YET_REASON in action.action
    assert assessment_failures(assessment_content(filled)) == []

    later = day + timedelta(days=14)
    _no_participation_yet(editor, filled, later)
    assert list(Action.objects.filter(assessment=filled).values_list("pk", "due_date")) == [
        (action.pk, later)
    ]


@pytest.mark.django_db
def test_no_participation_yet_without_a_date_asks_when(editor, filled):
    ParticipationEntry.objects.filter(assessment=filled).delete()
    response = _post(
        editor,
        filled,
        "participation",
        {_box(PARTICIPATION, "applies"): "on", _box(PARTICIPATION, "reason"): NOT_YET_REASON},
        intent="continue",
        completed="yes",
    )
    assert PARTICIPATION.none_applies.missing_when in response.content.decode()
    assert not Action.objects.filter(assessment=filled).exists()


@pytest.mark.django_db
def test_unticking_the_choice_removes_it_and_the_untouched_action_it_made(editor, filled):
    ParticipationEntry.objects.filter(assessment=filled).delete()
    _no_participation_yet(editor, filled, timezone.localdate() + timedelta(days=30))
    _post(editor, filled, "participation", {_box(PARTICIPATION, "applies"): []})
    assert not NoneApplies.objects.filter(assessment=filled).exists()
    assert not Action.objects.filter(assessment=filled).exists()


@pytest.mark.django_db
def test_the_signed_snapshot_pdf_and_history_record_the_choice_and_reason(editor, filled, sign_off):
    IntersectionalImpact.objects.filter(assessment=filled).delete()
    ParticipationEntry.objects.filter(assessment=filled).delete()
    day = timezone.localdate() + timedelta(days=30)
    _no_combination(editor, filled)
    _no_participation_yet(editor, filled, day)
    history = [change.what for change in assessment_changes(filled)]
    assert COMBINATIONS.none_applies.label in history and PARTICIPATION.none_applies.label in history
    signed = sign_off(filled)
    document = json.loads(signed.snapshot.document)
    notes = [table.get("note") for section in document["sections"] for table in section["tables"]]
    assert f"No combination applies: {NO_COMBINATION_REASON}" in notes
    assert any(note and note.startswith(f"No participation yet: {NOT_YET_REASON}") for note in notes)


@pytest.mark.django_db
def test_a_reassessment_carries_the_choice_over_with_its_action(editor, filled, sign_off, staff_user):
    ParticipationEntry.objects.filter(assessment=filled).delete()
    _no_participation_yet(editor, filled, timezone.localdate() + timedelta(days=30))
    old = sign_off(filled)
    new = lifecycle.assessment_reassess(assessment=old, user=staff_user)
    choice = NoneApplies.objects.get(assessment=new, kind=PARTICIPATION.prefix)
    assert (choice.reason, choice.expected_on) == (NOT_YET_REASON, old.none_applies.get().expected_on)
    assert choice.action.assessment == new
    assert Action.objects.filter(assessment=new).count() == 1
