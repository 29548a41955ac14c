"""Forms of the assessment pages, by area: details, sections (questions and rows), review.
The names other modules use are importable from here."""

from assessments.forms.common import MAX_ROWS, people_who_assess
from assessments.forms.details import AssessmentDetailsForm
from assessments.forms.entries import (
    ActionFormSet,
    DutyFormSet,
    IntersectionalFormSet,
    ParticipationFormSet,
    PrincipleAlignmentFormSet,
)
from assessments.forms.grid import ImpactRatingFormSet, SubgroupRatingFormSet
from assessments.forms.review import (
    CHANGES_LABEL,
    SIGN_OFF_DECLARATION,
    ActionFollowUpForm,
    CommentForm,
    DeclarationForm,
    ReasonForm,
    WithdrawForm,
)
from assessments.forms.sections import QuestionsForm

__all__ = [
    "CHANGES_LABEL",
    "MAX_ROWS",
    "SIGN_OFF_DECLARATION",
    "ActionFollowUpForm",
    "ActionFormSet",
    "AssessmentDetailsForm",
    "CommentForm",
    "DeclarationForm",
    "DutyFormSet",
    "ImpactRatingFormSet",
    "IntersectionalFormSet",
    "ParticipationFormSet",
    "PrincipleAlignmentFormSet",
    "QuestionsForm",
    "ReasonForm",
    "SubgroupRatingFormSet",
    "WithdrawForm",
    "people_who_assess",
]
