from django.contrib import admin

from outcomes.models import ActionOutcome, ImpactOutcome, OutcomeEvent, OutcomeReview


class ImpactOutcomeInline(admin.TabularInline):
    model = ImpactOutcome
    extra = 0
    fields = ("characteristic_name", "predicted_label", "result", "evidence")
    readonly_fields = fields
    can_delete = False


class ActionOutcomeInline(admin.TabularInline):
    model = ActionOutcome
    extra = 0
    fields = ("action", "done", "worked", "note")
    readonly_fields = fields
    can_delete = False


class OutcomeEventInline(admin.TabularInline):
    model = OutcomeEvent
    extra = 0
    fields = ("at", "kind", "actor", "note")
    readonly_fields = fields
    can_delete = False


@admin.register(OutcomeReview)
class OutcomeReviewAdmin(admin.ModelAdmin):
    """Read only: outcome reviews are written and signed off on their pages, never here."""

    list_display = ("assessment", "status", "due_on", "signed_off_at")
    list_filter = ("status",)
    search_fields = ("assessment__reference", "assessment__title")
    list_select_related = ("assessment",)
    inlines = [ImpactOutcomeInline, ActionOutcomeInline, OutcomeEventInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
