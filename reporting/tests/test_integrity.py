"""Fingerprints are checked, not just printed: on every render and by ``verify_records``."""

import logging

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from assessments import lifecycle
from assessments import services as assessment_services
from assessments.models import Assessment, Snapshot
from assessments.snapshots import FingerprintMismatch, snapshot_verify
from assessments.tests.factories import fill_assessment, make_assessment
from outcomes.models import OutcomeReview
from reporting import services
from reporting.models import RenderedPdf
from reporting.tests.factories import tamper


@pytest.fixture
def demo_data(settings, django_capture_on_commit_callbacks):
    settings.DEBUG = True
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo")


@pytest.mark.django_db
def test_verify_records_passes_on_the_demo_data(demo_data, capsys):
    call_command("verify_records")
    output = capsys.readouterr().out
    published = Assessment.objects.filter(status__in=Assessment.FROZEN_STATUSES).count()
    reviews = OutcomeReview.objects.signed_off().count()  # the demo signs one off
    assert reviews == 1
    assert (
        f"Checked {published} signed-off records, {published} PDFs, 1 board pack, "
        f"{reviews} outcome review{'' if reviews == 1 else 's'} and 0 evidence files: all match." in output
    )


@pytest.mark.django_db
def test_verify_records_fails_naming_the_record_whose_snapshot_was_changed(demo_data):
    snapshot = Snapshot.objects.select_related("assessment").order_by("pk").first()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE assessments_snapshot SET document = %s WHERE id = %s",
            [snapshot.document + " ", snapshot.pk],
        )
    with pytest.raises(CommandError) as failure:
        call_command("verify_records")
    message = str(failure.value)
    assert "1 mismatch" in message
    assert f"{snapshot.assessment.reference} version {snapshot.assessment.version_number}" in message
    assert "does not match its fingerprint" in message


@pytest.mark.django_db
def test_verify_records_fails_naming_a_stored_pdf_that_changed_or_went_missing(signed_off):
    rendered = RenderedPdf.objects.get(snapshot=signed_off.snapshot)
    storage, name = rendered.file.storage, rendered.file.name
    storage.delete(name)
    storage.save(name, ContentFile(b"%PDF-1.7 something else"))
    with pytest.raises(CommandError, match=f"PDF of {signed_off.reference} version 1"):
        call_command("verify_records")
    storage.delete(name)
    with pytest.raises(CommandError, match="cannot be read"):
        call_command("verify_records")


@pytest.mark.django_db
def test_the_pdf_of_a_tampered_snapshot_is_refused_not_rendered(
    staff_user,
    approver_user,
    admin_user_with_role,
    client,
    caplog,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    from reporting import pdf

    assessment = fill_assessment(make_assessment(staff_user), user=staff_user)
    assessment_services.assessment_submit(assessment=assessment, user=staff_user)
    # Signed off without its PDF being queued, so that the record can be changed first.
    lifecycle.assessment_sign_off(assessment=assessment, user=approver_user, declaration=True)
    snapshot = Snapshot.objects.get(assessment=assessment)
    tamper(snapshot)
    snapshot.refresh_from_db()
    with pytest.raises(FingerprintMismatch):
        snapshot_verify(snapshot)

    monkeypatch.setattr(pdf, "render_assessment_pdf", lambda *a: pytest.fail("rendered a tampered record"))
    mail.outbox.clear()
    with (
        caplog.at_level(logging.ERROR, logger="reporting.services"),
        pytest.raises(FingerprintMismatch),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.pdf_render(snapshot_id=snapshot.pk)
    rendered = RenderedPdf.objects.get(snapshot=snapshot)
    assert rendered.status == RenderedPdf.Status.REFUSED
    assert not rendered.file
    assert assessment.reference in rendered.last_error and "fingerprint" in rendered.last_error
    assert any(r.levelno == logging.ERROR and assessment.reference in r.getMessage() for r in caplog.records)
    assert any(admin_user_with_role.email in m.to and assessment.reference in m.subject for m in mail.outbox)

    client.force_login(admin_user_with_role)
    admin_page = client.get(reverse("admin:reporting_renderedpdf_changelist"), {"status": "refused"})
    assert assessment.reference in admin_page.content.decode()
    client.force_login(staff_user)
    page = client.get(reverse("reporting:assessment_pdf", args=[assessment.reference]))
    assert page.status_code == 409
    text = page.content.decode()
    assert "no longer matches its fingerprint" in text
    assert "safe and unchanged" not in text  # it is not: the record was altered


@pytest.mark.django_db
def test_a_board_pack_holding_a_tampered_record_is_not_made(signed_off, staff_user):
    from reporting.models import BoardPack

    tamper(signed_off.snapshot)
    with pytest.raises(FingerprintMismatch):
        services.board_pack_build(
            pack_id=services.board_pack_create(
                user=staff_user, title="March", meeting_date="2027-03-01", assessments=[signed_off]
            ).pk
        )
    pack = BoardPack.objects.get()
    assert pack.status == BoardPack.Status.FAILED
    assert "does not match its fingerprint" in pack.last_error


@pytest.mark.django_db
def test_the_verification_page_says_when_the_record_has_since_been_superseded(
    signed_off, staff_user, sign_off, user_factory, client
):
    from thrive_edi.roles import Role

    first_fingerprint = signed_off.snapshot.sha256
    new = fill_assessment(
        lifecycle.assessment_reassess(assessment=signed_off, user=staff_user), user=staff_user
    )
    sign_off(new, approver=user_factory(username="erin", role=Role.APPROVER))
    page = client.post(reverse("reporting:verify"), {"fingerprint": first_fingerprint}).content.decode()
    assert "It matches" in page
    assert f"superseded by {new.reference} version 2" in " ".join(page.split())

    current = client.post(reverse("reporting:verify"), {"fingerprint": new.snapshot.sha256}).content.decode()
    assert "It matches" in current and "superseded" not in current
