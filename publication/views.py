"""The public register: open without signing in, served from the cache, readable without JavaScript."""

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.core import get_usage

from outcomes.selectors import public_outcomes
from pledges.selectors import published_reports
from publication import forms, pdf, pictograms, selectors, services
from publication.caching import cached_for_anonymous
from publication.models import Publication
from reporting.models import RenderedPdf
from thrive_edi.audit import log_security_event
from thrive_edi.throttling import address_key, configured_rate

PAGE_SIZE = 20
RATE_GROUP = "community_feedback"


def _filters(request: HttpRequest) -> selectors.RegisterFilters:
    get = request.GET
    year = get.get("year", "")
    return selectors.RegisterFilters(
        q=get.get("q", "").strip()[:200],
        activity_type=get.get("activity_type", "")[:40],
        year=int(year) if year.isdigit() and len(year) == 4 else None,
        group=get.get("group", "")[:60],
        decision=get.get("decision", "")[:60],
    )


@login_not_required
@require_GET
@cached_for_anonymous
def register(request: HttpRequest) -> HttpResponse:
    filters = _filters(request)
    entries = selectors.register_entries(filters)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "publication/register.html",
        {
            "page": page,
            "filters": filters,
            "filtered": any(vars(filters).values()),
            "choices": selectors.filter_choices(),
            "not_published": selectors.not_published() if not any(vars(filters).values()) else [],
            "pledge_reports": list(published_reports()),
            "query": query.urlencode(),
        },
    )


def _entry_context(publication: Publication) -> dict:
    assessment = publication.assessment
    return {
        "publication": publication,
        "assessment": assessment,
        "summary": getattr(assessment, "public_summary", None),
        "justification": selectors.no_assessment_justification(assessment),
        "current": selectors.current_version(assessment),
        "decision_label": selectors.decision_label(assessment),
    }


@login_not_required
@require_GET
@cached_for_anonymous
def summary(request: HttpRequest, reference: str) -> HttpResponse:
    publication = selectors.publication_for_public(reference)
    context = _entry_context(publication)
    if not publication.is_withdrawn:
        context |= {
            "actions": selectors.public_actions(publication.assessment),
            "feedback": selectors.shown_feedback(publication.assessment),
            "groups": selectors.groups_found(publication.assessment),
            "outcomes": public_outcomes(publication.assessment),
        }
    return render(request, "publication/summary.html", context)


@login_not_required
@require_GET
@cached_for_anonymous
def easy_read(request: HttpRequest, reference: str) -> HttpResponse:
    publication = selectors.publication_for_public(reference)
    if publication.is_withdrawn:
        raise Http404("Withdrawn from the register.")
    _with_easy_read(publication)
    context = _entry_context(publication)
    context["points"] = pdf.easy_read_points(context["summary"], inline=False)
    context["attribution"] = pictograms
    return render(request, "publication/easy_read.html", context)


def _with_easy_read(publication: Publication) -> None:
    """A "no assessment needed" decision has no public summary, so no Easy Read version of one."""
    if publication.assessment.needs_no_assessment:
        raise Http404("No Easy Read version: no assessment was needed.")


def _published(reference: str) -> Publication:
    publication = selectors.publication_for_public(reference)
    if publication.is_withdrawn:
        raise Http404("Withdrawn from the register.")
    return publication


def _pdf_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_not_required
@require_GET
@cached_for_anonymous
def summary_pdf(request: HttpRequest, reference: str) -> HttpResponse:
    publication = _published(reference)
    data = pdf.render_summary_pdf(
        **_entry_context(publication), actions=selectors.public_actions(publication.assessment)
    )
    return _pdf_response(data, f"{reference}-summary.pdf")


@login_not_required
@require_GET
@cached_for_anonymous
def easy_read_pdf(request: HttpRequest, reference: str) -> HttpResponse:
    publication = _published(reference)
    _with_easy_read(publication)
    data = pdf.render_easy_read_pdf(**_entry_context(publication))
    return _pdf_response(data, f"{reference}-easy-read.pdf")


@login_not_required
@require_GET
def full_pdf(request: HttpRequest, reference: str) -> HttpResponse:
    """The signed-off assessment's own PDF, where the approver decided to publish it."""
    publication = _published(reference)
    rendered = getattr(getattr(publication.assessment, "snapshot", None), "pdf", None)
    if not publication.includes_full_pdf or rendered is None or rendered.status != RenderedPdf.Status.READY:
        raise Http404("The full assessment is not published.")
    return FileResponse(
        rendered.file.open("rb"),
        as_attachment=True,
        filename=rendered.download_name,
        content_type="application/pdf",
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def feedback(request: HttpRequest, reference: str) -> HttpResponse:
    """The feedback form: a honeypot, a time check and a rate limit, each refusal keeping what was typed."""
    publication = _published(reference)
    if publication.assessment.status != publication.assessment.Status.SIGNED_OFF:
        raise Http404("Feedback is taken on the current version only.")
    if request.method == "GET":
        form = forms.FeedbackForm(initial={forms.STARTED_FIELD: forms.started_token()})
        return _feedback_page(request, publication, form)
    form = forms.FeedbackForm(request.POST)
    refusal = _refusal(request, form)
    if refusal is None and form.is_valid():
        with transaction.atomic():
            services.feedback_add(
                assessment=publication.assessment,
                text=form.cleaned_data["text"],
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
            )
        return redirect(reverse("publication:feedback_sent", args=[reference]))
    if refusal is not None:
        form.is_valid()
        form.add_error(None, refusal)
    form.restart()
    return _feedback_page(
        request, publication, form, status=429 if refusal == forms.RATE_LIMITED_MESSAGE else 400
    )


def _refusal(request: HttpRequest, form: forms.FeedbackForm):
    if request.POST.get(forms.HONEYPOT_FIELD, ""):
        log_security_event("feedback_refused", request=request, reason="honeypot")
        return forms.HONEYPOT_MESSAGE
    seconds = forms.seconds_since_started(request.POST.get(forms.STARTED_FIELD, ""))
    if seconds is None or seconds < forms.FEEDBACK_MIN_SECONDS:
        log_security_event("feedback_refused", request=request, reason="too quick")
        return forms.TOO_QUICK_MESSAGE
    usage = get_usage(request, group=RATE_GROUP, key=address_key, rate=configured_rate, increment=True)
    if usage is not None and usage["should_limit"]:
        log_security_event("rate_limited", request=request, limit=RATE_GROUP)
        return forms.RATE_LIMITED_MESSAGE
    return None


def _feedback_page(request, publication: Publication, form, status: int = 200) -> HttpResponse:
    return render(
        request,
        "publication/feedback.html",
        {**_entry_context(publication), "form": form, "honeypot": form[forms.HONEYPOT_FIELD]},
        status=status,
    )


@login_not_required
@require_GET
def feedback_sent(request: HttpRequest, reference: str) -> HttpResponse:
    publication = _published(reference)
    return render(request, "publication/feedback_sent.html", _entry_context(publication))
