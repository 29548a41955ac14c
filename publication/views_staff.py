"""Pages for staff: write the public summary and its Easy Read version, decide what is
published, withdraw it, and moderate and answer community feedback."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from assessments.permissions import get_assessment_for_user
from publication import easy_read, pictograms, selectors, services
from publication.forms import DecisionForm, EasyReadForm, ModerationForm, SummaryForm, WithdrawForm
from publication.models import PUBLIC_SUMMARY_FIELDS, Feedback, Publication, PublicSummary
from publication.permissions import may_decide_publication, may_moderate, may_write_summary

SUMMARY_SAVED_MESSAGE = "The public summary is saved."
EASY_READ_SAVED_MESSAGE = "The Easy Read version is saved."
DECIDED_MESSAGE = "The decision is recorded."
WITHDRAWN_MESSAGE = "It is withdrawn from the public register."
MODERATED_MESSAGE = "The feedback is moderated."


def _assessment(request, reference: str, allowed) -> tuple:
    assessment = get_assessment_for_user(request.user, reference)
    if not allowed(request.user, assessment):
        raise PermissionDenied("You cannot do this for this assessment.")
    return assessment, PublicSummary.objects.filter(assessment=assessment).first()


def _back(assessment):
    return redirect("assessments:detail", reference=assessment.reference)


@require_http_methods(["GET", "POST"])
def summary_edit(request: HttpRequest, reference: str) -> HttpResponse:
    assessment, summary = _assessment(request, reference, may_write_summary)
    if request.method == "POST":
        form = SummaryForm(request.POST, instance=summary)
        if form.is_valid():
            services.summary_save(
                assessment=assessment,
                user=request.user,
                values={name: form.cleaned_data[name] for name in PUBLIC_SUMMARY_FIELDS},
            )
            messages.success(request, SUMMARY_SAVED_MESSAGE)
            return _back(assessment)
    else:
        earlier = (
            PublicSummary.objects.filter(assessment=assessment.previous_id).first()
            if summary is None
            else None
        )
        form = SummaryForm(
            instance=summary,
            initial={n: getattr(earlier, n) for n in PUBLIC_SUMMARY_FIELDS} if earlier else None,
        )
    return render(request, "publication/summary_edit.html", {"assessment": assessment, "form": form})


@require_http_methods(["GET", "POST"])
def easy_read_edit(request: HttpRequest, reference: str) -> HttpResponse:
    assessment, summary = _assessment(request, reference, may_write_summary)
    if summary is None:
        messages.info(request, "Write the public summary first.")
        return redirect("publication:summary_edit", reference=reference)
    if request.method == "POST":
        form = EasyReadForm(request.POST)
        if request.POST.get("intent") == "save" and form.is_valid():
            services.easy_read_save(assessment=assessment, user=request.user, points=form.points())
            messages.success(request, EASY_READ_SAVED_MESSAGE)
            return _back(assessment)
    else:
        initial = {}
        for number, point in enumerate(summary.easy_read_points.all(), start=1):
            initial |= {f"text_{number}": point.text, f"picture_{number}": point.pictogram}
        form = EasyReadForm(initial=initial)
    return render(
        request,
        "publication/easy_read_edit.html",
        {
            "assessment": assessment,
            "form": form,
            "advice": easy_read.advice(form.text()),
            "longest": easy_read.LONGEST_SENTENCE,
            "pictures": [
                (key, pictograms.alt_text(key), pictograms.static_url(key))
                for key in pictograms.pictogram_keys()
            ],
            "attribution": pictograms,
        },
    )


@require_http_methods(["GET", "POST"])
def decide(request: HttpRequest, reference: str) -> HttpResponse:
    assessment, summary = _assessment(request, reference, may_decide_publication)
    publication = Publication.objects.filter(assessment=assessment).first()
    justification = selectors.no_assessment_justification(assessment)
    form = DecisionForm(
        request.POST or None,
        initial={"decision": publication.decision} if publication else None,
        justification=justification,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.publication_decide(
                assessment=assessment,
                user=request.user,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            field = (
                "reason"
                if form.cleaned_data["decision"] == Publication.Decision.NOT_PUBLISHED
                else "decision"
            )
            form.add_error(field, error)
        else:
            messages.success(request, DECIDED_MESSAGE)
            return _back(assessment)
    return render(
        request,
        "publication/decide.html",
        {
            "assessment": assessment,
            "summary": summary,
            "justification": justification,
            "publication": publication,
            "form": form,
        },
    )


@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, reference: str) -> HttpResponse:
    assessment, _summary = _assessment(request, reference, may_decide_publication)
    publication = get_object_or_404(Publication.objects.published(), assessment=assessment)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.publication_withdraw(
            publication=publication, user=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(request, WITHDRAWN_MESSAGE)
        return _back(assessment)
    return render(request, "publication/withdraw.html", {"assessment": assessment, "form": form})


@require_http_methods(["GET", "POST"])
def moderate(request: HttpRequest, reference: str) -> HttpResponse:
    assessment, _summary = _assessment(request, reference, may_moderate)
    items = list(Feedback.objects.filter(assessment=assessment).order_by("status", "-created_at"))
    forms = {
        item.pk: ModerationForm(
            request.POST if request.POST.get("feedback") == str(item.pk) else None,
            prefix=f"feedback-{item.pk}",
            initial={"status": item.status, "answer": item.answer},
        )
        for item in items
    }
    if request.method == "POST":
        item = next((i for i in items if str(i.pk) == request.POST.get("feedback")), None)
        if item is not None and forms[item.pk].is_valid():
            services.feedback_moderate(feedback=item, user=request.user, **forms[item.pk].cleaned_data)
            messages.success(request, MODERATED_MESSAGE)
            return redirect("publication:moderate", reference=reference)
    return render(
        request,
        "publication/moderate.html",
        {"assessment": assessment, "items": [(item, forms[item.pk]) for item in items]},
    )
