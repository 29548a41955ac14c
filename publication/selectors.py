"""Reads for the public register. Everything returned here is safe for anonymous readers: no
staff names, no drafts, nothing an approver decided not to publish beyond its title, date and
reason."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from assessments.models import Action, Assessment, ImpactRating
from assessments.screening_summary import screening_of
from frameworks.models import Characteristic
from frameworks.scales import ActivityType, Decision, Impact, Scale
from publication.models import PUBLIC_SUMMARY_FIELDS, Feedback, Publication, PublicSummary

# Groups the register's filter offers: those an assessment found a positive or negative effect on.
FOUND_IMPACTS = (
    Impact.SIGNIFICANT_POSITIVE,
    Impact.POSITIVE,
    Impact.NEGATIVE,
    Impact.SIGNIFICANT_NEGATIVE,
)


def no_assessment_justification(assessment: Assessment) -> str:
    """What the register shows of a "no assessment needed" decision in place of a public summary:
    the justification its screening gave, signed off with it. Blank for any other assessment,
    whose screening (if any) is not public."""
    if not assessment.needs_no_assessment:
        return ""
    screening = screening_of(assessment)
    return screening.justification if screening is not None else ""


def has_public_text(assessment: Assessment) -> bool:
    """There is something Londoners can read if it is published: a public summary, or the
    justification of a "no assessment needed" decision."""
    if assessment.needs_no_assessment:
        return bool(no_assessment_justification(assessment).strip())
    return PublicSummary.objects.filter(assessment=assessment).exists()


def _listed() -> QuerySet[Publication]:
    """Publications of signed-off (or since superseded) assessments, with their summaries (or
    the screening that decided no assessment was needed)."""
    return Publication.objects.filter(assessment__status__in=Assessment.FROZEN_STATUSES).select_related(
        "assessment", "assessment__public_summary", "assessment__screening"
    )


@dataclass
class RegisterFilters:
    q: str = ""
    activity_type: str = ""
    year: int | None = None
    group: str = ""
    decision: str = ""


def register_entries(filters: RegisterFilters) -> QuerySet[Publication]:
    """Published summaries (current, superseded and withdrawn, each marked), newest first."""
    entries = _listed().filter(decision__in=Publication.PUBLISHING_DECISIONS)
    if filters.q:
        words = Q()
        for name in (
            "assessment__title",
            "assessment__reference",
            *(f"assessment__public_summary__{n}" for n in PUBLIC_SUMMARY_FIELDS),
        ):
            words |= Q(**{f"{name}__icontains": filters.q})
        words |= Q(
            assessment__scope=Assessment.Scope.NONE, assessment__screening__justification__icontains=filters.q
        )
        # A withdrawn summary's text is no longer public: it is found by its title only.
        entries = entries.filter(words).exclude(
            Q(withdrawn_at__isnull=False) & ~Q(assessment__title__icontains=filters.q)
        )
    if filters.activity_type:
        entries = entries.filter(assessment__activity_type=filters.activity_type)
    if filters.year:
        entries = entries.filter(assessment__signed_off_at__year=filters.year)
    if filters.decision:
        entries = entries.filter(assessment__decision=filters.decision)
    if filters.group:
        found = ImpactRating.objects.filter(
            assessment=OuterRef("assessment"), characteristic__key=filters.group, impact__in=FOUND_IMPACTS
        )
        entries = entries.filter(Exists(found))
    return entries.order_by("-assessment__signed_off_at", "-pk")


def not_published() -> QuerySet[Publication]:
    """Decisions not to publish, listed by title, date and reason (as councils list exempt items)."""
    return _listed().filter(decision=Publication.Decision.NOT_PUBLISHED).order_by("-decided_at", "-pk")


def filter_choices() -> dict:
    years = sorted(
        {
            when.year
            for when in _listed()
            .filter(decision__in=Publication.PUBLISHING_DECISIONS)
            .values_list("assessment__signed_off_at", flat=True)
            if when
        },
        reverse=True,
    )
    groups = dict(
        Characteristic.objects.filter(
            version__assessments__publication__decision__in=Publication.PUBLISHING_DECISIONS
        )
        .order_by("order", "name")
        .values_list("key", "name")
        .distinct()
    )
    return {
        "activity_types": ActivityType.choices,
        "years": years,
        "groups": sorted(groups.items(), key=lambda item: item[1]),
        "decisions": Decision.choices,
    }


def publication_for_public(reference: str) -> Publication:
    """The publication of a signed-off assessment, published or withdrawn; 404 for anything else."""
    if "\x00" in reference:
        raise Http404("No such entry.")
    publication = (
        _listed()
        .filter(decision__in=Publication.PUBLISHING_DECISIONS, assessment__reference=reference)
        .select_related("assessment__framework_version")
        .first()
    )
    if publication is None:
        raise Http404("No such entry.")
    return publication


def current_version(assessment: Assessment) -> Publication | None:
    """For a superseded assessment: the published entry of the version that replaced it, if any."""
    if assessment.status != Assessment.Status.SUPERSEDED:
        return None
    return (
        Publication.objects.published()
        .filter(assessment__previous=assessment, assessment__status__in=Assessment.FROZEN_STATUSES)
        .select_related("assessment")
        .first()
    )


@dataclass
class PublicAction:
    issue: str
    action: str
    due_date: date | None
    status: str


def public_actions(assessment: Assessment) -> list[PublicAction]:
    """What will be done, with dates and progress, without who does it."""
    return [
        PublicAction(issue, action, due, dict(Action.Status.choices).get(status, status))
        for issue, action, due, status in Action.objects.filter(assessment=assessment)
        .exclude(action="")
        .order_by("due_date", "pk")
        .values_list("issue", "action", "due_date", "status")
    ]


def shown_feedback(assessment: Assessment) -> QuerySet[Feedback]:
    """Approved feedback with its answer ("you said, we did"): never the names or addresses."""
    return Feedback.objects.filter(assessment=assessment, status=Feedback.Status.APPROVED).only(
        "text", "answer", "created_at", "answered_at"
    )


def groups_found(assessment: Assessment) -> dict[str, list[str]]:
    """The groups the assessment found a positive or a negative effect on, by direction."""
    found = {"positive": [], "negative": []}
    for name, impact in ImpactRating.objects.filter(
        assessment=assessment, impact__in=FOUND_IMPACTS
    ).values_list("characteristic__name", "impact"):
        found["positive" if "positive" in impact else "negative"].append(name)
    return found


def decision_label(assessment: Assessment) -> str:
    if assessment.needs_no_assessment:
        return str(Assessment.Scope.NONE.label)
    if not assessment.decision:
        return ""
    return assessment.framework_version.label_for(Scale.DECISION, assessment.decision)
