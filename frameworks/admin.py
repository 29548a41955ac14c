"""Django admin for framework versions and their content (the admin site lets in the Admin role only).

A frozen version, and everything in it, is shown read-only; the way to change it is "Create a
new draft version from this one". The model layer refuses such changes too: this is the
friendly face of that rule, not the rule itself.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from frameworks.forms import PrincipleForm, QuestionForm, QuestionInlineFormSet, ScaleOptionForm
from frameworks.models import (
    Characteristic,
    FrameworkVersion,
    Level,
    Pillar,
    Principle,
    Question,
    ScaleOption,
    Section,
    VersionStateError,
)
from frameworks.selectors import framework_guide
from frameworks.services import (
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


def _parent_version_id(request: HttpRequest) -> str | None:
    """The id of the version whose change page an inline is on."""
    match = request.resolver_match
    return match.kwargs.get("object_id") if match else None


def _is_frozen(version: FrameworkVersion | None) -> bool:
    return bool(version and version.is_frozen)


class VersionLabelChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.version.label}: {obj}"


class VersionInlineMixin:
    """An inline on the version page: read-only when the version is frozen, choices from the version."""

    extra = 0
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return not _is_frozen(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not _is_frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _is_frozen(obj) and super().has_delete_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model in (Pillar, Level):
            kwargs["queryset"] = db_field.related_model.objects.filter(version_id=_parent_version_id(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.related_model is Level:
            kwargs["queryset"] = Level.objects.filter(version_id=_parent_version_id(request))
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class LevelInline(VersionInlineMixin, admin.TabularInline):
    model = Level
    fields = ["key", "name", "order"]


class PillarInline(VersionInlineMixin, admin.TabularInline):
    model = Pillar
    fields = ["key", "name", "summary", "order"]


class PrincipleInline(VersionInlineMixin, admin.StackedInline):
    model = Principle
    form = PrincipleForm
    fields = ["key", "name", "pillar", "levels", "summary", "guiding_questions", "order"]
    show_change_link = True


class CharacteristicInline(VersionInlineMixin, admin.TabularInline):
    model = Characteristic
    fields = ["kind", "key", "name", "guidance", "order"]
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2})}}


class SectionInline(VersionInlineMixin, admin.TabularInline):
    model = Section
    fields = ["key", "title", "purpose", "structured", "order"]
    show_change_link = True  # the section's own page holds its questions
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2})}}


class ScaleOptionInline(VersionInlineMixin, admin.TabularInline):
    """The wording of the fixed scales: labels may change, keys are fixed in code."""

    model = ScaleOption
    form = ScaleOptionForm
    fields = ["scale", "key", "label", "requires", "order"]
    readonly_fields = ["scale", "key"]
    verbose_name = "scale wording"
    verbose_name_plural = "scale wording (keys are fixed in code; labels may change)"

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
        return not _is_frozen(obj) and super().has_change_permission(request, obj)

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


class VersionContentAdmin(admin.ModelAdmin):
    """A linked admin page for one kind of content: read-only in frozen versions."""

    list_filter = [("version", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["version"]
    list_per_page = 50

    def has_change_permission(self, request, obj=None):
        return not _is_frozen(obj and obj.version) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _is_frozen(obj and obj.version) and super().has_delete_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), *(["version"] if obj else [])]

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        if any(obj.version.is_frozen for obj in objs):
            perms_needed.add(FROZEN_DELETE)
        return deleted, counts, perms_needed, protected

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "version":
            kwargs["queryset"] = FrameworkVersion.objects.filter(frozen_at__isnull=True)
        elif db_field.related_model in (Pillar, Section):
            kwargs["queryset"] = db_field.related_model.objects.filter(
                version__frozen_at__isnull=True
            ).select_related("version")
            kwargs["form_class"] = VersionLabelChoiceField
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.related_model is Level:
            kwargs["queryset"] = Level.objects.filter(version__frozen_at__isnull=True).select_related(
                "version"
            )
            kwargs["widget"] = forms.CheckboxSelectMultiple
            kwargs["form_class"] = forms.ModelMultipleChoiceField
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description="version", ordering="version__label")
    def version_label(self, obj):
        return obj.version.label


@admin.register(Principle)
class PrincipleAdmin(VersionContentAdmin):
    form = PrincipleForm
    list_display = ["name", "key", "pillar", "version_label", "order"]
    list_filter = [*VersionContentAdmin.list_filter, "pillar__name"]
    list_select_related = ["version", "pillar"]
    search_fields = ["name", "key", "summary"]
    ordering = ["version", "pillar__order", "order"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if obj is not None and "pillar" in form.base_fields:  # only its own version's pillars and levels
            form.base_fields["pillar"].queryset = Pillar.objects.filter(version=obj.version).select_related(
                "version"
            )
            form.base_fields["levels"].queryset = Level.objects.filter(version=obj.version).select_related(
                "version"
            )
        return form


@admin.register(Characteristic)
class CharacteristicAdmin(VersionContentAdmin):
    list_display = ["name", "key", "kind", "version_label", "order"]
    list_filter = [*VersionContentAdmin.list_filter, "kind"]
    search_fields = ["name", "key", "guidance"]
    ordering = ["version", "kind", "order"]
    fields = ["version", "kind", "key", "name", "guidance", "order"]


class QuestionInline(admin.StackedInline):
    model = Question
    form = QuestionForm
    formset = QuestionInlineFormSet
    extra = 0
    fields = ["key", "text", "help", "guidance", "type", "options", "options_from", "required", "order"]

    def has_add_permission(self, request, obj=None):
        return not _is_frozen(obj and obj.version) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not _is_frozen(obj and obj.version) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _is_frozen(obj and obj.version) and super().has_delete_permission(request, obj)


@admin.register(Section)
class SectionAdmin(VersionContentAdmin):
    list_display = ["title", "key", "structured", "question_total", "version_label", "order"]
    list_filter = [*VersionContentAdmin.list_filter, "structured"]
    search_fields = ["title", "key", "purpose", "guidance"]
    ordering = ["version", "order"]
    fields = ["version", "key", "title", "purpose", "guidance", "structured", "order"]
    inlines = [QuestionInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(question_total=Count("questions"))

    @admin.display(description="questions", ordering="question_total")
    def question_total(self, obj):
        return obj.question_total


@admin.register(Question)
class QuestionAdmin(VersionContentAdmin):
    form = QuestionForm
    list_display = ["key", "text", "section", "type", "required", "version_label", "order"]
    list_filter = [*VersionContentAdmin.list_filter, "type", "required"]
    list_select_related = ["version", "section"]
    search_fields = ["key", "text", "help", "guidance"]
    ordering = ["version", "section__order", "order"]

    def get_readonly_fields(self, request, obj=None):
        return ["section"] if obj else []  # the version follows the section


@admin.register(ScaleOption)
class ScaleOptionAdmin(VersionContentAdmin):
    form = ScaleOptionForm
    list_display = ["label", "scale", "key", "version_label", "order"]
    list_filter = [*VersionContentAdmin.list_filter, "scale"]
    search_fields = ["label", "key"]
    ordering = ["version", "scale", "order"]

    def has_add_permission(self, request):
        return False  # the keys are fixed in code: every version has them all

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return ["version", "scale", "key"]
