"""Forms of the assessment pages, by area: details, sections (questions and rows), review.
The names other modules use are importable from here."""

from assessments.forms.common import MAX_ROWS, people_who_assess
from assessments.forms.details import AssessmentDetailsForm
from assessments.forms.review import (
    ActionFollowUpForm,
    CommentForm,
    RequestChangesForm,
    SignOffForm,
    WithdrawForm,
)
from assessments.forms.rows import (
    ActionFormSet,
    DutyFormSet,
    ImpactRatingFormSet,
    IntersectionalFormSet,
    ParticipationFormSet,
    PrincipleAlignmentFormSet,
    SubgroupRatingFormSet,
)
from assessments.forms.sections import QuestionsForm

__all__ = [
    "MAX_ROWS",
    "ActionFollowUpForm",
    "ActionFormSet",
    "AssessmentDetailsForm",
    "CommentForm",
    "DutyFormSet",
    "ImpactRatingFormSet",
    "IntersectionalFormSet",
    "ParticipationFormSet",
    "PrincipleAlignmentFormSet",
    "QuestionsForm",
    "RequestChangesForm",
    "SignOffForm",
    "SubgroupRatingFormSet",
    "WithdrawForm",
    "people_who_assess",
]
