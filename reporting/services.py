"""Writes of the reporting app: PDFs stored once, board packs and board feedback."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment, Snapshot
from assessments.notifications import notify
from assessments.permissions import is_involved
from assessments.snapshots import FingerprintMismatch, snapshot_verify
from reporting import pdf
from reporting.models import BoardFeedback, BoardPack, RenderedPdf
from reporting.permissions import is_board_member
from thrive_edi.people import person_name
from thrive_edi.roles import ROLE_DEFINITIONS, Role

logger = logging.getLogger(__name__)


def pdf_request(*, snapshot: Snapshot) -> RenderedPdf:
    """The snapshot's PDF record; the first request for it queues the rendering."""
    rendered, created = RenderedPdf.objects.get_or_create(snapshot=snapshot)
    if created:
        from reporting.tasks import render_pdf  # the tasks module imports this one

        transaction.on_commit(lambda: render_pdf.enqueue(snapshot.pk))
    return rendered


def pdf_render(*, snapshot_id: int) -> RenderedPdf:
    """Render a snapshot's PDF and store it, unless it is stored already.

    A snapshot that no longer matches its fingerprint is refused (``FingerprintMismatch``):
    nothing is rendered from it. A failure is recorded on the row (visible to admins) and
    raised, so that the task that called it can try again.
    """
    rendered, _ = RenderedPdf.objects.get_or_create(snapshot_id=snapshot_id)
    if rendered.status == RenderedPdf.Status.READY:
        return rendered
    snapshot = Snapshot.objects.select_related("assessment").get(pk=snapshot_id)
    RenderedPdf.objects.filter(pk=rendered.pk).update(attempts=F("attempts") + 1)
    try:
        snapshot_verify(snapshot)
    except FingerprintMismatch as error:
        RenderedPdf.objects.filter(pk=rendered.pk).update(
            status=RenderedPdf.Status.REFUSED, last_error=str(error)[:2000]
        )
        logger.error("PDF refused: %s", error, extra={"snapshot": snapshot_id})
        admins_tell(rendered=rendered, assessment=snapshot.assessment, error=str(error))
        raise
    try:
        data = pdf.render_assessment_pdf(snapshot.document, snapshot.sha256)
    except Exception as error:
        RenderedPdf.objects.filter(pk=rendered.pk).update(
            status=RenderedPdf.Status.FAILED, last_error=f"{type(error).__name__}: {error}"[:2000]
        )
        logger.exception("PDF rendering failed", extra={"snapshot": snapshot_id})
        raise
    with transaction.atomic():
        rendered = (
            RenderedPdf.objects.select_for_update().select_related("snapshot__assessment").get(pk=rendered.pk)
        )
        if rendered.status == RenderedPdf.Status.READY:
            return rendered  # another worker stored it meanwhile
        rendered.file.save(rendered.download_name, ContentFile(data), save=False)
        rendered.sha256 = pdf.file_sha256(data)
        rendered.size = len(data)
        rendered.status = RenderedPdf.Status.READY
        rendered.rendered_at = timezone.now()
        rendered.last_error = ""
        rendered.save()
    return rendered


def service_admins() -> list:
    """The people who look after the service: active admins and superusers with an email."""
    return list(
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(groups__name=ROLE_DEFINITIONS[Role.ADMIN].group_name))
        .exclude(email="")
        .distinct()
    )


def admins_tell(*, rendered: RenderedPdf, assessment: Assessment, error: str) -> None:
    """Email the admins that a PDF could not be made, with the error and where to see it."""
    link = settings.SITE_URL.rstrip("/") + reverse("admin:reporting_renderedpdf_change", args=[rendered.pk])
    notify(
        "pdf_failed",
        recipients=service_admins(),
        context={"assessment": assessment, "error": error, "link": link},
    )


def pack_entry(assessment: Assessment) -> dict:
    return {
        "reference": assessment.reference,
        "title": assessment.title,
        "signed_off": timezone.localtime(assessment.signed_off_at).strftime("%-d %B %Y"),
        "sha256": assessment.snapshot.sha256,
    }


@transaction.atomic
def board_pack_create(*, user, title: str, meeting_date, assessments) -> BoardPack:
    chosen = list(assessments)
    if not chosen:
        raise ValidationError("Choose at least one assessment for the pack")
    if any(a.status not in Assessment.PUBLISHED_STATUSES for a in chosen):
        raise ValidationError("A board pack can only hold signed-off assessments")
    pack = BoardPack.objects.create(title=title, meeting_date=meeting_date, created_by=user)
    pack.assessments.set(chosen)
    from reporting.tasks import build_board_pack  # the tasks module imports this one

    transaction.on_commit(lambda: build_board_pack.enqueue(pack.pk))
    return pack


def board_pack_build(*, pack_id: int) -> BoardPack:
    """Render any missing PDFs, merge them behind a cover with contents, and store the pack."""
    pack = BoardPack.objects.get(pk=pack_id)
    assessments = list(pack.assessments.select_related("snapshot").order_by("reference"))
    try:
        parts = []
        for assessment in assessments:
            snapshot_verify(assessment.snapshot)  # even when its PDF was made before
            rendered = pdf_render(snapshot_id=assessment.snapshot.pk)
            with rendered.file.open("rb") as stored:
                parts.append((pack_entry(assessment), stored.read()))
        data = pdf.render_board_pack(title=pack.title, meeting_date=pack.meeting_date, parts=parts)
    except Exception as error:
        BoardPack.objects.filter(pk=pack.pk).update(
            status=BoardPack.Status.FAILED, last_error=f"{type(error).__name__}: {error}"[:2000]
        )
        raise
    pack.file.save(pack.download_name, ContentFile(data), save=False)
    pack.sha256 = pdf.file_sha256(data)
    pack.status = BoardPack.Status.READY
    pack.last_error = ""
    pack.save(update_fields=["file", "sha256", "status", "last_error"])
    return pack


@transaction.atomic
def feedback_add(*, assessment: Assessment, user, kind: str, text: str) -> BoardFeedback:
    if not is_board_member(user):
        raise PermissionDenied("Only Advisory Board members record board feedback.")
    if assessment.status not in Assessment.PUBLISHED_STATUSES:
        raise PermissionDenied("The board gives feedback on signed-off assessments.")
    return BoardFeedback.objects.create(assessment=assessment, kind=kind, text=text.strip(), author=user)


@transaction.atomic
def feedback_respond(*, feedback: BoardFeedback, user, response: str) -> BoardFeedback:
    if not is_involved(user, feedback.assessment):
        raise PermissionDenied("Only the assessment's owner or collaborators respond to board feedback.")
    feedback.response = response.strip()
    feedback.responded_by = user
    feedback.responded_at = timezone.now()
    feedback.save(update_fields=["response", "responded_by", "responded_at"])
    return feedback


def feedback_for_snapshot(assessment: Assessment) -> list[dict]:
    """The board's feedback on the earlier versions of an assessment, for its snapshot."""
    earlier, current = [], assessment.previous
    while current is not None:
        earlier.append(current.pk)
        current = current.previous
    feedback = BoardFeedback.objects.filter(assessment_id__in=earlier).select_related(
        "assessment", "author", "responded_by"
    )
    return [
        {
            "reference": f"{item.assessment.reference} version {item.assessment.version_number}",
            "kind": item.get_kind_display(),
            "author": person_name(item.author),
            "date": timezone.localtime(item.created_at).strftime("%-d %B %Y"),
            "text": item.text,
            "response": item.response,
            "responded_by": person_name(item.responded_by) if item.responded_by else "",
        }
        for item in feedback
    ]
