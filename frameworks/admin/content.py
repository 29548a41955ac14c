"""Linked admin pages for each kind of content of a version: principles, characteristics, sections..."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db.models import Count

from frameworks.admin.inlines import VersionLabelChoiceField, is_frozen_version
from frameworks.admin.versions import FROZEN_DELETE
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
    Subgroup,
)


class VersionContentAdmin(admin.ModelAdmin):
    """A linked admin page for one kind of content: read-only in frozen versions."""

    list_filter = [("version", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["version"]
    list_per_page = 50

    def has_change_permission(self, request, obj=None):
        return not is_frozen_version(obj and obj.version) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not is_frozen_version(obj and obj.version) and super().has_delete_permission(request, obj)

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
        elif db_field.related_model in (Pillar, Section, Characteristic):
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
    fields = ["version", "kind", "key", "name", "guidance", "breakdown", "order"]


@admin.register(Subgroup)
class SubgroupAdmin(VersionContentAdmin):
    list_display = ["name", "key", "category", "characteristic", "version_label", "order"]
    list_select_related = ["version", "characteristic"]
    search_fields = ["name", "key", "category"]
    ordering = ["version", "characteristic", "order"]
    fields = ["version", "characteristic", "category", "key", "name", "order"]


class QuestionInline(admin.StackedInline):
    model = Question
    form = QuestionForm
    formset = QuestionInlineFormSet
    extra = 0
    fields = ["key", "text", "help", "guidance", "type", "options", "options_from", "required", "order"]

    def has_add_permission(self, request, obj=None):
        return not is_frozen_version(obj and obj.version) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not is_frozen_version(obj and obj.version) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not is_frozen_version(obj and obj.version) and super().has_delete_permission(request, obj)


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
