"""A kind of row that holds no rows on purpose: "none applies", with the reason.

Users say so instead of inventing an entry (a combination of characteristics, a participation
entry). When no one has taken part yet, the choice says when it will happen, and the action
plan holds an action with that due date (``action``), made once and kept in step.
"""

from django.conf import settings
from django.db import models

from assessments.models.assessment import LONG_TEXT_MAX, Assessment
from assessments.models.rows import Action, FrozenWithAssessment, one_per_assessment, row_history


class NoneApplies(FrozenWithAssessment):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="none_applies")
    kind = models.CharField(max_length=40, editable=False)  # the prefix of its kind (``assessments.kinds``)
    reason = models.TextField("Why none applies", max_length=LONG_TEXT_MAX, blank=True)
    expected_on = models.DateField("When it will happen", null=True, blank=True)
    action = models.ForeignKey(Action, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = row_history()

    class Meta:
        verbose_name = "none applies"
        verbose_name_plural = "none applies"
        constraints = [one_per_assessment("kind", "none_applies_once_a_kind")]

    def __str__(self) -> str:
        return f"None applies: {self.kind}"
