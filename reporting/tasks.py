"""Background work of the reporting app, through Django's Tasks API."""

from django_tasks import task

from reporting import services


@task()
def render_pdf(snapshot_id: int) -> str:
    """Render a signed-off assessment's PDF once. A failure is recorded on its row, logged and
    told to the admins by the service; ``manage.py render_pdfs`` tries again later, with backoff."""
    try:
        return services.pdf_render(snapshot_id=snapshot_id).sha256
    except Exception as error:
        return f"not made: {type(error).__name__}"


@task()
def build_board_pack(pack_id: int) -> str:
    return services.board_pack_build(pack_id=pack_id).sha256
