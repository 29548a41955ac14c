"""The screening: the short first step that decides how much assessment an activity needs.

An assessment created with a screening (``Assessment.screening_status`` not blank) answers it
first; its decision (``Assessment.scope``) says which sections follow. Assessments created
before screening existed have no screening and are full assessments.
"""

from django.db import models

from assessments.models.assessment import LONG_TEXT_MAX, Assessment
from assessments.models.rows import AssessmentRow, row_history


class Reach(models.TextChoices):
    FEW = "few", "A small, defined group (up to about 50 people)"
    BOROUGH = "borough", "People in one borough, or one service's users"
    LONDON = "london", "People in several boroughs, or across London"


class Screening(AssessmentRow):
    """The answers to the screening questions of one assessment."""

    assessment = models.OneToOneField(Assessment, on_delete=models.CASCADE, related_name="screening")
    who = models.TextField(max_length=LONG_TEXT_MAX, blank=True)
    changes = models.BooleanField(null=True)
    changes_note = models.TextField(max_length=LONG_TEXT_MAX, blank=True)
    groups = models.ManyToManyField("frameworks.Characteristic", blank=True, related_name="+")
    reach = models.CharField(max_length=20, choices=Reach.choices, blank=True)
    crisis = models.BooleanField(null=True)
    decision = models.CharField(max_length=20, choices=Assessment.Scope.choices, blank=True)
    justification = models.TextField(max_length=LONG_TEXT_MAX, blank=True)

    history = row_history(m2m_fields=[groups])

    @classmethod
    def answer_fields(cls) -> list[str]:
        """The answers, other than the groups (a relation, copied by key between versions)."""
        kept = {"id", "assessment", "updated_by", "updated_at"}
        return [field.name for field in cls._meta.concrete_fields if field.name not in kept]

    def __str__(self) -> str:
        return f"Screening of assessment {self.assessment_id}: {self.decision or 'not decided'}"
