"""What a framework version holds: levels, pillars, principles, characteristics, the template's
sections and questions, and the wording of the fixed scales."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models, router
from django.db.models import Q
from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from django.urls import reverse

from frameworks.models.versions import (
    FrameworkVersion,
    FrozenVersionError,
    VersionContent,
    any_frozen,
    humanise_key,
)
from frameworks.scales import SCALE_KEYS, Requirement, Scale, StructuredPart


def _unique_key(model_name: str) -> models.UniqueConstraint:
    return models.UniqueConstraint(
        fields=["version", "key"],
        name=f"frameworks_{model_name}_key_unique_in_version",
        violation_error_message=f"A {model_name} with this key already exists in this version.",
    )


class Level(VersionContent):
    """A level of the theory of change: individuals, communities, systems."""

    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="levels")
    name = models.CharField(max_length=200)

    class Meta(VersionContent.Meta):
        constraints = [_unique_key("level")]

    def __str__(self) -> str:
        return self.name


class Pillar(VersionContent):
    """How principles are grouped: enablers and direct action."""

    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="pillars")
    name = models.CharField(max_length=200)
    summary = models.TextField(blank=True)

    class Meta(VersionContent.Meta):
        constraints = [_unique_key("pillar")]

    def __str__(self) -> str:
        return self.name


class Principle(VersionContent):
    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="principles")
    name = models.CharField(max_length=200)
    # RESTRICT: a pillar with principles cannot be deleted on its own, but deleting a whole
    # (unfrozen) version takes both with it.
    pillar = models.ForeignKey(Pillar, on_delete=models.RESTRICT, related_name="principles")
    levels = models.ManyToManyField(Level, related_name="principles", blank=True)
    summary = models.TextField()
    guiding_questions = models.JSONField(default=list, blank=True)

    class Meta(VersionContent.Meta):
        constraints = [_unique_key("principle")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("frameworks:version_principle", args=[self.version_id, self.key])

    def clean(self) -> None:
        super().clean()
        if self.pillar_id and self.version_id and self.pillar.version_id != self.version_id:
            raise ValidationError({"pillar": "Choose a pillar of the same framework version."})
        if not isinstance(self.guiding_questions, list) or not all(
            isinstance(question, str) for question in self.guiding_questions
        ):
            raise ValidationError({"guiding_questions": "Guiding questions must be a list of texts."})


class Characteristic(VersionContent):
    class Kind(models.TextChoices):
        PROTECTED = "protected", "Protected characteristic (Equality Act 2010)"
        ADDITIONAL = "additional", "Additional group"

    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="characteristics")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind)
    guidance = models.TextField(blank=True)
    # The name of the finer groups an assessment may assess the characteristic by (its
    # ``subgroups``), such as the 2021 Census ethnic groups for race; blank: none.
    breakdown = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-kind", "order", "pk"]  # protected characteristics first, then additional groups
        constraints = [_unique_key("characteristic")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("frameworks:version_characteristic", args=[self.version_id, self.key])


class Subgroup(VersionContent):
    """One of the finer groups a characteristic may be assessed by (its ``breakdown``): an
    ethnic group of the 2021 Census within race, under its high-level ``category``."""

    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="subgroups")
    characteristic = models.ForeignKey(Characteristic, on_delete=models.CASCADE, related_name="subgroups")
    category = models.CharField(max_length=200)
    name = models.CharField(max_length=200)

    class Meta(VersionContent.Meta):
        constraints = [_unique_key("subgroup")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.characteristic_id and self.version_id and self.characteristic.version_id != self.version_id:
            raise ValidationError({"characteristic": "Choose a characteristic of the same version."})


class Section(VersionContent):
    """A section of the EIA template: a page of the assessment wizard."""

    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(max_length=200)
    purpose = models.TextField()
    guidance = models.TextField(blank=True)
    structured = models.CharField(
        "structured part",
        max_length=40,
        choices=StructuredPart,
        blank=True,
        help_text="The structured part of the assessment this section holds, besides its questions.",
    )

    class Meta(VersionContent.Meta):
        constraints = [
            _unique_key("section"),
            models.UniqueConstraint(
                fields=["version", "structured"],
                condition=~Q(structured=""),
                name="frameworks_structured_part_once_per_version",
                violation_error_message="Another section of this version already holds this structured part.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("frameworks:version_guide", args=[self.version_id]) + f"#section-{self.key}"


class Question(VersionContent):
    class Type(models.TextChoices):
        SHORT_TEXT = "short_text", "Short text"
        LONG_TEXT = "long_text", "Long text"
        CHOICE = "choice", "Choice (one answer)"
        MULTIPLE_CHOICE = "multiple_choice", "Multiple choice"
        YES_NO = "yes_no", "Yes or no"
        DATE = "date", "Date"

    class OptionsFrom(models.TextChoices):
        LEVELS = "levels", "The version's theory-of-change levels"
        DECISIONS = "decisions", "The version's decisions"

    CHOICE_TYPES = frozenset({Type.CHOICE, Type.MULTIPLE_CHOICE})

    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="questions")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    text = models.TextField()
    help = models.TextField(blank=True, help_text="A short hint shown under the question.")
    guidance = models.TextField(blank=True, help_text="Longer guidance, shown on request.")
    type = models.CharField(max_length=20, choices=Type)
    options = models.JSONField(default=list, blank=True, help_text="The keys of the answers to choose from.")
    options_from = models.CharField(
        max_length=20,
        choices=OptionsFrom,
        blank=True,
        help_text="Or: take the answers from the version's data.",
    )
    required = models.BooleanField(default=False)

    class Meta(VersionContent.Meta):
        constraints = [_unique_key("question")]

    def __str__(self) -> str:
        return self.text

    def save(self, *args, **kwargs) -> None:
        if self.section_id:  # a question belongs to its section's version, whatever it was given
            self.version_id = self.section.version_id
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        if self.section_id and self.version_id and self.section.version_id != self.version_id:
            raise ValidationError({"section": "Choose a section of the same framework version."})
        options = self.options if isinstance(self.options, list) else None
        if options is None or not all(isinstance(option, str) and option for option in options):
            raise ValidationError({"options": "Options must be a list of keys."})
        if self.type in self.CHOICE_TYPES:
            if bool(options) == bool(self.options_from):
                raise ValidationError("A choice question needs either options or options from, not both.")
        elif options or self.options_from:
            raise ValidationError("Only choice and multiple-choice questions have options.")

    def choices(self) -> list[tuple[str, str]]:
        """``[(key, label)]`` of the answers of a choice question."""
        if self.options_from == self.OptionsFrom.LEVELS:
            return [(level.key, level.name) for level in self.version.levels.all()]
        if self.options_from == self.OptionsFrom.DECISIONS:
            return self.version.choices(Scale.DECISION)
        return [(option, humanise_key(option)) for option in self.options]


class ScaleOption(VersionContent):
    """The wording of one fixed key of a scale (``impact: negative``) in a version."""

    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="scale_options")
    scale = models.CharField(max_length=40, choices=Scale)
    label = models.CharField(max_length=300)
    requires = models.JSONField(
        default=list, blank=True, help_text="What an assessment must add when it chooses this option."
    )

    class Meta:
        ordering = ["scale", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "scale", "key"],
                name="frameworks_scale_option_key_unique_in_version",
                violation_error_message="This scale already has an option with this key in this version.",
            )
        ]

    def __str__(self) -> str:
        return self.label

    def clean(self) -> None:
        super().clean()
        if self.scale in Scale.values and self.key not in SCALE_KEYS[Scale(self.scale)].values:
            allowed = ", ".join(SCALE_KEYS[Scale(self.scale)].values)
            raise ValidationError({"key": f"The {self.scale} scale's keys are fixed: {allowed}."})
        requires = self.requires if isinstance(self.requires, list) else None
        if requires is None or any(item not in Requirement.values for item in requires):
            raise ValidationError({"requires": f"Choose from: {', '.join(Requirement.values)}."})


@receiver(m2m_changed, sender=Principle.levels.through, dispatch_uid="frameworks.principle_levels_frozen")
def _refuse_level_changes_in_frozen_versions(sender, instance, action, **kwargs) -> None:
    if action in {"pre_add", "pre_remove", "pre_clear"}:
        using = kwargs.get("using") or router.db_for_write(type(instance), instance=instance)
        if any_frozen(using, Q(pk=instance.version_id)):
            raise FrozenVersionError()
