import json

import pytest

from assessments.models import Assessment, Snapshot
from assessments.snapshots import fingerprint
from bench.seed import seed_demo
from bench.seed_outcomes import seed_outcome_reviews
from outcomes.models import OutcomeReview
from outcomes.services import outcome_review_verify

pytestmark = pytest.mark.django_db


def test_seeded_outcome_reviews_are_signed_off_as_a_real_sign_off_makes_them():
    seed_demo(assessments=4, signed_off=12, force=True)
    frozen = Assessment.objects.filter(status__in=Assessment.FROZEN_STATUSES).count()
    snapshots = dict(Snapshot.objects.values_list("pk", "sha256"))
    assert seed_outcome_reviews(count=10) == min(10, frozen)
    assert seed_outcome_reviews(count=10) == 0
    signed = OutcomeReview.objects.signed_off()
    assert signed.exists()
    for review in signed.select_related("assessment"):
        outcome_review_verify(review)
        document = json.loads(review.document)
        assert document["assessment"]["snapshot_sha256"] == review.assessment.snapshot.sha256
        assert all(item["result"] for item in document["impacts"])
    assert dict(Snapshot.objects.values_list("pk", "sha256")) == snapshots
    assert all(fingerprint(s.document) == s.sha256 for s in Snapshot.objects.all())
