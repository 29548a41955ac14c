"""The models of the assessments app, by area; all importable from here."""

from assessments.models.absences import NoneApplies
from assessments.models.assessment import (
    COMMENT_MAX,
    CONTENT_FIELDS_OF_ASSESSMENT,
    FROZEN_MESSAGE,
    LONG_TEXT_MAX,
    PARTNER_NAME_MAX,
    SHORT_TEXT_MAX,
    SUMMARY_MAX,
    TITLE_MAX,
    Assessment,
    AssessmentQuerySet,
    FrozenAssessmentError,
    Partner,
    ReferenceCounter,
    SectionProgress,
    refuse_content_change_if_frozen,
)
from assessments.models.evidence import EVIDENCE_PREFIX, Evidence
from assessments.models.review import AssessmentEvent, ReminderSent, ReviewComment, Snapshot, SnapshotQuerySet
from assessments.models.rounds import ReviewRound
from assessments.models.rows import (
    ASSESSMENT_ROW_MODELS,
    Action,
    Answer,
    AssessmentRow,
    DutyAim,
    DutyContribution,
    ImpactRating,
    IntersectionalImpact,
    ParticipationEntry,
    PrincipleAlignment,
    RowQuerySet,
)
from assessments.models.screening import Reach, Screening
from assessments.models.search import SearchDocument

__all__ = [
    "ASSESSMENT_ROW_MODELS",
    "COMMENT_MAX",
    "CONTENT_FIELDS_OF_ASSESSMENT",
    "EVIDENCE_PREFIX",
    "FROZEN_MESSAGE",
    "LONG_TEXT_MAX",
    "PARTNER_NAME_MAX",
    "SHORT_TEXT_MAX",
    "SUMMARY_MAX",
    "TITLE_MAX",
    "Action",
    "Answer",
    "Assessment",
    "AssessmentEvent",
    "AssessmentQuerySet",
    "AssessmentRow",
    "DutyAim",
    "DutyContribution",
    "Evidence",
    "FrozenAssessmentError",
    "ImpactRating",
    "IntersectionalImpact",
    "NoneApplies",
    "ParticipationEntry",
    "Partner",
    "PrincipleAlignment",
    "Reach",
    "ReferenceCounter",
    "ReminderSent",
    "ReviewComment",
    "ReviewRound",
    "RowQuerySet",
    "Screening",
    "SearchDocument",
    "SectionProgress",
    "Snapshot",
    "SnapshotQuerySet",
    "refuse_content_change_if_frozen",
]
