"""The register as open data: one record per published summary, the same in CSV and JSON,
under the Open Government Licence. Nothing withdrawn or not published is in it."""

from django.db.models import QuerySet
from django.urls import reverse

from assessments.models import Assessment
from frameworks.scales import Scale
from publication import selectors
from publication.models import PUBLIC_SUMMARY_FIELDS, Publication

LICENCE = "Open Government Licence v3.0"
LICENCE_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
FIELDS = (
    "reference",
    "version",
    "title",
    "activity_type",
    "signed_off_on",
    "published_on",
    "status",
    "decision",
    "review_date",
    *PUBLIC_SUMMARY_FIELDS,
    "why_no_assessment_needed",
    "url",
    "easy_read_url",
)


def published_entries() -> QuerySet[Publication]:
    return (
        Publication.objects.published()
        .filter(assessment__status__in=Assessment.FROZEN_STATUSES)
        .select_related(
            "assessment__public_summary", "assessment__screening", "assessment__framework_version"
        )
        .order_by("-decided_at", "-pk")
    )


def public_text(assessment: Assessment) -> str:
    """The first thing Londoners read of an entry: what the activity is, or why it needed no assessment."""
    summary = getattr(assessment, "public_summary", None)
    return selectors.no_assessment_justification(assessment) or (summary.activity if summary else "")


def record(publication: Publication, absolute) -> dict[str, str | int]:
    """One entry of the open data; ``absolute`` turns a path into a full URL. A "no assessment
    needed" decision has no public summary (its fields are blank) and no Easy Read version."""
    assessment = publication.assessment
    summary = getattr(assessment, "public_summary", None)
    version = assessment.framework_version
    no_assessment = assessment.needs_no_assessment
    return {
        "reference": assessment.reference,
        "version": assessment.version_number,
        "title": assessment.title,
        "activity_type": version.label_for(Scale.ACTIVITY_TYPE, assessment.activity_type),
        "signed_off_on": assessment.signed_off_at.date().isoformat() if assessment.signed_off_at else "",
        "published_on": publication.decided_at.date().isoformat(),
        "status": "superseded" if assessment.status == Assessment.Status.SUPERSEDED else "current",
        "decision": selectors.decision_label(assessment),
        "review_date": assessment.review_date.isoformat() if assessment.review_date else "",
        **{name: getattr(summary, name, "") for name in PUBLIC_SUMMARY_FIELDS},
        "why_no_assessment_needed": selectors.no_assessment_justification(assessment),
        "url": absolute(reverse("publication:summary", args=[assessment.reference])),
        "easy_read_url": ""
        if no_assessment
        else absolute(reverse("publication:easy_read", args=[assessment.reference])),
    }


def records(absolute) -> list[dict]:
    return [record(publication, absolute) for publication in published_entries()]
