"""Outcome reviews for the benchmark's seeded assessments: each signed-off or superseded
assessment without one gets one, most of them written and signed off (with the document and
fingerprint a real sign-off makes), the rest due or in progress.

    seed_outcome_reviews(count=2000)

Reviews are made through ``outcome_review_schedule`` (the rows the signed snapshot predicts) and
signed off through ``review_document``, so that reports over them read what the pages write.
"""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from assessments.models import Assessment
from assessments.snapshots import canonical_json, fingerprint
from outcomes.models import ActionOutcome, Done, ImpactOutcome, OutcomeEvent, OutcomeReview, Result, Worked
from outcomes.services import outcome_review_schedule, review_document

SIGNED_OFF_SHARE = 0.75
RESULTS = [Result.BETTER, Result.AS_EXPECTED, Result.AS_EXPECTED, Result.WORSE, Result.NOT_KNOWN]


def _fill(review: OutcomeReview, rng: random.Random) -> None:
    impacts = list(review.impacts.all())
    for row in impacts:
        row.result = rng.choice(RESULTS)
        row.evidence = (
            "" if row.result == Result.NOT_KNOWN else f"Monitoring data for {row.characteristic_name}."
        )
    ImpactOutcome.objects.bulk_update(impacts, ["result", "evidence"])
    actions = list(review.actions.all())
    for row in actions:
        row.done = rng.choice(Done.values)
        row.worked = "" if row.done == Done.NO else rng.choice(Worked.values)
    ActionOutcome.objects.bulk_update(actions, ["done", "worked"])
    review.challenges = "Recruiting in the evenings was hard; two venues closed."
    review.sustainability = "The partnership funds the work for two more years."
    review.voices = "Participants asked for more sessions in community languages."


@transaction.atomic
def seed_outcome_reviews(*, count: int, signed_off_share: float = SIGNED_OFF_SHARE) -> int:
    """Add outcome reviews until ``count`` exist (or every frozen assessment has one); returns
    how many were added."""
    missing = count - OutcomeReview.objects.count()
    if missing <= 0:
        return 0
    assessments = (
        Assessment.objects.filter(status__in=Assessment.FROZEN_STATUSES, outcome_review__isnull=True)
        .select_related("framework_version", "signed_off_by", "owner")
        .order_by("pk")[:missing]
    )
    added = 0
    for assessment in assessments:
        rng = random.Random(assessment.pk)  # noqa: S311 - repeatable demo data, not secrets
        signed_at = assessment.signed_off_at or timezone.now()
        due_on = (signed_at + timedelta(days=rng.randint(90, 365))).date()
        review = outcome_review_schedule(assessment=assessment, due_on=due_on, user=assessment.signed_off_by)
        added += 1
        if rng.random() >= signed_off_share:
            continue
        _fill(review, rng)
        when = min(timezone.now(), signed_at + timedelta(days=rng.randint(120, 400)))
        approver = assessment.signed_off_by
        text = canonical_json(review_document(review, signed_off_by=approver, signed_off_at=when))
        review.status = OutcomeReview.Status.SIGNED_OFF
        review.submitted_at, review.submitted_by = when, assessment.owner
        review.signed_off_at, review.signed_off_by = when, approver
        review.document, review.sha256 = text, fingerprint(text)
        OutcomeReview.objects.bulk_update(
            [review],
            [
                "status",
                "challenges",
                "sustainability",
                "voices",
                "submitted_at",
                "submitted_by",
                "signed_off_at",
                "signed_off_by",
                "document",
                "sha256",
            ],
        )
        OutcomeEvent.objects.create(review=review, kind=OutcomeEvent.Kind.SIGNED_OFF, actor=approver)
    return added
