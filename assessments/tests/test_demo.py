import pytest
from django.core.management import call_command

from assessments.models import Assessment, SectionProgress
from assessments.snapshots import fingerprint


@pytest.mark.django_db
def test_demo_data_has_assessments_in_progress_and_loads_once(settings):
    settings.DEBUG = True
    call_command("load_demo")
    call_command("load_demo")
    assessments = Assessment.objects.all()
    assert assessments.count() == 8
    statuses = sorted(assessments.values_list("status", flat=True))
    assert statuses == sorted(
        ["draft"] * 3 + ["in_review", "changes_requested", "signed_off", "signed_off", "superseded"]
    )
    assert SectionProgress.objects.filter(assessment__in=assessments).exists()
    assert all(a.owner.username == "staff" for a in assessments)
    for assessment in assessments.filter(status__in=Assessment.FROZEN_STATUSES):
        assert fingerprint(assessment.snapshot.document) == assessment.snapshot.sha256
    # Each says where it takes place: London-wide or local authorities, never both.
    for assessment in assessments.prefetch_related("local_authorities"):
        assert assessment.london_wide != bool(assessment.local_authorities.all()), assessment.title
