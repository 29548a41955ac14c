"""/metrics reports the PDFs that could not be made."""

import pytest
from django.urls import reverse
from prometheus_client.parser import text_string_to_metric_families

from assessments.tests.factories import fill_assessment, make_assessment
from reporting import pdf, services
from reporting.models import RenderedPdf
from reporting.tests.factories import tamper


def pdf_counts(client) -> dict[str, float]:
    response = client.get(reverse("metrics"))
    assert response.status_code == 200
    return {
        sample.labels["status"]: sample.value
        for family in text_string_to_metric_families(response.content.decode())
        if family.name == "thrive_edi_pdfs"
        for sample in family.samples
    }


@pytest.mark.django_db
def test_failed_and_refused_pdfs_are_counted(client, settings, staff_user, sign_off, monkeypatch):
    settings.METRICS_ALLOWED_ADDRESSES = ["127.0.0.1"]
    assert pdf_counts(client) == {"pending": 0, "ready": 0, "failed": 0, "refused": 0}
    sign_off(fill_assessment(make_assessment(staff_user), user=staff_user))
    assert pdf_counts(client)["ready"] == 1
    original = pdf.render_assessment_pdf
    monkeypatch.setattr(pdf, "render_assessment_pdf", lambda *a: (_ for _ in ()).throw(RuntimeError("x")))
    failing = [sign_off(fill_assessment(make_assessment(staff_user), user=staff_user)) for _ in range(2)]
    monkeypatch.setattr(pdf, "render_assessment_pdf", original)
    assert pdf_counts(client) == {"pending": 0, "ready": 1, "failed": 2, "refused": 0}
    tamper(failing[1].snapshot)
    with pytest.raises(Exception, match="fingerprint"):
        services.pdf_render(snapshot_id=failing[1].snapshot.pk)
    assert pdf_counts(client) == {"pending": 0, "ready": 1, "failed": 1, "refused": 1}
    assert RenderedPdf.objects.filter(status=RenderedPdf.Status.REFUSED).count() == 1
