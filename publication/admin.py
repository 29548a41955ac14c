from django.contrib import admin

from publication.models import Feedback, Publication


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    list_display = ["assessment", "decision", "decided_at", "withdrawn_at"]
    readonly_fields = [f.name for f in Publication._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ["assessment", "created_at", "status"]
    readonly_fields = [f.name for f in Feedback._meta.fields]

    def has_add_permission(self, request):
        return False
