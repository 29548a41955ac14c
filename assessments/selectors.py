"""Reads that span models: an assessment's whole content, loaded in a fixed number of queries."""

from dataclasses import dataclass, field

from django.db.models import Case, Prefetch, QuerySet, When

from assessments.models import (
    Action,
    Answer,
    Assessment,
    DutyContribution,
    ImpactRating,
    IntersectionalImpact,
    ParticipationEntry,
    PrincipleAlignment,
    SectionProgress,
)
from frameworks.models import Characteristic, FrameworkVersion, Question, Section


@dataclass
class AssessmentContent:
    """Everything an assessment records, with the framework rows it points at."""

    assessment: Assessment
    version: FrameworkVersion
    sections: list[Section]
    questions_by_section: dict[int, list[Question]]
    answers: dict[int, Answer]  # by question id
    ratings: list[ImpactRating]
    intersectional: list[IntersectionalImpact]
    alignments: list[PrincipleAlignment]
    duties: list[DutyContribution]
    participation: list[ParticipationEntry]
    actions: list[Action]
    progress: dict[int, SectionProgress] = field(default_factory=dict)  # by section id

    def answer_value(self, question_key: str):
        for questions in self.questions_by_section.values():
            for question in questions:
                if question.key == question_key:
                    answer = self.answers.get(question.pk)
                    return answer.value if answer else None
        return None

    def section_by_key(self, key: str) -> Section | None:
        return next((section for section in self.sections if section.key == key), None)

    def section_holding(self, structured: str) -> Section | None:
        return next((section for section in self.sections if section.structured == structured), None)


def ordered_ratings(assessment) -> QuerySet:
    """Impact ratings with protected characteristics first, each kind in the version's order."""
    return (
        ImpactRating.objects.filter(assessment=assessment)
        .select_related("characteristic")
        .order_by(
            Case(When(characteristic__kind=Characteristic.Kind.PROTECTED, then=0), default=1),
            "characteristic__order",
            "characteristic__pk",
        )
    )


def version_characteristics(version) -> QuerySet:
    return Characteristic.objects.filter(version=version).order_by(
        Case(When(kind=Characteristic.Kind.PROTECTED, then=0), default=1), "order", "pk"
    )


def template_sections(version: FrameworkVersion) -> tuple[list[Section], dict[int, list[Question]]]:
    sections = list(
        Section.objects.filter(version=version)
        .order_by("order", "pk")
        .prefetch_related(Prefetch("questions", queryset=Question.objects.order_by("order", "pk")))
    )
    return sections, {section.pk: list(section.questions.all()) for section in sections}


def assessment_content(assessment: Assessment) -> AssessmentContent:
    version = FrameworkVersion.objects.prefetch_related("scale_options", "levels").get(
        pk=assessment.framework_version_id
    )
    sections, questions = template_sections(version)
    return AssessmentContent(
        assessment=assessment,
        version=version,
        sections=sections,
        questions_by_section=questions,
        answers={answer.question_id: answer for answer in Answer.objects.filter(assessment=assessment)},
        ratings=list(ordered_ratings(assessment)),
        intersectional=list(
            IntersectionalImpact.objects.filter(assessment=assessment).prefetch_related("characteristics")
        ),
        alignments=list(
            PrincipleAlignment.objects.filter(assessment=assessment)
            .select_related("principle")
            .order_by("principle__order", "principle__pk")
        ),
        duties=list(DutyContribution.objects.filter(assessment=assessment).order_by("pk")),
        participation=list(ParticipationEntry.objects.filter(assessment=assessment)),
        actions=list(
            Action.objects.filter(assessment=assessment)
            .select_related("principle", "owner")
            .prefetch_related("characteristics", "intersectional_impacts")
        ),
        progress={p.section_id: p for p in SectionProgress.objects.filter(assessment=assessment)},
    )
