"""Make every assessment's decision and review date agree with its answers, and record the
sections of every submitted assessment as completed.

A re-assessment submitted without a section being saved kept no decision and no review date
of its own, and its sections stayed "in progress". Only the assessment's own columns and
progress change: snapshots are never touched.
"""

from datetime import date

from django.db import migrations

DECISION_QUESTION = "decision"
REVIEW_DATE_QUESTION = "review_date"
SUBMITTED_STATUSES = ("in_review", "signed_off", "superseded")


def _review_date(value):
    try:
        return date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def repair(apps, schema_editor):
    Assessment = apps.get_model("assessments", "Assessment")
    Answer = apps.get_model("assessments", "Answer")
    SectionProgress = apps.get_model("assessments", "SectionProgress")
    Section = apps.get_model("frameworks", "Section")

    answers = {}
    for assessment_id, key, value in Answer.objects.filter(
        question__key__in=(DECISION_QUESTION, REVIEW_DATE_QUESTION)
    ).values_list("assessment_id", "question__key", "value"):
        answers[(assessment_id, key)] = value
    for assessment in Assessment.objects.only("pk", "decision", "review_date").iterator():
        decision = answers.get((assessment.pk, DECISION_QUESTION)) or ""
        review_date = _review_date(answers.get((assessment.pk, REVIEW_DATE_QUESTION)))
        if (assessment.decision, assessment.review_date) != (decision, review_date):
            Assessment.objects.filter(pk=assessment.pk).update(decision=decision, review_date=review_date)

    submitted = Assessment.objects.filter(status__in=SUBMITTED_STATUSES)
    SectionProgress.objects.filter(assessment__in=submitted).exclude(status="completed").update(
        status="completed"
    )
    for assessment in submitted.only("pk", "framework_version_id").iterator():
        recorded = set(
            SectionProgress.objects.filter(assessment=assessment).values_list("section_id", flat=True)
        )
        SectionProgress.objects.bulk_create(
            SectionProgress(assessment=assessment, section=section, status="completed")
            for section in Section.objects.filter(version_id=assessment.framework_version_id)
            if section.pk not in recorded
        )


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0004_dashboard_indexes"),
    ]

    operations = [migrations.RunPython(repair, migrations.RunPython.noop)]
