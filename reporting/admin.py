from django.contrib import admin, messages
from django.utils import timezone

from reporting.models import BoardFeedback, BoardPack, RenderedPdf
from reporting.tasks import render_pdf


@admin.register(RenderedPdf)
class RenderedPdfAdmin(admin.ModelAdmin):
    """Rendered PDFs, so that admins see failed renders and can start them again."""

    list_display = [
        "snapshot",
        "status",
        "attempts",
        "last_attempt_at",
        "next_attempt_at",
        "error",
        "rendered_at",
    ]
    list_filter = ["status"]
    search_fields = ["snapshot__assessment__reference", "sha256"]
    readonly_fields = [f.name for f in RenderedPdf._meta.fields]
    actions = ["render_again"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="Error")
    def error(self, obj: RenderedPdf) -> str:
        return obj.last_error[:120]

    @admin.action(description="Render again (failed ones)")
    def render_again(self, request, queryset):
        failed = list(queryset.exclude(status=RenderedPdf.Status.READY).values_list("snapshot_id", flat=True))
        RenderedPdf.objects.filter(snapshot_id__in=failed).update(
            status=RenderedPdf.Status.PENDING,
            attempts=0,
            next_attempt_at=timezone.now() + RenderedPdf.RETRY_DELAYS[0],
        )
        for snapshot_id in failed:
            render_pdf.enqueue(snapshot_id)
        messages.info(request, f"Rendering {len(failed)} PDF{'s' if len(failed) != 1 else ''} again.")


@admin.register(BoardPack)
class BoardPackAdmin(admin.ModelAdmin):
    list_display = ["title", "meeting_date", "status", "created_by", "created_at"]
    list_filter = ["status"]
    readonly_fields = ["created_by", "created_at", "status", "file", "sha256", "last_error"]


@admin.register(BoardFeedback)
class BoardFeedbackAdmin(admin.ModelAdmin):
    list_display = ["assessment", "kind", "author", "created_at", "responded_at"]
    list_filter = ["kind"]
    search_fields = ["assessment__reference", "text"]

    def has_change_permission(self, request, obj=None):
        return False
