"""The life of an outcome review: scheduled at sign-off, saved as the owner goes, sent for
sign-off, signed off and fingerprinted without touching the signed assessment."""

import json

import pytest
from django.core.exceptions import PermissionDenied

from assessments import lifecycle
from assessments import services as assessment_services
from assessments.models import Snapshot
from assessments.snapshots import fingerprint
from outcomes import services
from outcomes.models import OutcomeEvent, OutcomeReview, OutcomeReviewFrozenError
from outcomes.tests.factories import complete_data, make_due, predicted_assessment


def test_sign_off_schedules_the_review_on_the_review_date_with_the_predictions_of_the_snapshot(signed):
    review = signed.outcome_review
    assert review.due_on == signed.review_date
    assert review.status == OutcomeReview.Status.NOT_STARTED
    rows = {row.characteristic_key: row.predicted for row in review.impacts.all()}
    assert rows == {"age": "negative", "race": "positive"}
    assert [row.action_id for row in review.actions.all()] == list(
        signed.actions.values_list("pk", flat=True)
    )
    assert review.events.get().kind == OutcomeEvent.Kind.SCHEDULED


def test_the_approver_chooses_when_outcomes_are_due(
    staff_user, approver_user, django_capture_on_commit_callbacks
):
    from datetime import date

    from outcomes.forms import OutcomeDueForm

    assessment = predicted_assessment(staff_user)
    assessment_services.assessment_submit(assessment=assessment, user=staff_user)
    chosen = OutcomeDueForm(
        {"outcomes-due_on_0": "2", "outcomes-due_on_1": "1", "outcomes-due_on_2": "2030"}, default=None
    )
    assert chosen.is_valid(), chosen.errors
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.assessment_sign_off(
            assessment=assessment, user=approver_user, declaration=True, decisions=[chosen]
        )
    assert OutcomeReview.objects.get(assessment=assessment).due_on == date(2030, 1, 2)


def test_saving_keeps_what_is_typed_even_when_incomplete(due_review, staff_user):
    row = due_review.impacts.first()
    result = services.outcome_review_save(
        review=due_review,
        user=staff_user,
        revision=0,
        data={f"impact_{row.pk}_result": "worse", "challenges": "Staff left."},
        submit=True,
    )
    assert not result.submitted
    assert f"impact_{row.pk}_evidence" in result.missing
    assert "sustainability" in result.missing
    row.refresh_from_db()
    due_review.refresh_from_db()
    assert row.result == "worse"
    assert due_review.challenges == "Staff left."
    assert due_review.status == OutcomeReview.Status.IN_PROGRESS
    assert due_review.revision == 1


def test_a_stale_revision_is_refused_and_nothing_is_overwritten(due_review, staff_user):
    services.outcome_review_save(
        review=due_review, user=staff_user, revision=0, data={"challenges": "First."}
    )
    with pytest.raises(services.ReviewConflict):
        services.outcome_review_save(
            review=due_review, user=staff_user, revision=0, data={"challenges": "Second."}
        )
    due_review.refresh_from_db()
    assert due_review.challenges == "First."


def test_a_review_not_due_yet_cannot_be_written(signed, staff_user):
    with pytest.raises(PermissionDenied, match="not due"):
        services.outcome_review_save(review=signed.outcome_review, user=staff_user, revision=0, data={})


def _submitted(review, user):
    return services.outcome_review_save(
        review=review, user=user, revision=review.revision, data=complete_data(review), submit=True
    ).review


def test_sign_off_freezes_and_fingerprints_the_review_and_leaves_the_assessment_alone(
    due_review, staff_user, other_approver
):
    snapshot = Snapshot.objects.get(assessment=due_review.assessment)
    before = (snapshot.document, snapshot.sha256)
    review = _submitted(due_review, staff_user)
    assert review.status == OutcomeReview.Status.SUBMITTED
    review = services.outcome_review_sign_off(review=review, user=other_approver, declaration=True)
    review.refresh_from_db()
    assert review.status == OutcomeReview.Status.SIGNED_OFF
    assert review.sha256 == fingerprint(review.document)
    document = json.loads(review.document)
    assert document["assessment"]["snapshot_sha256"] == before[1]
    assert {item["characteristic"]: item["result"] for item in document["impacts"]} == {
        "age": "as_expected",
        "race": "as_expected",
    }
    assert document["challenges"] == "Venues were hard to find."
    snapshot.refresh_from_db()
    assert (snapshot.document, snapshot.sha256) == before
    assert fingerprint(snapshot.document) == snapshot.sha256
    services.outcome_review_verify(review)
    with pytest.raises(OutcomeReviewFrozenError):
        review.challenges = "Changed."
        review.save()
    with pytest.raises(OutcomeReviewFrozenError):
        row = review.impacts.first()
        row.result = "worse"
        row.save()
    assert OutcomeEvent.objects.filter(review=review, kind=OutcomeEvent.Kind.SIGNED_OFF).exists()


def test_the_owner_cannot_sign_off_and_an_approver_involved_cannot_either(
    staff_user, other_approver, sign_off
):
    assessment = sign_off(predicted_assessment(staff_user, collaborators=[other_approver]))
    review = _submitted(make_due(assessment.outcome_review), staff_user)
    with pytest.raises(PermissionDenied):
        services.outcome_review_sign_off(review=review, user=staff_user, declaration=True)
    with pytest.raises(PermissionDenied, match="another approver"):
        services.outcome_review_sign_off(review=review, user=other_approver, declaration=True)


def test_a_returned_review_can_be_written_again(due_review, staff_user, other_approver):
    review = _submitted(due_review, staff_user)
    services.outcome_review_return(review=review, user=other_approver, reason="Add the survey figures.")
    review.refresh_from_db()
    assert review.status == OutcomeReview.Status.IN_PROGRESS
    services.outcome_review_save(
        review=review, user=staff_user, revision=review.revision, data={"voices": "More."}
    )


def test_a_tampered_review_fails_verification(due_review, staff_user, other_approver):
    review = services.outcome_review_sign_off(
        review=_submitted(due_review, staff_user), user=other_approver, declaration=True
    )
    OutcomeReview.objects.filter(pk=review.pk).update(
        document=review.document.replace("evenings", "mornings")
    )
    review.refresh_from_db()
    with pytest.raises(services.OutcomeFingerprintMismatch):
        services.outcome_review_verify(review)


def test_make_due_helper_makes_a_review_writable(signed, staff_user):
    review = make_due(signed.outcome_review)
    services.outcome_review_save(review=review, user=staff_user, revision=0, data={})


def test_verify_records_names_an_outcome_review_changed_after_sign_off(
    due_review, staff_user, other_approver
):
    from django.core.management import CommandError, call_command

    review = services.outcome_review_sign_off(
        review=_submitted(due_review, staff_user), user=other_approver, declaration=True
    )
    OutcomeReview.objects.filter(pk=review.pk).update(document=review.document.replace("Venues", "Halls"))
    with pytest.raises(CommandError, match=f"outcome review of {review.assessment.reference} does not match"):
        call_command("verify_records")


def test_a_persons_export_lists_the_outcome_reviews_they_wrote_and_signed_off(
    due_review, staff_user, other_approver
):
    from outcomes.receivers import personal_data

    review = services.outcome_review_sign_off(
        review=_submitted(due_review, staff_user), user=other_approver, declaration=True
    )
    owner = personal_data(None, user=staff_user)
    assert [item["assessment"] for item in owner["outcome_reviews_sent"]] == [review.assessment.reference]
    assert len(owner["outcome_answers_saved"]) == review.impacts.count() + review.actions.count()
    approver = personal_data(None, user=other_approver)
    assert approver["outcome_reviews_signed_off"][0]["sha256"] == review.sha256
    assert [step["step"] for step in approver["outcome_review_steps"]] == ["Outcome review signed off"]
