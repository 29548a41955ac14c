"""The outcome review's pages: the owner writes it, an approver signs it off, others read it."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from assessments import lifecycle
from assessments.models import Answer, Snapshot
from assessments.reminders import reminders_send
from assessments.tests.factories import date_parts
from outcomes import services
from outcomes.forms import DUE_IN_THE_PAST_MESSAGE
from outcomes.models import ImpactOutcome, OutcomeReview
from outcomes.tests.factories import complete_data, predicted_assessment

# The public register's decision, made on the same sign-off page.
NOT_PUBLISHED = {"publication-decision": "not_published", "publication-reason": "Internal work."}


def _url(review, name="review"):
    return reverse(f"outcomes:{name}", args=[review.assessment.reference])


def _posted(review, data, intent="save"):
    return {"revision": str(review.revision), "intent": intent, **data}


def test_the_owner_sees_the_form_for_a_due_review(client, staff_user, due_review):
    client.force_login(staff_user)
    response = client.get(_url(due_review))
    assert response.status_code == 200
    assert b"What happened for Age?" in response.content
    assert b"The assessment predicted: some negative impact." in response.content


def test_saving_and_coming_back_later_keeps_the_answers(client, staff_user, due_review):
    client.force_login(staff_user)
    row = due_review.impacts.get(characteristic_key="age")
    response = client.post(_url(due_review), _posted(due_review, {f"impact_{row.pk}_result": "worse"}))
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.result == "worse"


def test_sending_an_incomplete_review_saves_it_and_says_what_is_missing(client, staff_user, due_review):
    client.force_login(staff_user)
    response = client.post(
        _url(due_review), _posted(due_review, {"challenges": "Staff left."}, intent="submit")
    )
    assert response.status_code == 200
    assert services.MISSING_SUSTAINABILITY.encode() in response.content
    assert b"Staff left." in response.content
    due_review.refresh_from_db()
    assert due_review.challenges == "Staff left."
    assert due_review.status == OutcomeReview.Status.IN_PROGRESS


def test_input_too_long_is_refused_with_a_message_and_kept_on_the_page(client, staff_user, due_review):
    client.force_login(staff_user)
    long = "x" * 20_001
    response = client.post(_url(due_review), _posted(due_review, {"voices": long, "challenges": "Kept."}))
    assert response.status_code == 400
    assert b"Kept." in response.content
    due_review.refresh_from_db()
    assert due_review.challenges == ""


def test_a_bad_choice_or_revision_gives_a_message_not_a_500(client, staff_user, due_review):
    client.force_login(staff_user)
    row = due_review.impacts.first()
    response = client.post(_url(due_review), {"revision": "x", f"impact_{row.pk}_result": "amazing"})
    assert response.status_code == 400
    assert b"There is a problem" in response.content


def test_a_second_save_from_an_old_page_shows_a_conflict_and_keeps_what_was_typed(
    client, staff_user, due_review
):
    client.force_login(staff_user)
    services.outcome_review_save(
        review=due_review, user=staff_user, revision=0, data={"challenges": "First."}
    )
    response = client.post(_url(due_review), {"revision": "0", "intent": "save", "challenges": "Mine."})
    assert response.status_code == 409
    assert services.CONFLICT_MESSAGE.encode() in response.content
    assert b"Mine." in response.content
    due_review.refresh_from_db()
    assert due_review.challenges == "First."


def test_the_complete_review_goes_to_an_approver_who_signs_it_off(
    client, staff_user, other_approver, due_review
):
    client.force_login(staff_user)
    response = client.post(_url(due_review), _posted(due_review, complete_data(due_review), intent="submit"))
    assert response.status_code == 302
    due_review.refresh_from_db()
    assert due_review.status == OutcomeReview.Status.SUBMITTED
    client.force_login(other_approver)
    assert client.get(_url(due_review, "sign_off")).status_code == 200
    refused = client.post(_url(due_review, "sign_off"), {})
    assert refused.status_code == 400
    assert b"Confirm the declaration" in refused.content
    response = client.post(_url(due_review, "sign_off"), {"declaration": "on"})
    assert response.status_code == 302
    due_review.refresh_from_db()
    assert due_review.status == OutcomeReview.Status.SIGNED_OFF
    detail = client.get(reverse("assessments:detail", args=[due_review.assessment.reference]))
    assert b"Outcome review signed off" in detail.content  # the timeline


def test_the_owner_cannot_reach_the_sign_off_page(client, staff_user, due_review):
    client.force_login(staff_user)
    due_review = services.outcome_review_save(
        review=due_review, user=staff_user, revision=0, data=complete_data(due_review), submit=True
    ).review
    assert client.get(_url(due_review, "sign_off")).status_code == 403


def test_a_return_needs_a_reason(client, staff_user, other_approver, due_review):
    services.outcome_review_save(
        review=due_review, user=staff_user, revision=0, data=complete_data(due_review), submit=True
    )
    client.force_login(other_approver)
    assert client.post(_url(due_review, "return"), {"reason": ""}).status_code == 400
    assert client.post(_url(due_review, "return"), {"reason": "Add figures."}).status_code == 302
    assert OutcomeReview.objects.get(pk=due_review.pk).status == OutcomeReview.Status.IN_PROGRESS


def test_the_board_reads_only_a_signed_off_review(client, board_user, due_review):
    client.force_login(board_user)
    assert client.get(_url(due_review)).status_code == 404


def test_anonymous_is_sent_to_sign_in_and_the_wrong_method_is_refused(client, staff_user, due_review):
    assert client.get(_url(due_review)).status_code == 302
    client.force_login(staff_user)
    assert client.put(_url(due_review)).status_code == 405
    assert client.get(_url(due_review, "return")).status_code == 405


def test_an_unknown_reference_gives_404(client, staff_user):
    client.force_login(staff_user)
    assert client.get(reverse("outcomes:review", args=["EIA-2026-9999"])).status_code == 404


def test_the_sign_off_form_asks_when_outcomes_are_due_and_refuses_a_past_date(
    client, staff_user, approver_user
):
    from assessments import services as assessment_services

    assessment = predicted_assessment(staff_user)
    assessment_services.assessment_submit(assessment=assessment, user=staff_user)
    client.force_login(approver_user)
    url = reverse("assessments:sign_off", args=[assessment.reference])
    page = client.get(url)
    assert b"When can the outcomes be reviewed?" in page.content
    yesterday = timezone.localdate() - timedelta(days=1)
    response = client.post(
        url, {"declaration": "on", **date_parts("outcomes-due_on", yesterday), **NOT_PUBLISHED}
    )
    assert DUE_IN_THE_PAST_MESSAGE.encode() in response.content
    assert not Snapshot.objects.filter(assessment=assessment).exists()
    chosen = timezone.localdate() + timedelta(days=90)
    response = client.post(
        url, {"declaration": "on", **date_parts("outcomes-due_on", chosen), **NOT_PUBLISHED}
    )
    assert response.status_code == 302
    assert OutcomeReview.objects.get(assessment=assessment).due_on == chosen


def test_a_due_review_is_reminded_once_and_listed_on_the_owners_home_page(
    client, staff_user, due_review, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    today = timezone.localdate()
    before = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        reminders_send(today=today)
    subjects = [message.subject for message in mail.outbox[before:]]
    assert f"Outcome review of {due_review.assessment.reference} due on" in " ".join(subjects)
    count = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        reminders_send(today=today)
    assert not [m for m in mail.outbox[count:] if m.subject.startswith("Outcome review")]
    client.force_login(staff_user)
    home = client.get(reverse("home"))
    assert b"Outcome reviews due (1)" in home.content
    assert due_review.assessment.reference.encode() in home.content


def test_a_review_not_due_yet_is_neither_reminded_nor_listed(client, staff_user, signed):
    mail.outbox.clear()
    reminders_send(today=timezone.localdate())
    assert not [m for m in mail.outbox if m.subject.startswith("Outcome review")]
    client.force_login(staff_user)
    assert b"Outcome reviews due (0)" in client.get(reverse("home")).content


@pytest.fixture
def signed_review(due_review, staff_user, other_approver):
    review = services.outcome_review_save(
        review=due_review, user=staff_user, revision=0, data=complete_data(due_review, "worse"), submit=True
    ).review
    return services.outcome_review_sign_off(review=review, user=other_approver, declaration=True)


def test_the_signed_off_review_shows_on_the_assessment_and_starts_the_reassessments_evidence(
    client, staff_user, signed_review
):
    assessment = signed_review.assessment
    client.force_login(staff_user)
    page = client.get(reverse("assessments:detail", args=[assessment.reference]))
    assert b"Read the outcome review" in page.content
    new = lifecycle.assessment_reassess(assessment=assessment, user=staff_user)
    evidence = Answer.objects.get(assessment=new, question__key="sources").value
    assert evidence.startswith(f"Outcome review of version 1 ({assessment.reference})")
    assert "Age: predicted some negative; worse than expected. Evidence: Survey for Age." in evidence
    assert "An answer to sources." in evidence  # what the earlier version said is kept after it
    page = client.get(reverse("assessments:detail", args=[new.reference]))
    assert b"What happened last time" in page.content


def test_the_board_reads_a_signed_off_review_on_the_portal(client, board_user, signed_review):
    client.force_login(board_user)
    assert client.get(_url(signed_review)).status_code == 200
    page = client.get(reverse("reporting:board_assessment", args=[signed_review.assessment.reference]))
    assert b"What happened" in page.content
    assert signed_review.sha256.encode() in page.content
    assert ImpactOutcome.objects.filter(review=signed_review).count() == 2


def test_a_sign_off_without_the_date_schedules_the_review_on_the_review_date(
    client, staff_user, approver_user
):
    from assessments import services as assessment_services

    assessment = predicted_assessment(staff_user)
    assessment_services.assessment_submit(assessment=assessment, user=staff_user)
    client.force_login(approver_user)
    response = client.post(
        reverse("assessments:sign_off", args=[assessment.reference]), {"declaration": "on", **NOT_PUBLISHED}
    )
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.review_date is not None
    assert OutcomeReview.objects.get(assessment=assessment).due_on == assessment.review_date


def test_the_board_home_page_has_no_outcome_reviews_section(client, board_user):
    client.force_login(board_user)
    assert b"Outcome reviews due" not in client.get(reverse("home")).content
