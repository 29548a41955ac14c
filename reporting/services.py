"""Writes of the reporting app: PDFs stored once, board packs and board feedback."""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from assessments.models import Assessment, Snapshot
from assessments.snapshots import FingerprintMismatch, snapshot_verify
from reporting import notices, pdf
from reporting.models import BoardFeedback, BoardPack, RenderedPdf
from reporting.permissions import is_board_member, may_respond_to_feedback
from thrive_edi.dates import TIME_ON_DAY, day_text
from thrive_edi.locks import exclusive
from thrive_edi.notices import admins_tell
from thrive_edi.people import person_name

logger = logging.getLogger(__name__)

PDF_RENDER_LOCK = "reporting.pdf_render"
PDF_NOT_MADE_MESSAGE = "The PDF could not be made. The team has been told and will make it again."


def _enqueue_render(snapshot_id: int) -> None:
    from reporting.tasks import render_pdf  # the tasks module imports this one

    transaction.on_commit(lambda: render_pdf.enqueue(snapshot_id))


def pdf_request(*, snapshot: Snapshot) -> RenderedPdf:
    """The snapshot's PDF record. The first request for it queues the rendering, and so does a
    request for one whose stored file has gone missing."""
    first_try_by = timezone.now() + RenderedPdf.RETRY_DELAYS[0]  # if the queue loses it
    rendered, created = RenderedPdf.objects.get_or_create(
        snapshot=snapshot, defaults={"next_attempt_at": first_try_by}
    )
    if created:
        _enqueue_render(snapshot.pk)
    elif rendered.status == RenderedPdf.Status.READY and not rendered.file_is_stored():
        logger.error("The stored PDF %s has gone missing: making it again", rendered.file.name)
        RenderedPdf.objects.filter(pk=rendered.pk, status=RenderedPdf.Status.READY).update(
            status=RenderedPdf.Status.PENDING, file="", attempts=0, next_attempt_at=first_try_by
        )
        _enqueue_render(snapshot.pk)
    return rendered


def pdf_render(*, snapshot_id: int) -> RenderedPdf:
    """Render a snapshot's PDF and store it, unless it is stored already.

    A snapshot that no longer matches its fingerprint is refused (``FingerprintMismatch``):
    nothing is rendered from it. Any other failure (rendering, or writing to storage) leaves
    no file behind and ends as a failed PDF with its error, to be tried again later by
    ``manage.py render_pdfs`` (``RenderedPdf.RETRY_DELAYS``). Both are logged, told to the
    admins and raised. While another process renders the same PDF, returns at once without
    rendering: it is made once, whoever asks.
    """
    rendered, _ = RenderedPdf.objects.get_or_create(snapshot_id=snapshot_id)
    if rendered.status == RenderedPdf.Status.READY and rendered.file_is_stored():
        return rendered
    # Workers, cron and readers may ask for the same PDF at once: one renders it, the others
    # leave it to that one rather than wait.
    with exclusive(PDF_RENDER_LOCK, snapshot_id) as mine:
        if not mine:
            logger.info("The PDF of snapshot %d is being made by another process", snapshot_id)
            return rendered
        rendered.refresh_from_db()
        if rendered.status == RenderedPdf.Status.READY and rendered.file_is_stored():
            return rendered  # made by the process that held the lock before
        return _render(rendered)


def _render(rendered: RenderedPdf) -> RenderedPdf:
    snapshot_id = rendered.snapshot_id
    snapshot = Snapshot.objects.select_related("assessment").get(pk=snapshot_id)
    rendered = _attempt_begin(rendered.pk)
    try:
        snapshot_verify(snapshot)
    except FingerprintMismatch as error:
        RenderedPdf.objects.filter(pk=rendered.pk).update(
            status=RenderedPdf.Status.REFUSED, last_error=str(error)[:2000], next_attempt_at=None
        )
        logger.error("PDF refused: %s", error, extra={"snapshot": snapshot_id})
        admins_tell(assessment=snapshot.assessment, error=str(error), admin_object=rendered)
        raise
    try:
        data = pdf.render_assessment_pdf(snapshot.document, snapshot.sha256)
        return _store(rendered.pk, data)
    except Exception as error:
        _failure_record(rendered, snapshot.assessment, error)
        raise


def _attempt_begin(pk: int) -> RenderedPdf:
    """Count the attempt, and plan the next one in case this one never ends (a worker killed)."""
    with transaction.atomic():
        rendered = RenderedPdf.objects.select_for_update().get(pk=pk)
        now = timezone.now()
        rendered.attempts += 1
        rendered.last_attempt_at = now
        delay = rendered.retry_delay()
        rendered.next_attempt_at = now + delay if delay else None
        rendered.save(update_fields=["attempts", "last_attempt_at", "next_attempt_at"])
    return rendered


def snapshot_for_pack(assessment: Assessment) -> Snapshot:
    """The frozen record of one assessment as it goes into a board pack.

    Every snapshot a pack renders is taken here, and only here, and checked against its
    fingerprint first: a tampered record fails the pack rather than going to the Board.
    """
    snapshot_verify(assessment.snapshot)
    return assessment.snapshot


def _failure_record(rendered: RenderedPdf, assessment: Assessment, error: Exception) -> None:
    message = f"{type(error).__name__}: {error}"[:2000]
    RenderedPdf.objects.filter(pk=rendered.pk).update(status=RenderedPdf.Status.FAILED, last_error=message)
    if rendered.next_attempt_at:
        retry = date_format(timezone.localtime(rendered.next_attempt_at), TIME_ON_DAY)
        when = f"it will be tried again after {retry}"
    else:
        when = "it will not be tried again until an admin starts it"
    logger.error(
        "The PDF of %s could not be made (attempt %d; %s): %s",
        assessment.reference,
        rendered.attempts,
        when,
        message,
        exc_info=error,
        extra={"snapshot": rendered.snapshot_id},
    )
    if rendered.attempts == 1 or rendered.next_attempt_at is None:
        admins_tell(
            admin_object=rendered,
            assessment=assessment,
            error=f"{message}\n\nAttempt {rendered.attempts}: {when}.",
        )


def _store(pk: int, data: bytes) -> RenderedPdf:
    """Save the PDF to storage and mark it ready; on any failure, remove what was written."""
    with transaction.atomic():
        rendered = RenderedPdf.objects.select_for_update().select_related("snapshot__assessment").get(pk=pk)
        if rendered.status == RenderedPdf.Status.READY and rendered.file_is_stored():
            return rendered  # another worker stored it meanwhile
        storage = rendered.file.storage
        name = storage.get_available_name(
            rendered.file.field.generate_filename(rendered, rendered.download_name)
        )
        try:
            name = storage.save(name, ContentFile(data))
            rendered.file.name = name
            rendered.sha256 = pdf.file_sha256(data)
            rendered.size = len(data)
            rendered.status = RenderedPdf.Status.READY
            rendered.rendered_at = timezone.now()
            rendered.next_attempt_at = None
            rendered.last_error = ""
            rendered.save()
        except BaseException:
            _discard(storage, name)
            raise
    return rendered


def _discard(storage, name: str) -> None:
    """Remove a file that may have been written in part; what cannot be removed is logged."""
    try:
        if storage.exists(name):
            storage.delete(name)
    except Exception:
        logger.exception("A partly written PDF could not be removed from storage: %s", name)


def pdfs_render_due(*, now=None) -> tuple[int, int]:
    """Render every PDF whose next attempt is due, and any signed-off record that has none.

    Returns (made, failed). For cron: ``manage.py render_pdfs``.
    """
    now = now or timezone.now()
    due = list(
        RenderedPdf.objects.filter(
            status__in=[RenderedPdf.Status.PENDING, RenderedPdf.Status.FAILED], next_attempt_at__lte=now
        )
        .order_by("next_attempt_at")
        .values_list("snapshot_id", flat=True)
    )
    due += Snapshot.objects.filter(pdf__isnull=True).order_by("pk").values_list("pk", flat=True)
    made = failed = 0
    for snapshot_id in due:
        try:
            rendered = pdf_render(snapshot_id=snapshot_id)
        except Exception:
            failed += 1  # recorded on the row and logged by pdf_render
        else:
            made += rendered.status == RenderedPdf.Status.READY  # not while another process makes it
    return made, failed


@transaction.atomic
def board_pack_create(*, user, title: str, meeting_date, assessments) -> BoardPack:
    chosen = list(assessments)
    if not chosen:
        raise ValidationError("Choose at least one assessment for the pack")
    if any(a.status not in Assessment.FROZEN_STATUSES for a in chosen):
        raise ValidationError("A board pack can only hold signed-off assessments")
    pack = BoardPack.objects.create(title=title, meeting_date=meeting_date, created_by=user)
    pack.assessments.set(chosen)
    from reporting.tasks import build_board_pack  # the tasks module imports this one

    transaction.on_commit(lambda: build_board_pack.enqueue(pack.pk))
    return pack


def board_pack_build(*, pack_id: int) -> BoardPack:
    """Render the pack as one document from its assessments' snapshots, and store it."""
    pack = BoardPack.objects.get(pk=pack_id)
    assessments = pack.assessments.select_related("snapshot").order_by("reference")
    try:
        snapshots = [snapshot_for_pack(assessment) for assessment in assessments]
        data = pdf.render_board_pack(
            title=pack.title,
            meeting_date=pack.meeting_date,
            snapshots=[(snapshot.document, snapshot.sha256) for snapshot in snapshots],
        )
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
    if assessment.status not in Assessment.FROZEN_STATUSES:
        raise PermissionDenied("The board gives feedback on signed-off assessments.")
    feedback = BoardFeedback.objects.create(assessment=assessment, kind=kind, text=text.strip(), author=user)
    notices.feedback_arrived(feedback)
    return feedback


@transaction.atomic
def feedback_respond(*, feedback: BoardFeedback, user, response: str) -> BoardFeedback:
    if not may_respond_to_feedback(user, feedback.assessment):
        raise PermissionDenied("Only the assessment's owner or collaborators respond to board feedback.")
    text = response.strip()
    if text == feedback.response:
        return feedback  # saved again unchanged: the board member is not told twice
    changed = bool(feedback.response)
    feedback.response = text
    feedback.responded_by = user
    feedback.responded_at = timezone.now()
    feedback.save(update_fields=["response", "responded_by", "responded_at"])
    notices.response_given(feedback, changed=changed)
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
            "date": day_text(timezone.localtime(item.created_at)),
            "text": item.text,
            "response": item.response,
            "responded_by": person_name(item.responded_by) if item.responded_by else "",
        }
        for item in feedback
    ]
