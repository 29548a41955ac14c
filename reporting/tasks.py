"""Background work of the reporting app, through Django's Tasks API."""

import logging

from django_tasks import task

from assessments.snapshots import FingerprintMismatch
from reporting import services
from reporting.models import RenderedPdf

logger = logging.getLogger(__name__)


@task()
def render_pdf(snapshot_id: int) -> str:
    """Render a signed-off assessment's PDF; a failure is queued again, up to the attempt limit."""
    try:
        return services.pdf_render(snapshot_id=snapshot_id).sha256
    except FingerprintMismatch:
        raise  # refused and recorded: trying again cannot help
    except Exception:
        attempts = (
            RenderedPdf.objects.filter(snapshot_id=snapshot_id).values_list("attempts", flat=True).first()
        )
        if attempts is not None and attempts < RenderedPdf.MAX_ATTEMPTS:
            render_pdf.enqueue(snapshot_id)
        raise


@task()
def build_board_pack(pack_id: int) -> str:
    return services.board_pack_build(pack_id=pack_id).sha256
