"""A sign-off records what was decided: the assessment's own decision and review date agree
with its answers, on the row, on the PDF's cover and in the PDF's body."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse

from assessments import lifecycle, services
from assessments.models import Assessment, ReminderSent, SectionProgress
from assessments.reminders import REVIEW_NOTICE_DAYS, reminders_send
from assessments.tasklist import Task
from assessments.tests.factories import answer_of, fill_assessment, make_assessment
from frameworks.scales import Scale
from reporting.tests.pdf_checks import extracted_text, stored_pdf


@pytest.fixture
def second_approver(user_factory):
    from thrive_edi.roles import Role

    return user_factory(username="erin", role=Role.APPROVER, first_name="Erin")


@pytest.fixture
def reassessed_unchanged(staff_user, sign_off, second_approver):
    """Version 2, started from a signed-off version 1, submitted and signed off unchanged."""
    first = sign_off(fill_assessment(make_assessment(staff_user), user=staff_user))
    new = lifecycle.assessment_reassess(assessment=first, user=staff_user)
    return sign_off(new, approver=second_approver)


def _pages(data: bytes, tmp_path) -> list[str]:
    return extracted_text(data, tmp_path).split("\f")


@pytest.mark.django_db
def test_a_reassessment_signed_off_unchanged_records_the_decision_and_review_date_of_its_answers(
    reassessed_unchanged, tmp_path
):
    assessment = Assessment.objects.get(pk=reassessed_unchanged.pk)
    decision = answer_of(assessment, "decision")
    review_date = date.fromisoformat(answer_of(assessment, "review_date"))
    assert assessment.status == Assessment.Status.SIGNED_OFF
    assert (assessment.decision, assessment.review_date) == (decision, review_date)

    label = assessment.framework_version.label_for(Scale.DECISION, decision)
    written_date = f"{review_date.day} {review_date:%B %Y}"
    pages = _pages(stored_pdf(assessment), tmp_path)
    cover, body = " ".join(pages[0].split()), " ".join(" ".join(pages[1:]).split())
    assert f"Decision {label}" in cover
    assert f"Review date {written_date}" in cover
    assert "Not recorded" not in cover and "Not set" not in cover
    # In the body: the answers themselves, and the sign-off's summary of them.
    assert f"Decision: {label}" in body and body.count(label) >= 2
    assert f"Review date: {written_date}" in body and body.count(written_date) >= 2


@pytest.mark.django_db
def test_the_reminder_finds_a_reassessment_signed_off_unchanged_when_its_review_is_due(
    reassessed_unchanged, django_capture_on_commit_callbacks
):
    review_date = reassessed_unchanged.review_date
    assert reminders_send(today=review_date - timedelta(days=REVIEW_NOTICE_DAYS + 1)) == 0
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send(today=review_date - timedelta(days=REVIEW_NOTICE_DAYS)) == 1
    assert ReminderSent.objects.filter(object_id=reassessed_unchanged.pk).exists()
    assert any(reassessed_unchanged.reference in message.body for message in mail.outbox)


@pytest.mark.django_db
def test_a_reassessment_keeps_its_sections_completed_and_once_signed_off_none_is_in_progress(
    staff_user, sign_off, second_approver, client
):
    first = sign_off(fill_assessment(make_assessment(staff_user), user=staff_user))
    new = lifecycle.assessment_reassess(assessment=first, user=staff_user)
    assert set(new.progress.values_list("status", flat=True)) == {SectionProgress.Status.COMPLETED}
    new.refresh_from_db()
    assert new.decision == first.decision != ""
    assert new.review_date == first.review_date is not None

    new.progress.update(status=SectionProgress.Status.IN_PROGRESS)
    sign_off(new, approver=second_approver)
    assert set(new.progress.values_list("status", flat=True)) == {SectionProgress.Status.COMPLETED}
    client.force_login(staff_user)
    page = client.get(reverse("assessments:detail", args=[new.reference])).content.decode()
    assert Task.IN_PROGRESS not in page


@pytest.mark.django_db
def test_submission_copies_the_answers_even_when_no_section_holding_them_was_saved(staff_user):
    assessment = fill_assessment(make_assessment(staff_user), user=staff_user)
    assert assessment.decision == "" and assessment.review_date is None
    services.assessment_submit(assessment=assessment, user=staff_user)
    assessment.refresh_from_db()
    assert assessment.decision == answer_of(assessment, "decision")
    assert assessment.review_date == date.fromisoformat(answer_of(assessment, "review_date"))


@pytest.mark.django_db
def test_the_data_migration_repairs_the_assessments_own_columns_and_never_the_snapshot(
    reassessed_unchanged,
):
    import importlib

    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    name = "0005_decision_and_review_date_from_answers"
    migration = importlib.import_module(f"assessments.migrations.{name}")
    # The models as the migration sees them: without the guards that keep signed-off rows still.
    apps = MigrationLoader(connection).project_state(("assessments", name), at_end=True).apps
    assessment = reassessed_unchanged
    document = assessment.snapshot.document
    apps.get_model("assessments", "Assessment").objects.filter(pk=assessment.pk).update(
        decision="", review_date=None
    )
    assessment.progress.update(status=SectionProgress.Status.IN_PROGRESS)
    migration.repair(apps, None)
    assessment.refresh_from_db()
    assert assessment.decision == answer_of(assessment, "decision")
    assert assessment.review_date == date.fromisoformat(answer_of(assessment, "review_date"))
    assert set(assessment.progress.values_list("status", flat=True)) == {SectionProgress.Status.COMPLETED}
    assessment.snapshot.refresh_from_db()
    assert assessment.snapshot.document == document
