"""Inlines of a framework version's change page, and what the admin pages share."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from frameworks.forms import PrincipleForm, ScaleOptionForm
from frameworks.models import Characteristic, FrameworkVersion, Level, Pillar, Principle, ScaleOption, Section


def _parent_version_id(request: HttpRequest) -> str | None:
    """The id of the version whose change page an inline is on."""
    match = request.resolver_match
    return match.kwargs.get("object_id") if match else None


def is_frozen_version(version: FrameworkVersion | None) -> bool:
    return bool(version and version.is_frozen)


class VersionLabelChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.version.label}: {obj}"


class VersionInlineMixin:
    """An inline on the version page: read-only when the version is frozen, choices from the version."""

    extra = 0
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return not is_frozen_version(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not is_frozen_version(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not is_frozen_version(obj) and super().has_delete_permission(request, obj)

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
