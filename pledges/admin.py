"""Admin for pledges: versions with their numbered commitments, read-only once published."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from pledges.models import Commitment, Pledge, PledgeReport, PledgeVersion
from pledges.services import pledge_version_copy, pledge_version_publish

COPY_ACTION_LABEL = "Create a new draft version from this one"
PUBLISH_ACTION_LABEL = "Publish (make it the pledge's current version)"
COPIED_MESSAGE = "Created the draft version {copy} from {version}."
PUBLISHED_MESSAGE = "Published {version}: its text can no longer change."
PUBLISH_ONE_MESSAGE = "Select exactly one draft version to publish."


class CommitmentInline(admin.StackedInline):
    model = Commitment
    extra = 0
    fields = ["number", "name", "text", "starts_on", "ends_on"]

    def has_add_permission(self, request, obj=None):
        return (obj is None or obj.is_draft) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return (obj is None or obj.is_draft) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return (obj is None or obj.is_draft) and super().has_delete_permission(request, obj)


@admin.register(Pledge)
class PledgeAdmin(admin.ModelAdmin):
    list_display = ["name", "created_at"]
    search_fields = ["name"]


@admin.register(PledgeVersion)
class PledgeVersionAdmin(admin.ModelAdmin):
    list_display = ["pledge", "label", "status", "published_at"]
    list_filter = ["status", "pledge"]
    fields = ["pledge", "label", "introduction", "status", "published_at", "copied_from"]
    readonly_fields = ["status", "published_at", "copied_from"]
    inlines = [CommitmentInline]
    actions = ["copy_versions", "publish_version"]

    def has_change_permission(self, request, obj=None):
        return (obj is None or obj.is_draft) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return (obj is None or obj.is_draft) and super().has_delete_permission(request, obj)

    @admin.action(description=COPY_ACTION_LABEL, permissions=["add"])
    def copy_versions(self, request, queryset):
        for version in queryset:
            copy = pledge_version_copy(version=version)
            self.message_user(request, COPIED_MESSAGE.format(copy=copy, version=version), messages.SUCCESS)

    @admin.action(description=PUBLISH_ACTION_LABEL, permissions=["add"])
    def publish_version(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, PUBLISH_ONE_MESSAGE, messages.ERROR)
            return
        version = queryset.get()
        try:
            pledge_version_publish(version=version)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return
        self.message_user(request, PUBLISHED_MESSAGE.format(version=version), messages.SUCCESS)


@admin.register(PledgeReport)
class PledgeReportAdmin(admin.ModelAdmin):
    """Read only: reports are written on the service's own pages."""

    list_display = ["__str__", "status", "signed_off_at", "published_at"]
    readonly_fields = ["year", "status", "sha256", "signed_off_by", "signed_off_at", "published_at"]
    exclude = ["document"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
