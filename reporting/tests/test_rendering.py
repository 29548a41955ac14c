"""Rendering runs after the sign-off commits, is retried when it fails, and never blocks it."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment
from assessments.tests.factories import fill_assessment, make_assessment
from reporting import pdf, services
from reporting.models import RenderedPdf
from reporting.services import PDF_NOT_MADE_MESSAGE


@pytest.fixture
def broken_renderer(monkeypatch):
    calls = []

    def fail(*args, **kwargs):
        calls.append(args)
        raise RuntimeError("fonts unavailable")

    monkeypatch.setattr(pdf, "render_assessment_pdf", fail)
    return calls


@pytest.mark.django_db
def test_a_failing_render_is_recorded_for_admins_and_never_blocks_the_sign_off(
    staff_user, sign_off, broken_renderer, client, admin_user_with_role
):
    assessment = sign_off(fill_assessment(make_assessment(staff_user), user=staff_user))
    assert assessment.status == Assessment.Status.SIGNED_OFF
    rendered = RenderedPdf.objects.get(snapshot=assessment.snapshot)
    assert rendered.status == RenderedPdf.Status.FAILED
    # One attempt in the sign-off, not several back to back: the next one is minutes away.
    assert rendered.attempts == 1 == len(broken_renderer)
    assert rendered.next_attempt_at - rendered.last_attempt_at == RenderedPdf.RETRY_DELAYS[0]
    assert "fonts unavailable" in rendered.last_error
    assert any(
        admin_user_with_role.email in message.to and assessment.reference in message.subject
        for message in mail.outbox
    )
    client.force_login(admin_user_with_role)
    admin_page = client.get(reverse("admin:reporting_renderedpdf_changelist"), {"status": "failed"})
    assert assessment.reference in admin_page.content.decode()
    assert "fonts unavailable" in admin_page.content.decode()
    page = client.get(reverse("reporting:assessment_pdf", args=[assessment.reference]))
    assert page.status_code == 503
    assert PDF_NOT_MADE_MESSAGE in page.content.decode()
    assert len(broken_renderer) == 1  # asking for it does not render it again


@pytest.mark.django_db
def test_a_failed_pdf_is_tried_again_with_growing_delays_then_given_up(staff_user, sign_off, broken_renderer):
    assessment = sign_off(fill_assessment(make_assessment(staff_user), user=staff_user))
    rendered = RenderedPdf.objects.get(snapshot=assessment.snapshot)
    assert services.pdfs_render_due(now=rendered.next_attempt_at - timedelta(seconds=1)) == (0, 0)
    for delay in RenderedPdf.RETRY_DELAYS[1:]:
        assert services.pdfs_render_due(now=rendered.next_attempt_at) == (0, 1)
        rendered.refresh_from_db()
        assert rendered.next_attempt_at - rendered.last_attempt_at == delay
    assert services.pdfs_render_due(now=rendered.next_attempt_at) == (0, 1)
    rendered.refresh_from_db()
    assert rendered.attempts == RenderedPdf.MAX_ATTEMPTS == len(broken_renderer)
    assert rendered.status == RenderedPdf.Status.FAILED and rendered.next_attempt_at is None
    assert services.pdfs_render_due(now=timezone.now() + timedelta(days=30)) == (0, 0)


@pytest.mark.django_db
def test_admins_render_a_failed_pdf_again(staff_user, sign_off, monkeypatch, client, admin_user_with_role):
    original = pdf.render_assessment_pdf
    monkeypatch.setattr(pdf, "render_assessment_pdf", lambda *a: (_ for _ in ()).throw(RuntimeError("x")))
    assessment = sign_off(fill_assessment(make_assessment(staff_user), user=staff_user))
    monkeypatch.setattr(pdf, "render_assessment_pdf", original)
    rendered = RenderedPdf.objects.get(snapshot=assessment.snapshot)
    client.force_login(admin_user_with_role)
    client.post(
        reverse("admin:reporting_renderedpdf_changelist"),
        {"action": "render_again", "_selected_action": [rendered.pk]},
    )
    rendered.refresh_from_db()
    assert rendered.status == RenderedPdf.Status.READY


@pytest.mark.django_db
def test_while_the_pdf_is_being_made_the_page_says_so_and_refreshes(staff_user, sign_off, client, settings):
    from django_tasks_db.models import DBTaskResult

    # A database queue that no worker has reached yet, as in production between sign-off and render.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assessment = sign_off(fill_assessment(make_assessment(staff_user), user=staff_user))
    assert DBTaskResult.objects.filter(task_path="reporting.tasks.render_pdf").count() == 1
    assert RenderedPdf.objects.get(snapshot=assessment.snapshot).status == RenderedPdf.Status.PENDING
    RenderedPdf.objects.filter(snapshot=assessment.snapshot).update(attempts=1)
    client.force_login(staff_user)
    response = client.get(reverse("reporting:assessment_pdf", args=[assessment.reference]))
    assert response.status_code == 202
    content = response.content.decode()
    assert "The PDF is being made" in content
    assert '<meta http-equiv="refresh" content="5">' in content


@pytest.mark.django_db
def test_the_pdf_is_stored_once_and_served_from_storage(signed_off, client, staff_user, monkeypatch):
    rendered = RenderedPdf.objects.get(snapshot=signed_off.snapshot)
    monkeypatch.setattr(pdf, "render_assessment_pdf", lambda *a: pytest.fail("rendered again"))
    client.force_login(staff_user)
    for _ in range(2):
        response = client.get(reverse("reporting:assessment_pdf", args=[signed_off.reference]))
        assert pdf.file_sha256(b"".join(response.streaming_content)) == rendered.sha256
    assert RenderedPdf.objects.get(pk=rendered.pk).attempts == 1
