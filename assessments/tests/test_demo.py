import pytest
from django.core.management import call_command

from assessments.models import Assessment, SectionProgress


@pytest.mark.django_db
def test_demo_data_has_assessments_in_progress_and_loads_once(settings):
    settings.DEBUG = True
    call_command("load_demo")
    call_command("load_demo")
    assessments = Assessment.objects.all()
    assert assessments.count() == 3
    assert set(assessments.values_list("status", flat=True)) == {Assessment.Status.DRAFT}
    assert SectionProgress.objects.filter(assessment__in=assessments).exists()
    assert all(a.owner.username == "staff" for a in assessments)
