import logging
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from assessments.forms import DeclarationForm
from assessments.models import Action
from assessments.permissions import get_assessment_for_user
from pledges import permissions, services
from pledges.forms import (
    DECLARATION_MESSAGE,
    PUBLISH_DECLARATION,
    PUBLISH_MESSAGE,
    SIGN_OFF_DECLARATION,
    CommitmentsForm,
    NarrativeForm,
    PeriodForm,
)
from pledges.models import Pledge, ReportNarrative
from pledges.periods import FinancialYear
from pledges.permissions import Refused
from pledges.presentation import (
    FingerprintMismatch,
    chart_panels,
    render_report_pdf,
    report_context,
    report_document,
)
from pledges.selectors import commitment_links_of, linkable_commitments, published_reports, report_for

logger = logging.getLogger(__name__)

FIRST_YEAR = 2020
SAVED_MESSAGE = "Saved the narrative."
LINKED_MESSAGE = "Saved the commitments this work serves."
SIGNED_MESSAGE = "Signed off the Pledge progress report {label}."
PUBLISHED_MESSAGE = "Published the Pledge progress report {label} on the public register."


def _period(year: int) -> FinancialYear:
    if not FIRST_YEAR <= year <= FinancialYear.current().year + 1:
        raise Http404("No report for that year.")
    return FinancialYear(year)


class IntegrityFailure(Exception):
    """The signed report no longer matches its fingerprint: shown as such, never as a server error."""


def _document(period: FinancialYear, report) -> tuple[dict, str]:
    try:
        return report_document(period, report)
    except FingerprintMismatch as error:
        logger.error("Pledge progress report refused: %s", error, extra={"year": period.year})
        raise IntegrityFailure from error


def integrity_guarded(view):
    @wraps(view)
    def guarded(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except IntegrityFailure:
            return render(request, "pledges/integrity.html", status=409)

    return guarded


def _posted(request: HttpRequest):
    """The posted data, or None for a GET: an empty form posted (nothing ticked) is still bound."""
    return request.POST if request.method == "POST" else None


def _reader(request: HttpRequest) -> None:
    permissions.ensure("" if permissions.may_read_reports(request.user) else permissions.Refused.NOT_A_READER)


def _years() -> list[int]:
    return list(range(FinancialYear.current().year + 1, FIRST_YEAR - 1, -1))


@require_http_methods(["GET"])
def report_index(request: HttpRequest) -> HttpResponse:
    _reader(request)
    form = PeriodForm(request.GET or None, years=_years())
    year = form.cleaned_data["year"] if form.is_valid() else FinancialYear.current().year
    return redirect("pledges:report", year)


@integrity_guarded
@require_http_methods(["GET"])
def report(request: HttpRequest, year: int) -> HttpResponse:
    _reader(request)
    period = _period(year)
    report = report_for(period)
    document, sha256 = _document(period, report)
    user = request.user
    sign_off_refusal = permissions.sign_off_refusal(user, report)
    context = report_context(document, sha256) | {
        "report": report,
        "period": period,
        "panels": chart_panels(document),
        "period_form": PeriodForm(initial={"year": year}, years=_years()),
        "may_write": not permissions.narrative_refusal(user, report),
        "may_sign_off": not sign_off_refusal,
        # An approver is told why the report is not theirs to sign off.
        "sign_off_refused": sign_off_refusal if sign_off_refusal == Refused.WROTE_NARRATIVE else "",
        "may_publish": not permissions.publish_refusal(user, report),
    }
    return render(request, "pledges/report.html", context)


@integrity_guarded
@require_http_methods(["GET"])
def report_pdf(request: HttpRequest, year: int) -> HttpResponse:
    _reader(request)
    period = _period(year)
    document, sha256 = _document(period, report_for(period))
    return _pdf_response(render_report_pdf(document, sha256), period)


def _pdf_response(data: bytes, period: FinancialYear) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    name = f"pledge-progress-report-{period.year}-{(period.year + 1) % 100:02d}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@integrity_guarded
@require_http_methods(["GET", "POST"])
def narrative_edit(request: HttpRequest, year: int, pledge_id: int, number: int, part: str) -> HttpResponse:
    _reader(request)
    period = _period(year)
    if part not in ReportNarrative.Part.values:
        raise Http404("No such part.")
    pledge = get_object_or_404(Pledge, pk=pledge_id)
    report = report_for(period)
    permissions.ensure(permissions.narrative_refusal(request.user, report))
    document, _ = _document(period, report)
    commitment = next(
        (
            c
            for p in document["pledges"]
            if p["id"] == pledge.pk
            for c in p["commitments"]
            if c["number"] == number
        ),
        None,
    )
    if commitment is None:
        raise Http404("No such commitment in this report.")
    label = f"{ReportNarrative.Part(part).label}: narrative"
    form = NarrativeForm(_posted(request), label=label, initial={"text": commitment["narrative"][part]})
    if request.method == "POST" and form.is_valid():
        services.report_narrative_save(
            period=period,
            user=request.user,
            pledge_id=pledge.pk,
            number=number,
            part=part,
            text=form.cleaned_data["text"],
        )
        messages.success(request, SAVED_MESSAGE)
        return redirect(f"{reverse('pledges:report', args=[year])}#commitment-{commitment['key']}")
    context = {
        "form": form,
        "period": period,
        "pledge": pledge,
        "commitment": commitment,
        "part_label": ReportNarrative.Part(part).label,
    }
    return render(request, "pledges/narrative.html", context, status=400 if form.errors else 200)


def _declared_step(request: HttpRequest, year: int, *, refusal, declaration, required, act, done, template):
    """A step the approver takes on the whole report once they tick its ``declaration``: the
    ``act`` (a service taking the period and the user), refused as ``refusal`` says for the user
    and the report, and reported with ``done``."""
    _reader(request)
    period = _period(year)
    permissions.ensure(refusal(request.user, report_for(period)))
    form = DeclarationForm(_posted(request), label=declaration, message=required)
    if request.method == "POST" and form.is_valid():
        act(period=period, user=request.user)
        messages.success(request, done.format(label=period.label))
        return redirect("pledges:report", year)
    return render(request, template, {"form": form, "period": period}, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def sign_off(request: HttpRequest, year: int) -> HttpResponse:
    return _declared_step(
        request,
        year,
        refusal=permissions.sign_off_refusal,
        declaration=SIGN_OFF_DECLARATION,
        required=DECLARATION_MESSAGE,
        act=services.report_sign_off,
        done=SIGNED_MESSAGE,
        template="pledges/sign_off.html",
    )


@require_http_methods(["GET", "POST"])
def publish(request: HttpRequest, year: int) -> HttpResponse:
    return _declared_step(
        request,
        year,
        refusal=permissions.publish_refusal,
        declaration=PUBLISH_DECLARATION,
        required=PUBLISH_MESSAGE,
        act=services.report_publish,
        done=PUBLISHED_MESSAGE,
        template="pledges/publish.html",
    )


def _published(year: int):
    report = published_reports().filter(year=year).first()
    if report is None:
        raise Http404("No published report for that year.")
    return report


@login_not_required
@integrity_guarded
@require_http_methods(["GET"])
def public_report(request: HttpRequest, year: int) -> HttpResponse:
    report = _published(year)
    period = FinancialYear(report.year)
    document, sha256 = _document(period, report)
    context = report_context(document, sha256) | {
        "report": report,
        "period": period,
        "public": True,
        "panels": chart_panels(document),
    }
    return render(request, "pledges/public_report.html", context)


@login_not_required
@integrity_guarded
@require_http_methods(["GET"])
def public_report_pdf(request: HttpRequest, year: int) -> HttpResponse:
    report = _published(year)
    period = FinancialYear(report.year)
    document, sha256 = _document(period, report)
    return _pdf_response(render_report_pdf(document, sha256, public=True), period)


@require_http_methods(["GET", "POST"])
def assessment_commitments(request: HttpRequest, reference: str) -> HttpResponse:
    assessment = get_assessment_for_user(request.user, reference)
    refusal = permissions.link_refusal(request.user, assessment)
    own, by_action = commitment_links_of(assessment)
    if request.method == "POST" or not refusal:
        permissions.ensure(refusal)
    else:
        return render(
            request, "pledges/commitments_read.html", {"assessment": assessment, "commitments": own}
        )
    actions = list(Action.objects.filter(assessment=assessment).order_by("pk"))
    initial = {"commitments": own} | {f"action-{pk}": values for pk, values in by_action.items()}
    form = CommitmentsForm(
        _posted(request), commitments=linkable_commitments(), actions=actions, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.commitments_link(
                assessment=assessment,
                user=request.user,
                commitments=list(form.cleaned_data["commitments"]),
                actions=form.actions_chosen(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, LINKED_MESSAGE)
            return redirect("assessments:detail", assessment.reference)
    return render(
        request,
        "pledges/commitments.html",
        {"form": form, "assessment": assessment},
        status=400 if form.errors else 200,
    )
