from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from assessments.models import Assessment
from assessments.places import LONDON_WIDE_LABEL, counts_by_area
from assessments.selectors import screenings_signed_off
from outcomes.models import ImpactOutcome
from outcomes.selectors import signed_off_reviews
from places.london import LONDON_WIDE
from places.models import LocalAuthority
from pledges.models import PledgeReport, ReportNarrative
from pledges.permissions import link_refusal

SCREENINGS_SIGNED_OFF = "screenings_signed_off"
SCREENINGS_SIGNED_OFF_LABEL = _("Screenings signed off")


def commitments_panel(sender, request, assessment, **kwargs):
    """On an assessment's page: a link to the commitments it and its actions serve. It reads
    nothing from the database, so the page keeps its number of queries."""
    return render_to_string(
        "pledges/_assessment_panel.html",
        {"assessment": assessment, "may_change": not link_refusal(request.user, assessment)},
        request=request,
    )


def outcomes_for_report(sender, period, assessment_ids, **kwargs) -> list[dict]:
    """The report's outcomes, challenges and sustainability: from the outcome reviews of the
    linked assessments signed off in the year (the report sits above the outcomes app)."""
    reviews = (
        signed_off_reviews((period.first_day, period.last_day))
        .filter(assessment_id__in=assessment_ids)
        # Only what the report says: not each review's signed document, its people or its actions.
        .select_related(None)
        .select_related("assessment")
        .only("assessment__reference", "challenges", "sustainability")
        .prefetch_related(None)
        .prefetch_related(
            Prefetch(
                "impacts",
                queryset=ImpactOutcome.objects.only(
                    "review_id", "characteristic_name", "predicted_label", "result"
                ).order_by("order", "pk"),
                to_attr="impact_rows",
            )
        )
    )
    parts = []
    for review in reviews:
        assessment = review.assessment
        url = reverse("outcomes:review", args=[assessment.reference])
        turned_out = "; ".join(
            f"{row.characteristic_name}: predicted {row.predicted_label.lower()}, "
            f"{row.get_result_display().lower() if row.result else 'not recorded'}"
            for row in review.impact_rows
        )
        if turned_out:
            parts.append({"assessment_id": assessment.pk, "part": "outcomes", "text": turned_out, "url": url})
        for part in ("challenges", "sustainability"):
            if text := getattr(review, part).strip():
                parts.append({"assessment_id": assessment.pk, "part": part, "text": text, "url": url})
    return parts


def _by_place(assessments) -> list[tuple[str, int]]:
    """London-wide, then each local authority with work in ``assessments`` (one assessment may
    take place in several)."""
    counts = counts_by_area(assessments)
    names = dict(LocalAuthority.objects.values_list("gss_code", "name"))
    rows = [(LONDON_WIDE_LABEL, counts.get(LONDON_WIDE, 0))]
    rows += sorted((names.get(code, code), count) for code, count in counts.items() if code != LONDON_WIDE)
    return rows


def places_for_report(sender, period, assessment_ids, **kwargs) -> list[dict]:
    """The report's table of where the work signed off in the year takes place."""
    signed = Assessment.objects.filter(
        pk__in=assessment_ids, signed_off_at__gte=period.starts, signed_off_at__lt=period.ends
    )
    return [
        {
            "slug": "places",
            "title": "Assessments signed off in the year, by where the activity takes place",
            "row_header": "Place",
            "rows": _by_place(signed),
        }
    ]


def _screened(period, assessment_ids):
    return screenings_signed_off(period.starts, period.ends).filter(pk__in=assessment_ids)


def screenings_for_report(sender, period, assessment_ids, **kwargs) -> list[dict]:
    """The report's figure of screenings signed off in the year (from the assessments app): "no
    assessment needed" decisions confirmed and signed off, and screenings confirmed as a full or
    proportionate assessment; one per screened assessment."""
    screened = _screened(period, assessment_ids).values_list("pk", flat=True)
    return [
        {
            "key": SCREENINGS_SIGNED_OFF,
            "label": str(SCREENINGS_SIGNED_OFF_LABEL),  # the document is JSON
            "by_assessment": dict.fromkeys(screened, 1),
        }
    ]


def screening_places_for_report(sender, period, assessment_ids, **kwargs) -> list[dict]:
    """The report's table of where the work whose screening was signed off in the year takes place."""
    return [
        {
            "slug": "screening-places",
            "title": "Screenings signed off in the year, by where the activity takes place",
            "row_header": "Place",
            "rows": _by_place(_screened(period, assessment_ids)),
        }
    ]


def personal_data(sender, user, **kwargs) -> dict:
    """What the Pledge progress report holds about a person: the narrative they wrote (as it
    stands, and every wording they saved) and the reports they signed off. Erasure needs nothing
    of its own here: the report's page names its signer through their account, and a signed
    report keeps the names it was signed off with, as a signed assessment does."""
    narratives = ReportNarrative.objects.filter(updated_by=user).select_related("report", "pledge")
    wordings = ReportNarrative.history.filter(updated_by=user).select_related("report", "pledge")
    parts = dict(ReportNarrative.Part.choices)
    return {
        "pledge_report_narratives": [
            {
                "report": str(narrative.report),
                "pledge": narrative.pledge.name,
                "commitment": narrative.number,
                "part": parts.get(narrative.part, narrative.part),
                "text": narrative.text,
                "updated_at": narrative.updated_at,
            }
            for narrative in narratives.order_by("pk")
        ],
        "pledge_report_narrative_wordings": [
            {
                "report": str(wording.report),
                "pledge": wording.pledge.name,
                "commitment": wording.number,
                "part": parts.get(wording.part, wording.part),
                "text": wording.text,
                "saved_at": wording.history_date,
            }
            for wording in wordings.order_by("history_date", "history_id")
        ],
        "pledge_reports_signed_off": [
            {"report": str(report), "signed_off_at": report.signed_off_at, "sha256": report.sha256}
            for report in PledgeReport.objects.filter(signed_off_by=user).order_by("year")
        ],
    }
