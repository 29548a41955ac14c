"""What an assessment records, row by row. Rows of a signed-off assessment are frozen."""

from django.conf import settings
from django.db import models
from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from simple_history.models import HistoricalRecords

# Limits stated on the pages that use them.
from assessments.models.assessment import (
    LONG_TEXT_MAX,
    SHORT_TEXT_MAX,
    Assessment,
    FrozenAssessmentError,
    refuse_content_change_if_frozen,
    refuse_if_frozen,
)
from frameworks.scales import (
    DutyContributionLevel,
    EvidenceConfidence,
    Impact,
    ParticipationLevel,
    PrincipleAlignmentLevel,
    PsedAim,
)


def row_history(**options) -> HistoricalRecords:
    """A row's history: each change and who made it, but not the time of its last change,
    which the history holds already."""
    return HistoricalRecords(excluded_fields=["updated_at"], **options)


def one_per_assessment(field: str, name: str) -> models.UniqueConstraint:
    """An assessment holds at most one row for each ``field`` (one rating a characteristic)."""
    return models.UniqueConstraint(fields=["assessment", field], name=name)


class RowQuerySet(models.QuerySet):
    """Refuses bulk changes to the rows of signed-off assessments."""

    def _touches_frozen(self) -> bool:
        return self.filter(assessment__status__in=Assessment.FROZEN_STATUSES).exists()

    def update(self, **kwargs):
        if set(kwargs) - set(self.model.MONITORING_FIELDS) and self._touches_frozen():
            raise FrozenAssessmentError()
        return super().update(**kwargs)

    def delete(self):
        if self._touches_frozen():
            raise FrozenAssessmentError()
        return super().delete()


class FrozenWithAssessment(models.Model):
    """A record of an assessment that is neither saved nor deleted once the assessment is signed off."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        refuse_if_frozen(self.assessment_id)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        refuse_if_frozen(self.assessment_id)
        return super().delete(*args, **kwargs)


class AssessmentRow(models.Model):
    """Common to every row that belongs to an assessment: who changed it last, and when.

    Once the assessment is signed off, its rows are frozen: saving a change or deleting one
    is refused here, whichever view, form, admin page or script tries it.
    """

    # Fields that may still change after sign-off (following actions up is the point).
    MONITORING_FIELDS: tuple[str, ...] = ()

    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = RowQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, checked_editable: bool = False, **kwargs) -> None:
        """``checked_editable``: the caller holds the assessment's lock and found it editable
        (``services.section_save``), so that its status cannot change before the commit."""
        if not checked_editable:
            refuse_content_change_if_frozen(self, self.content_fields())
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        refuse_if_frozen(self.assessment_id)
        return super().delete(*args, **kwargs)

    @classmethod
    def content_fields(cls) -> list[str]:
        skipped = {"id", "updated_at", "updated_by", *cls.MONITORING_FIELDS}
        return [f.attname for f in cls._meta.concrete_fields if f.name not in skipped]


class Answer(AssessmentRow):
    """The answer to one narrative question; ``value`` is typed by the question's type."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey("frameworks.Question", on_delete=models.PROTECT, related_name="+")
    value = models.JSONField(null=True, blank=True)

    history = row_history()

    class Meta:
        constraints = [one_per_assessment("question", "one_answer_per_question")]

    def __str__(self) -> str:
        return f"Answer to question {self.question_id}"


class ImpactRating(AssessmentRow):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="impact_ratings")
    characteristic = models.ForeignKey(
        "frameworks.Characteristic", on_delete=models.PROTECT, related_name="+"
    )
    impact = models.CharField(max_length=30, choices=Impact.choices, blank=True)
    evidence = models.TextField(max_length=LONG_TEXT_MAX, blank=True)
    confidence = models.CharField(max_length=20, choices=EvidenceConfidence.choices, blank=True)
    data_gap = models.BooleanField(null=True)
    data_gap_note = models.TextField(max_length=LONG_TEXT_MAX, blank=True)
    mitigation = models.TextField(max_length=LONG_TEXT_MAX, blank=True)
    justification = models.TextField(max_length=LONG_TEXT_MAX, blank=True)
    # Whether the activity plausibly affects the group: a group marked not relevant needs only
    # a one-line reason. Unset with an impact chosen counts as relevant (rows made before).
    relevant = models.BooleanField("relevant to the activity", null=True)
    not_relevant_reason = models.CharField("why not relevant", max_length=SHORT_TEXT_MAX, blank=True)
    # Whether the group is also assessed by its finer groups (``SubgroupRating``): offered when
    # the framework gives the characteristic a breakdown and the screening marks it.
    by_subgroups = models.BooleanField("assessed by its finer groups", default=False)

    history = row_history()

    class Meta:
        constraints = [one_per_assessment("characteristic", "one_rating_per_characteristic")]

    def __str__(self) -> str:
        return f"Impact on characteristic {self.characteristic_id}: {self.impact or 'not rated'}"

    @property
    def is_relevant(self) -> bool | None:
        """Whether the group is assessed in depth: as chosen, or as a chosen impact says."""
        if self.relevant is None and self.impact:
            return True
        return self.relevant


class SubgroupRating(AssessmentRow):
    """The impact on one finer group of a characteristic (an ethnic group of the 2021 Census
    within race), when the assessment breaks the characteristic down."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="subgroup_ratings")
    subgroup = models.ForeignKey("frameworks.Subgroup", on_delete=models.PROTECT, related_name="+")
    relevant = models.BooleanField("relevant to the activity", null=True)
    not_relevant_reason = models.CharField("why not relevant", max_length=SHORT_TEXT_MAX, blank=True)
    impact = models.CharField(max_length=30, choices=Impact.choices, blank=True)
    evidence = models.TextField(max_length=LONG_TEXT_MAX, blank=True)

    history = row_history()

    class Meta:
        constraints = [one_per_assessment("subgroup", "one_rating_per_subgroup")]

    def __str__(self) -> str:
        return f"Impact on subgroup {self.subgroup_id}: {self.impact or 'not rated'}"


class IntersectionalImpact(AssessmentRow):
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="intersectional_impacts"
    )
    characteristics = models.ManyToManyField("frameworks.Characteristic", related_name="+")
    description = models.CharField(max_length=SHORT_TEXT_MAX, blank=True)
    impact = models.CharField(max_length=30, choices=Impact.choices, blank=True)
    evidence = models.TextField(max_length=LONG_TEXT_MAX, blank=True)

    history = row_history(m2m_fields=[characteristics])

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.description or f"Combination {self.pk}"


class PrincipleAlignment(AssessmentRow):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="principle_alignments")
    principle = models.ForeignKey("frameworks.Principle", on_delete=models.PROTECT, related_name="+")
    alignment = models.CharField(max_length=20, choices=PrincipleAlignmentLevel.choices, blank=True)
    narrative = models.TextField(max_length=LONG_TEXT_MAX, blank=True)

    history = row_history()

    class Meta:
        constraints = [one_per_assessment("principle", "one_alignment_per_principle")]

    def __str__(self) -> str:
        return f"Alignment with principle {self.principle_id}: {self.alignment or 'not rated'}"


class DutyAim(models.TextChoices):
    """The three aims of the Public Sector Equality Duty, plus inequalities in access and outcomes."""

    ELIMINATE_DISCRIMINATION = PsedAim.ELIMINATE_DISCRIMINATION.value, PsedAim.ELIMINATE_DISCRIMINATION.label
    ADVANCE_EQUALITY = PsedAim.ADVANCE_EQUALITY.value, PsedAim.ADVANCE_EQUALITY.label
    FOSTER_GOOD_RELATIONS = PsedAim.FOSTER_GOOD_RELATIONS.value, PsedAim.FOSTER_GOOD_RELATIONS.label
    ACCESS = "access", "Reduce inequalities in access"
    OUTCOMES = "outcomes", "Reduce inequalities in outcomes"


class DutyContribution(AssessmentRow):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="duty_contributions")
    aim = models.CharField(max_length=40, choices=DutyAim.choices)
    contribution = models.CharField(max_length=20, choices=DutyContributionLevel.choices, blank=True)
    narrative = models.TextField(max_length=LONG_TEXT_MAX, blank=True)

    history = row_history()

    class Meta:
        constraints = [one_per_assessment("aim", "one_contribution_per_aim")]

    def __str__(self) -> str:
        return f"{self.get_aim_display()}: {self.contribution or 'not rated'}"


class ParticipationEntry(AssessmentRow):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="participation_entries")
    who = models.CharField(max_length=SHORT_TEXT_MAX, blank=True)
    how = models.CharField(max_length=SHORT_TEXT_MAX, blank=True)
    when = models.DateField(null=True, blank=True)
    level = models.CharField(max_length=20, choices=ParticipationLevel.choices, blank=True)
    paid = models.BooleanField(null=True)
    what_changed = models.TextField(max_length=LONG_TEXT_MAX, blank=True)

    history = row_history()

    class Meta:
        ordering = ["pk"]
        verbose_name_plural = "participation entries"

    def __str__(self) -> str:
        return self.who or f"Participation entry {self.pk}"


class Action(AssessmentRow):
    MONITORING_FIELDS = ("status", "progress_notes", "due_date")

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        DROPPED = "dropped", "Dropped"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="actions")
    issue = models.TextField(max_length=LONG_TEXT_MAX, blank=True)
    action = models.TextField(max_length=LONG_TEXT_MAX, blank=True)
    characteristics = models.ManyToManyField("frameworks.Characteristic", blank=True, related_name="+")
    intersectional_impacts = models.ManyToManyField(IntersectionalImpact, blank=True, related_name="actions")
    principle = models.ForeignKey(
        "frameworks.Principle", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_actions",
    )
    due_date = models.DateField(null=True, blank=True)
    measure = models.TextField(max_length=LONG_TEXT_MAX, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    progress_notes = models.TextField(max_length=LONG_TEXT_MAX, blank=True)

    history = row_history(m2m_fields=[characteristics, intersectional_impacts])

    class Meta:
        ordering = ["pk"]
        indexes = [
            # Overdue actions, counted on the dashboard and in reminders, read from the index alone.
            models.Index(
                fields=["due_date", "assessment"],
                condition=models.Q(status__in=["open", "in_progress"]),
                name="action_open_by_due_date",
            )
        ]

    def __str__(self) -> str:
        return self.action[:80] or f"Action {self.pk}"


@receiver(m2m_changed, dispatch_uid="assessments.frozen_m2m")
def _refuse_m2m_changes_when_frozen(sender, instance, action, reverse, model, pk_set, **kwargs) -> None:
    if action not in ("pre_add", "pre_remove", "pre_clear"):
        return
    owners_model = model if reverse else type(instance)
    if not issubclass(owners_model, Assessment | AssessmentRow):
        return
    if not reverse:
        owner_ids = [instance.pk]
    else:
        # Changed from the other side (``user.collaborating_on.add(...)``): the rows that
        # would change are those named in pk_set, or all those linked to the instance.
        if action == "pre_clear":
            to_instance = next(f for f in sender._meta.fields if f.related_model is type(instance))
            to_owner = next(
                f for f in sender._meta.fields if f.related_model is model and f is not to_instance
            )
            owner_ids = list(
                sender.objects.filter(**{to_instance.name: instance.pk}).values_list(
                    to_owner.attname, flat=True
                )
            )
        else:
            owner_ids = list(pk_set or ())
    if issubclass(owners_model, Assessment):
        frozen = Assessment.objects.filter(pk__in=owner_ids, status__in=Assessment.FROZEN_STATUSES)
    else:
        frozen = owners_model.objects.filter(
            pk__in=owner_ids, assessment__status__in=Assessment.FROZEN_STATUSES
        )
    if frozen.exists():
        raise FrozenAssessmentError()


# Every kind of row an assessment records, in the order of its sections: what history keeps,
# what a freeze protects and what tests compare before and after.
ASSESSMENT_ROW_MODELS = (
    Answer,
    ImpactRating,
    SubgroupRating,
    IntersectionalImpact,
    PrincipleAlignment,
    DutyContribution,
    ParticipationEntry,
    Action,
)
