"""Admin for framework versions: list, read-only frozen versions, copy, publish, preview."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import slugify

from frameworks.admin.inlines import (
    CharacteristicInline,
    LevelInline,
    PillarInline,
    PrincipleInline,
    ScaleOptionInline,
    SectionInline,
    is_frozen_version,
)
from frameworks.files import FrameworkFileError
from frameworks.forms import FrameworkFileForm
from frameworks.models import FrameworkVersion, VersionStateError
from frameworks.selectors import framework_guide
from frameworks.services import (
    framework_export,
    framework_import,
    framework_version_copy,
    framework_version_fill_scales,
    framework_version_publish,
)

FROZEN_NOTICE = (
    "This version is frozen: assessments have been submitted against it, so it is shown read-only. "
    'To change the framework, use "Create a new draft version from this one".'
)
CURRENT_NOTICE = (
    "This is the current version: changes show at once in the framework guide and new assessments."
)
FROZEN_DELETE = "content of a frozen framework version (it cannot be deleted)"
CURRENT_DELETE = "the current framework version (publish another version first)"
COPY_ACTION_LABEL = "Create a new draft version from this one"
PUBLISH_ACTION_LABEL = "Publish (make it the current version)"
COPIED_MESSAGE = "Created the draft version {copy} from {version}."
PUBLISHED_MESSAGE = "Published {version}: it is now the current version."
PUBLISH_ONE_MESSAGE = "Select exactly one draft version to publish."
IMPORTED_MESSAGE = "Loaded {version} from {name} as a draft version."
IMPORT_REFUSED = "Nothing was loaded: the file has these problems."


class FrozenFilter(admin.SimpleListFilter):
    title = "frozen"
    parameter_name = "frozen"

    def lookups(self, request, model_admin):
        return [("yes", "Frozen"), ("no", "Not frozen")]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(frozen_at__isnull=self.value() == "no")
        return queryset


@admin.register(FrameworkVersion)
class FrameworkVersionAdmin(admin.ModelAdmin):
    list_display = [
        "label",
        "name",
        "status",
        "current",
        "frozen",
        "principle_count",
        "characteristic_count",
        "section_count",
        "question_count",
        "published_at",
    ]
    list_display_links = ["label", "name"]
    list_filter = ["status", FrozenFilter]
    search_fields = ["label", "name", "aligned_with", "summary"]
    ordering = ["-created_at"]
    fieldsets = [
        (None, {"fields": ["name", "label", "aligned_with", "summary"]}),
        ("Status", {"fields": ["status", "published_at", "frozen_at", "copied_from", "content_links"]}),
    ]
    readonly_fields = ["status", "published_at", "frozen_at", "copied_from", "content_links"]
    inlines = [
        LevelInline,
        PillarInline,
        PrincipleInline,
        CharacteristicInline,
        SectionInline,
        ScaleOptionInline,
    ]
    actions = ["copy_versions", "publish_version"]
    change_form_template = "admin/frameworks/frameworkversion/change_form.html"
    change_list_template = "admin/frameworks/frameworkversion/change_list.html"

    def get_queryset(self, request):
        return super().get_queryset(request).with_counts()

    def view_on_site(self, obj):
        return None if obj.is_draft else obj.get_absolute_url()  # drafts are not on the site yet

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []  # content is added once the version exists

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj else []

    def get_fieldsets(self, request, obj=None):
        return self.fieldsets if obj else self.fieldsets[:1]

    def has_change_permission(self, request, obj=None):
        return not is_frozen_version(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and (obj.is_frozen or obj.is_current):
            return False
        return super().has_delete_permission(request, obj)

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        if any(version.is_frozen for version in objs):
            perms_needed.add(FROZEN_DELETE)
        if any(version.is_current for version in objs):
            perms_needed.add(CURRENT_DELETE)
        return deleted, counts, perms_needed, protected

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            framework_version_fill_scales(version=obj)

    @admin.display(boolean=True, description="current")
    def current(self, obj):
        return obj.is_current

    @admin.display(boolean=True, description="frozen")
    def frozen(self, obj):
        return obj.is_frozen

    @admin.display(description="principles", ordering="principle_count")
    def principle_count(self, obj):
        return obj.principle_count

    @admin.display(description="characteristics (protected + additional)")
    def characteristic_count(self, obj):
        return f"{obj.protected_count} + {obj.additional_count}"

    @admin.display(description="sections", ordering="section_count")
    def section_count(self, obj):
        return obj.section_count

    @admin.display(description="questions", ordering="question_count")
    def question_count(self, obj):
        return obj.question_count

    @admin.display(description="content")
    def content_links(self, obj):
        links = [
            ("principles", "principle", obj.principle_count),
            ("characteristics", "characteristic", obj.protected_count + obj.additional_count),
            ("sections", "section", obj.section_count),
            ("questions", "question", obj.question_count),
        ]
        return format_html(
            " · ".join(['<a href="{}?version__id__exact={}">{} {}</a>'] * len(links)),
            *[
                value
                for name, model_name, count in links
                for value in (reverse(f"admin:frameworks_{model_name}_changelist"), obj.pk, count, name)
            ],
        )

    # Actions on the list, and the same as buttons on a version's page.
    @admin.action(description=COPY_ACTION_LABEL, permissions=["add"])
    def copy_versions(self, request, queryset):
        for version in queryset:
            copy = framework_version_copy(version=version)
            self.message_user(request, COPIED_MESSAGE.format(copy=copy, version=version), messages.SUCCESS)

    @admin.action(description=PUBLISH_ACTION_LABEL, permissions=["change"])
    def publish_version(self, request, queryset):
        if len(queryset) != 1:
            self.message_user(request, PUBLISH_ONE_MESSAGE, messages.ERROR)
            return
        self._publish(request, queryset[0])

    def _publish(self, request, version: FrameworkVersion) -> None:
        try:
            framework_version_publish(version=version)
        except VersionStateError as error:
            for message in error.messages:
                self.message_user(request, message, messages.ERROR)
        else:
            self.message_user(request, PUBLISHED_MESSAGE.format(version=version), messages.SUCCESS)

    def get_urls(self):
        view = self.admin_site.admin_view
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path("import/", view(self.import_view), name=f"{prefix}_import"),
            path("<path:object_id>/export/", view(self.export_view), name=f"{prefix}_export"),
            path("<path:object_id>/preview/", view(self.preview_view), name=f"{prefix}_preview"),
            path("<path:object_id>/copy/", view(self.copy_view), name=f"{prefix}_copy"),
            path("<path:object_id>/publish/", view(self.publish_view), name=f"{prefix}_publish"),
            *super().get_urls(),
        ]

    def _version_or_404(self, request, object_id) -> FrameworkVersion:
        version = self.get_object(request, object_id)
        if version is None:
            raise Http404("No such framework version.")
        if not self.has_view_permission(request, version):
            raise PermissionDenied
        return version

    def preview_view(self, request, object_id):
        """The version as staff will see it in the framework guide, drafts included."""
        version = self._version_or_404(request, object_id)
        context = {
            "guide": framework_guide(version=version, link_to=None),
            "change_url": reverse("admin:frameworks_frameworkversion_change", args=[version.pk]),
        }
        return TemplateResponse(request, "frameworks/preview.html", context)

    def export_view(self, request, object_id):
        """The version as a framework file, for keeping, editing or loading elsewhere."""
        version = self._version_or_404(request, object_id)
        response = HttpResponse(
            framework_export(version=version), content_type="application/yaml; charset=utf-8"
        )
        filename = "thrive-edi-" + slugify(version.label.replace("/", "-")) + ".yaml"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    def import_view(self, request):
        """Upload a framework file: it becomes a new draft version, or nothing at all."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = FrameworkFileForm(request.POST or None, request.FILES or None)
        problems: list[str] = []
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                version = framework_import(
                    data=upload.read(), source=upload.name, label=form.cleaned_data["label"] or None
                )
            except FrameworkFileError as error:
                problems = error.messages
            else:
                self.message_user(
                    request, IMPORTED_MESSAGE.format(version=version, name=upload.name), messages.SUCCESS
                )
                return redirect("admin:frameworks_frameworkversion_change", version.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Import a framework file",
            "form": form,
            "problems": problems,
            "refused": IMPORT_REFUSED,
        }
        return TemplateResponse(request, "admin/frameworks/frameworkversion/import.html", context)

    def copy_view(self, request, object_id):
        version = self._version_or_404(request, object_id)
        if not self.has_add_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            copy = framework_version_copy(version=version)
            self.message_user(request, COPIED_MESSAGE.format(copy=copy, version=version), messages.SUCCESS)
            return redirect("admin:frameworks_frameworkversion_change", copy.pk)
        return self._confirm(request, version, COPY_ACTION_LABEL, "copy")

    def publish_view(self, request, object_id):
        version = self._version_or_404(request, object_id)
        if not super().has_change_permission(request, version):
            raise PermissionDenied
        if request.method == "POST":
            self._publish(request, version)
            return HttpResponseRedirect(
                reverse("admin:frameworks_frameworkversion_change", args=[version.pk])
            )
        return self._confirm(request, version, PUBLISH_ACTION_LABEL, "publish")

    def _confirm(self, request, version, title: str, action: str):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": version,
            "title": title,
            "action": action,
        }
        return TemplateResponse(request, "admin/frameworks/frameworkversion/confirm_action.html", context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = dict(extra_context or {})
        version = self.get_object(request, object_id) if object_id else None
        if version is not None:
            extra_context["frozen_notice"] = FROZEN_NOTICE if version.is_frozen else ""
            extra_context["current_notice"] = (
                CURRENT_NOTICE if version.is_current and not version.is_frozen else ""
            )
            extra_context["copy_label"] = COPY_ACTION_LABEL
        return super().changeform_view(request, object_id, form_url, extra_context)
