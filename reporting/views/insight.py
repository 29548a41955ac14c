"""The portfolio dashboard, the exports page and the export downloads."""

from functools import partial

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from assessments.models import Assessment
from assessments.permissions import get_assessment_for_user
from assessments.places import known_place_groups
from outcomes.selectors import predictions_against_outcomes
from reporting import charts, exports
from reporting.filters import ExportFilter, SignedOffFilter, framework_items_of_both
from reporting.insight import latest_signed_off, portfolio_dashboard
from reporting.portfolio import kept_counts
from thrive_edi.roles import Role, user_roles

UNKNOWN_REFERENCE_MESSAGE = "There is no assessment you can read with that reference"
ENTER_REFERENCE_MESSAGE = "Enter the reference of an assessment, like EIA-2026-0042"

# The dashboard's charts, in order: the figure each draws, how, and the description shown
# above it (which also describes the chart to assistive technology).
PANELS = (
    (
        "impacts",
        charts.heatmap,
        "How many assessments rated each characteristic at each level of impact. Darker cells "
        "hold more ratings; every cell shows its number.",
    ),
    (
        "data_gaps",
        charts.heatmap,
        "For each characteristic, how many assessments rated it on weak evidence (the two "
        "lowest levels of confidence), and how many recorded a gap in the data about it.",
    ),
    (
        "principles",
        charts.heatmap,
        "For each principle of the framework, how many assessments reached each level of alignment with it.",
    ),
    (
        "participation",
        partial(charts.bar_chart, column="highest"),
        "How far up the participation ladder each assessment went: the highest level of "
        "involvement in its participation log.",
    ),
    (
        "decisions",
        partial(charts.bar_chart, column="assessments"),
        "What each assessment decided to do about the activity.",
    ),
)


def has_a_role(user) -> bool:
    """Every role reads the dashboard and the exports; what an export or a list holds is what
    ``Assessment.objects.visible_to`` lets the user read."""
    return bool(user_roles(user))


def reviewed_assessments(filterset: SignedOffFilter):
    """The assessments whose outcome reviews a filtered dashboard counts: those the filter
    matches among every signed-off version, earlier versions' reviews too, as unfiltered."""
    return filterset.filter_queryset(Assessment.objects.filter(status__in=Assessment.FROZEN_STATUSES))


@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    if not has_a_role(request.user):
        raise PermissionDenied
    items = {**framework_items_of_both(), "places": known_place_groups()}
    filterset = SignedOffFilter(request.GET or None, queryset=latest_signed_off(), **items)
    assessments = filterset.qs  # validates the filters; a wrong one is shown and left out
    filtered = filterset.is_bound and any(filterset.form.cleaned_data.values())
    figures = portfolio_dashboard(
        assessments=assessments,
        readable=Assessment.objects.visible_to(request.user),
        today=timezone.localdate(),
        counts=None if filtered else kept_counts(),
        **items,
    )
    panels = []
    for name, draw, description in PANELS:
        tally = getattr(figures, name)
        chart = draw(tally, chart_id=f"chart-{tally.slug}", described_by=f"about-{tally.slug}")
        panels.append({"tally": tally, "chart": chart, "description": description})
    place = filterset.form.cleaned_data.get("place") if filtered else ""
    return render(
        request,
        "reporting/insight/dashboard.html",
        {
            "filter": filterset,
            "filtered": filtered,
            "figures": figures,
            "panels": panels,
            "outcomes": predictions_against_outcomes(reviewed_assessments(filterset) if filtered else None),
            "place_map": charts.map_svg(figures.places, chart_id="chart-places", described_by="about-places"),
            "export_query": urlencode({"place": place}) if place else "",
        },
    )


@require_safe
def export_list(request: HttpRequest) -> HttpResponse:
    if not has_a_role(request.user):
        raise PermissionDenied
    roles = user_roles(request.user)
    visible = Assessment.objects.visible_to(request.user)
    filterset = ExportFilter(request.GET or None, queryset=visible)
    query = QueryDict(mutable=True)
    if filterset.is_valid() and filterset.form.cleaned_data.get("place"):
        query["place"] = filterset.form.cleaned_data["place"]
    error = ""
    if "reference" in request.GET:
        reference = request.GET["reference"].strip()
        found = None
        if "\x00" not in reference:  # no reference holds one, and PostgreSQL refuses it in a query
            found = visible.filter(reference__iexact=reference).values_list("reference", flat=True).first()
        if found:
            return redirect("reporting:export_assessment", reference=found)
        error = UNKNOWN_REFERENCE_MESSAGE if reference else ENTER_REFERENCE_MESSAGE
    return render(
        request,
        "reporting/insight/exports.html",
        {
            "datasets": exports.DATASETS.values(),
            "assessment_count": filterset.qs.count(),
            "filter": filterset,
            "filtered": bool(query),
            "query": query.urlencode(),
            "signed_off_only": not roles & {Role.STAFF, Role.APPROVER},
            "reference": request.GET.get("reference", ""),
            "error": error,
        },
    )


@require_safe
def export_table(request: HttpRequest, dataset: str, file_format: str) -> HttpResponse:
    if not has_a_role(request.user):
        raise PermissionDenied
    if dataset not in exports.DATASETS:
        raise Http404
    filterset = ExportFilter(request.GET or None, queryset=Assessment.objects.visible_to(request.user))
    if filterset.is_bound and not filterset.is_valid():
        # The exports page says what is wrong; a download never silently ignores a filter.
        return redirect(f"{reverse('reporting:exports')}?{request.GET.urlencode()}")
    table = exports.DATASETS[dataset].build(filterset.qs)
    filename = f"thrive-edi-{dataset}-{timezone.localdate():%Y-%m-%d}.{file_format}"
    if file_format == "csv":
        return exports.csv_response(table, filename)
    return exports.xlsx_response(table, filename)


@require_safe
def export_assessment(request: HttpRequest, reference: str) -> HttpResponse:
    if not has_a_role(request.user):
        raise PermissionDenied
    queryset = Assessment.objects.select_related("snapshot", "owner", "previous")
    assessment = get_assessment_for_user(request.user, reference, queryset=queryset)
    return exports.json_response(assessment)
