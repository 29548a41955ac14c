"""The Pledge progress report for 2026/27 over seeded data: every figure equals a count made
here, in plain Python over the same rows."""

import datetime
from collections import Counter, defaultdict

import pytest

from assessments.models import Action, Assessment, AssessmentEvent, ImpactRating, ParticipationEntry
from pledges.models import ActionCommitment, AssessmentCommitment, commitment_key
from pledges.periods import FinancialYear
from pledges.selectors import report_draft
from pledges.signals import pledge_figures_requested, pledge_outcomes_requested, pledge_tables_requested
from pledges.tests.factories import LONDON, make_pledge, seed_record
from reporting.models import BoardFeedback

pytestmark = pytest.mark.django_db

PERIOD = FinancialYear(2026)
TODAY = datetime.date(2026, 12, 1)
START = datetime.datetime(2026, 4, 1, tzinfo=LONDON)
END = datetime.datetime(2027, 4, 1, tzinfo=LONDON)


@pytest.fixture
def seeded(staff_user, approver_user, board_user):
    version = make_pledge(commitments=3)
    commitments = list(version.commitments.order_by("number"))
    seed_record(staff_user, approver_user, board_user, commitments, count=21)
    return commitments


def independent_counts(commitments) -> tuple[dict, dict]:
    keys = {c.pk: c.key for c in commitments}
    by_assessment = defaultdict(set)
    for link in AssessmentCommitment.objects.all():
        by_assessment[link.assessment_id].add(keys[link.commitment_id])
    in_period = {
        a.pk
        for a in Assessment.objects.all()
        if a.status in ("signed_off", "superseded") and a.signed_off_at and START <= a.signed_off_at < END
    }
    per_key = {key: Counter() for key in keys.values()}
    total = Counter()
    rungs = {key: Counter() for key in keys.values()}
    total_rungs = Counter()
    for pk in in_period:
        total["assessments_signed_off"] += 1
        for key in by_assessment[pk]:
            per_key[key]["assessments_signed_off"] += 1
    groups = defaultdict(set)
    for rating in ImpactRating.objects.select_related("characteristic"):
        if rating.assessment_id in in_period and rating.impact:
            groups["*"].add(rating.characteristic.key)
            for key in by_assessment[rating.assessment_id]:
                groups[key].add(rating.characteristic.key)
    for key in per_key:
        per_key[key]["groups_assessed"] = len(groups[key])
    total["groups_assessed"] = len(groups["*"])
    for entry in ParticipationEntry.objects.all():
        if entry.assessment_id not in in_period:
            continue
        for counter, rung_counter in [(total, total_rungs)] + [
            (per_key[key], rungs[key]) for key in by_assessment[entry.assessment_id]
        ]:
            counter["participation_entries"] += 1
            counter["contributors_paid"] += entry.paid is True
            rung_counter[entry.level] += 1
    own_links = defaultdict(set)
    for link in ActionCommitment.objects.all():
        own_links[link.action_id].add(keys[link.commitment_id])
    for action in Action.objects.select_related("assessment"):
        if action.assessment.status != "signed_off" or not (
            PERIOD.first_day <= action.due_date <= PERIOD.last_day
        ):
            continue
        served = own_links[action.pk] or by_assessment[action.assessment_id]
        figure = {
            "done": "actions_completed",
            "dropped": "actions_cancelled",
        }.get(action.status, "actions_overdue" if action.due_date < TODAY else None)
        if figure and served:
            total[figure] += 1
            for key in served:
                per_key[key][figure] += 1
    for feedback in BoardFeedback.objects.all():
        if not START <= feedback.created_at < END or not by_assessment[feedback.assessment_id]:
            continue
        for counter in [total] + [per_key[key] for key in by_assessment[feedback.assessment_id]]:
            counter["feedback_received"] += 1
            counter["feedback_answered"] += feedback.responded_at is not None
    screened = screened_in_period()
    for pk in screened:
        if by_assessment[pk]:
            total["screenings_signed_off"] += 1
        for key in by_assessment[pk]:
            per_key[key]["screenings_signed_off"] += 1
    places = {
        "places": places_of({pk for pk in in_period if by_assessment[pk]}),
        "screening-places": places_of({pk for pk in screened if by_assessment[pk]}),
    }
    whole = {"total": total, "rungs": total_rungs, "places": places}
    return whole, {key: (per_key[key], rungs[key]) for key in per_key}


def screened_in_period() -> set[int]:
    """Assessments whose screening an approver confirmed in the year (a "no assessment needed"
    decision is signed off with it); a screening returned, or confirmed another year, is not."""
    return {
        event.assessment_id
        for event in AssessmentEvent.objects.select_related("assessment")
        if event.kind == "screening_confirmed"
        and START <= event.at < END
        and event.assessment.screening_status == "confirmed"
    }


def places_of(ids: set[int]) -> dict[str, int]:
    counts = Counter()
    for assessment in Assessment.objects.prefetch_related("local_authorities"):
        if assessment.pk not in ids:
            continue
        if assessment.london_wide:
            counts["London-wide"] += 1
        for authority in assessment.local_authorities.all():
            counts[authority.name] += 1
    return dict(counts)


def test_every_figure_of_the_2026_27_report_equals_an_independent_count_over_the_same_rows(seeded):
    document = report_draft(PERIOD, today=TODAY)
    whole, per_commitment = independent_counts(seeded)
    figures = [key for key in document["totals"] if key != "participation"]
    assert "screenings_signed_off" in figures
    assert whole["total"]["assessments_signed_off"] > 0
    for figure in figures:
        assert document["totals"][figure] == whole["total"][figure], figure
    for rung, count in document["totals"]["participation"].items():
        assert count == whole["rungs"][rung], rung
    commitments = [c for pledge in document["pledges"] for c in pledge["commitments"]]
    assert [c["key"] for c in commitments] == [c.key for c in seeded]
    for commitment in commitments:
        expected, rungs = per_commitment[commitment["key"]]
        for figure in figures:
            assert commitment["figures"][figure] == expected[figure], (commitment["key"], figure)
        for rung, count in commitment["figures"]["participation"].items():
            assert count == rungs[rung], (commitment["key"], rung)
        assert len(commitment["activities"]) == expected["assessments_signed_off"]
    tables = {table["slug"]: dict(table["rows"]) for table in document["tables"]}
    assert sorted(tables) == sorted(whole["places"])
    for slug, counts in whole["places"].items():
        assert {place: n for place, n in tables[slug].items() if n} == counts, slug


def test_every_figure_is_nonzero_somewhere_so_the_counts_are_tested(seeded):
    document = report_draft(PERIOD, today=TODAY)
    totals = document["totals"]
    assert all(totals[figure] for figure in totals if figure != "participation"), totals
    assert sum(totals["participation"].values()) == totals["participation_entries"]


def test_what_we_did_lists_the_work_signed_off_in_the_year_with_links(seeded):
    document = report_draft(PERIOD, today=TODAY)
    first = document["pledges"][0]["commitments"][0]
    linked = AssessmentCommitment.objects.filter(commitment=seeded[0]).values_list(
        "assessment__reference", flat=True
    )
    in_period = Assessment.objects.filter(
        reference__in=linked, signed_off_at__gte=START, signed_off_at__lt=END
    ).values_list("reference", flat=True)
    assert sorted(item["reference"] for item in first["activities"]) == sorted(in_period)
    assert all(item["url"] == f"/assessments/{item['reference']}/" for item in first["activities"])


def test_work_linked_to_an_earlier_version_of_a_commitment_counts_for_it(
    staff_user, approver_user, board_user
):
    from pledges import services

    version = make_pledge(commitments=1)
    seed_record(staff_user, approver_user, board_user, list(version.commitments.all()), count=1)
    newer = services.pledge_version_copy(version=version, label="2")
    services.pledge_version_publish(version=newer)
    document = report_draft(PERIOD, today=TODAY)
    (commitment,) = document["pledges"][0]["commitments"]
    assert commitment["key"] == commitment_key(version.pledge_id, 1)
    assert commitment["figures"]["assessments_signed_off"] == 1
    assert document["pledges"][0]["version"] == "2"


def test_the_screenings_figure_is_labelled_and_follows_the_other_figures(seeded):
    document = report_draft(PERIOD, today=TODAY)
    assert document["extra_figures"] == [{"key": "screenings_signed_off", "label": "Screenings signed off"}]
    (table,) = [table for table in document["tables"] if table["slug"] == "screening-places"]
    assert table["title"] == "Screenings signed off in the year, by where the activity takes place"
    assert table["rows"][0][0] == "London-wide"


def test_outcome_parts_and_other_figures_come_from_the_apps_that_answer_the_signals(seeded):
    outcomes_before = report_draft(PERIOD, today=TODAY)
    assert [figure["key"] for figure in outcomes_before["extra_figures"]] == ["screenings_signed_off"]
    assert [table["slug"] for table in outcomes_before["tables"]] == ["places", "screening-places"]
    some = AssessmentCommitment.objects.filter(commitment=seeded[0]).values_list("assessment_id", flat=True)[
        0
    ]

    def outcomes(sender, period, assessment_ids, **kwargs):
        assert period == PERIOD and some in assessment_ids
        return [{"assessment_id": some, "part": "challenges", "text": "Recruiting peer workers took longer."}]

    def events(sender, period, assessment_ids, **kwargs):
        return [{"key": "events_held", "label": "Community events held", "by_assessment": {some: 2}}]

    def boroughs(sender, period, assessment_ids, **kwargs):
        return [{"slug": "boroughs", "title": "By borough", "row_header": "Borough", "rows": [("Newham", 3)]}]

    pledge_outcomes_requested.connect(outcomes)
    pledge_figures_requested.connect(events)
    pledge_tables_requested.connect(boroughs)
    try:
        document = report_draft(PERIOD, today=TODAY)
    finally:
        pledge_outcomes_requested.disconnect(outcomes)
        pledge_figures_requested.disconnect(events)
        pledge_tables_requested.disconnect(boroughs)
    first = document["pledges"][0]["commitments"][0]
    assert document["outcomes_recorded"]
    assert first["challenges"] == [{"text": "Recruiting peer workers took longer.", "url": ""}]
    assert first["figures"]["events_held"] == 2
    assert document["totals"]["events_held"] == 2
    assert [t["rows"] for t in document["tables"] if t["slug"] == "boroughs"] == [[("Newham", 3)]]
