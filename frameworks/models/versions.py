"""Framework versions, and what belongs to one version and is frozen with it.

A FrameworkVersion holds everything an assessment is carried out against: principles,
characteristics, the template's sections and questions, and the wording of the fixed scales.
Exactly one version is published (current) at a time; new assessments use it. Once an
assessment has been submitted against a version, the version is frozen: neither it nor
anything in it may change or be deleted, whichever way the change is attempted.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import RegexValidator
from django.db import models, router, transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.functional import cached_property

from frameworks.scales import SCALE_KEYS, Scale, scale_of

if TYPE_CHECKING:
    from frameworks.models.content import ScaleOption

FROZEN_MESSAGE = (
    "This framework version is frozen: assessments have been submitted against it, so it can no "
    "longer change. Create a new draft version from it to make changes."
)
DELETE_CURRENT_MESSAGE = "The current framework version cannot be deleted. Publish another version first."

key_validator = RegexValidator(
    r"^[a-z][a-z0-9_]*\Z",
    "Use lower-case letters, digits and underscores, starting with a letter.",
    code="invalid_key",
)


class FrozenVersionError(ValidationError, PermissionDenied):
    """A change to a frozen framework version, or to anything in it, was refused.

    A ValidationError, so forms can show it; also a PermissionDenied, so one that nobody
    catches becomes a 403 page rather than a server error.
    """

    def __init__(self, message: str = FROZEN_MESSAGE):
        super().__init__(message, code="frozen")


class VersionStateError(ValidationError):
    """An operation that the version's status does not allow (publishing a retired version...)."""


def humanise_key(key: str) -> str:
    """The label of a key that has no label of its own: ``not_at_all`` -> ``Not at all``."""
    text = key.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def any_frozen(using: str, *conditions: Q) -> bool:
    """Whether any version matching the conditions is frozen, locking those rows until commit.

    The lock makes a concurrent freeze wait for the edit to finish (and the other way round).
    """
    query = Q()
    for condition in conditions:
        query |= condition
    return (
        FrameworkVersion.objects.using(using)
        .select_for_update(no_key=True)
        .filter(query, frozen_at__isnull=False)
        .exists()
    )


class FrameworkVersionQuerySet(models.QuerySet):
    # What a frozen version may no longer change; status and dates still move on (a frozen
    # version is retired when another is published).
    CONTENT_FIELDS = frozenset({"name", "label", "aligned_with", "summary"})

    def current(self) -> FrameworkVersion | None:
        """The one published version that new assessments use, or None before any is published."""
        return self.filter(status=FrameworkVersion.Status.PUBLISHED).first()

    def visible(self) -> FrameworkVersionQuerySet:
        """Versions that every signed-in user may read: the current one and retired ones."""
        return self.exclude(status=FrameworkVersion.Status.DRAFT)

    def with_counts(self) -> FrameworkVersionQuerySet:
        """Annotate how many principles, characteristics, sections and questions each holds."""
        from frameworks.models.content import Characteristic, Principle, Question, Section

        return self.annotate(
            principle_count=_count_of(Principle),
            protected_count=_count_of(Characteristic, kind=Characteristic.Kind.PROTECTED),
            additional_count=_count_of(Characteristic, kind=Characteristic.Kind.ADDITIONAL),
            section_count=_count_of(Section),
            question_count=_count_of(Question),
        )

    def update(self, **kwargs):
        touches_content = self.CONTENT_FIELDS & kwargs.keys()
        unfreezes = "frozen_at" in kwargs and kwargs["frozen_at"] is None
        if (touches_content or unfreezes) and self.filter(frozen_at__isnull=False).exists():
            raise FrozenVersionError()
        return super().update(**kwargs)

    def delete(self):
        if self.filter(frozen_at__isnull=False).exists():
            raise FrozenVersionError()
        if self.filter(status=FrameworkVersion.Status.PUBLISHED).exists():
            raise VersionStateError(DELETE_CURRENT_MESSAGE, code="current")
        return super().delete()


def _count_of(model: type[models.Model], **filters) -> Coalesce:
    counted = (
        model.objects.filter(version=OuterRef("pk"), **filters)
        .order_by()
        .values("version")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=models.IntegerField()), 0)


class FrameworkVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        RETIRED = "retired", "Retired"

    name = models.CharField(max_length=200)
    label = models.CharField(
        "version label", max_length=50, unique=True, help_text='For example "2022/23". Unique.'
    )
    aligned_with = models.CharField(max_length=300, blank=True)
    summary = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=Status, default=Status.DRAFT, editable=False)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    frozen_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When the first assessment using this version was submitted.",
    )
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = FrameworkVersionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["status"],
                condition=Q(status="published"),
                name="frameworks_one_current_version",
                violation_error_message="Only one framework version can be published at a time.",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="frameworks_published_versions_have_a_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.label}"

    def save(self, *args, **kwargs) -> None:
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        update_fields = kwargs.get("update_fields")
        watched = FrameworkVersionQuerySet.CONTENT_FIELDS | {"frozen_at"}
        if update_fields is not None:
            watched &= set(update_fields)
        with transaction.atomic(using=using):
            if self.pk and watched:
                self._refuse_changes_if_frozen(using, watched)
            super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("frameworks:version_guide", args=[self.pk])

    def delete(self, *args, **kwargs):
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using):
            if any_frozen(using, Q(pk=self.pk)):
                raise FrozenVersionError()
            stored = FrameworkVersion.objects.using(using).filter(pk=self.pk)
            if stored.filter(status=self.Status.PUBLISHED).exists():
                raise VersionStateError(DELETE_CURRENT_MESSAGE, code="current")
            return super().delete(*args, **kwargs)

    def refresh_from_db(self, *args, **kwargs) -> None:
        with contextlib.suppress(AttributeError):  # not read yet
            del self._scale_options
        super().refresh_from_db(*args, **kwargs)

    @property
    def is_current(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    def _refuse_changes_if_frozen(self, using: str, fields: set[str]) -> None:
        names = sorted(fields)
        stored = (
            FrameworkVersion.objects.using(using)
            .select_for_update(no_key=True)
            .filter(pk=self.pk, frozen_at__isnull=False)
            .values(*names)
            .first()
        )
        if stored and any(stored[name] != getattr(self, name) for name in names):
            raise FrozenVersionError()

    # The wording of the fixed scales. All scales of a version are read in one query, once
    # per instance (or not at all when ``scale_options`` was prefetched).
    @cached_property
    def _scale_options(self) -> dict[str, list[ScaleOption]]:
        options_by_scale: dict[str, list[ScaleOption]] = {scale: [] for scale in Scale.values}
        for option in self.scale_options.all():
            options_by_scale.setdefault(option.scale, []).append(option)
        for options in options_by_scale.values():
            options.sort(key=lambda option: (option.order, option.pk or 0))
        return options_by_scale

    def scale_options_of(self, scale) -> list[ScaleOption]:
        """The ScaleOption rows of one scale, in order. ``scale``: a Scale, its name or ``Impact``..."""
        return self._scale_options[scale_of(scale)]

    def labels(self, scale) -> dict[str, str]:
        """``{key: label}`` of a scale in this version, in order: ``version.labels(Scale.IMPACT)``."""
        return {option.key: option.label for option in self.scale_options_of(scale)}

    def choices(self, scale) -> list[tuple[str, str]]:
        """``[(key, label)]`` of a scale in this version, for a form field's choices."""
        return [(option.key, option.label) for option in self.scale_options_of(scale)]

    def requirements(self, scale) -> dict[str, list[str]]:
        """``{key: [requirement, ...]}``: what each option of a scale obliges an assessment to add."""
        return {option.key: list(option.requires) for option in self.scale_options_of(scale)}

    def label_for(self, scale, key: str) -> str:
        """The version's label for one key, falling back to the code's label."""
        labels = self.labels(scale)
        if key in labels:
            return labels[key]
        fixed = SCALE_KEYS[scale_of(scale)]
        return str(dict(fixed.choices).get(key, humanise_key(key)))


class VersionContentQuerySet(models.QuerySet):
    """Refuses bulk changes that would touch a frozen version's content."""

    def _refuse_if_frozen(self) -> None:
        if self.filter(version__frozen_at__isnull=False).exists():
            raise FrozenVersionError()

    def update(self, **kwargs):
        self._refuse_if_frozen()
        if "version" in kwargs or "version_id" in kwargs:
            target = kwargs.get("version_id") or getattr(kwargs.get("version"), "pk", None)
            if any_frozen(self.db, Q(pk=target)):
                raise FrozenVersionError()
        return super().update(**kwargs)

    def delete(self):
        self._refuse_if_frozen()
        return super().delete()

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        version_ids = {obj.version_id for obj in objs}
        if version_ids and any_frozen(self.db, Q(pk__in=version_ids)):
            raise FrozenVersionError()
        return super().bulk_create(objs, *args, **kwargs)


class VersionContent(models.Model):
    """Something that belongs to one framework version, and is frozen with it."""

    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=50, validators=[key_validator])
    order = models.PositiveIntegerField(default=0)

    objects = VersionContentQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["order", "pk"]

    def save(self, *args, **kwargs) -> None:
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using):
            self.refuse_if_frozen(using)
            super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using):
            self.refuse_if_frozen(using)
            return super().delete(*args, **kwargs)

    def refuse_if_frozen(self, using: str = "default") -> None:
        """Raise FrozenVersionError if this row's version, before or after the change, is frozen."""
        conditions = [Q(pk=self.version_id)]
        if self.pk:
            stored = type(self)._base_manager.using(using).filter(pk=self.pk).values("version_id")
            conditions.append(Q(pk__in=Subquery(stored)))
        if any_frozen(using, *conditions):
            raise FrozenVersionError()
