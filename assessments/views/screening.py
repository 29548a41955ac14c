"""The screening's pages: answering it (the owner and collaborators) and confirming or returning
its decision (an approver)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from assessments import lifecycle
from assessments import screening as services
from assessments.forms.screening import ConfirmScreeningForm, ReturnScreeningForm, ScreeningForm
from assessments.models import Assessment, AssessmentEvent, Screening
from assessments.permissions import Act, ensure, get_assessment_for_user
from assessments.refusals import links_back
from assessments.screening_summary import screening_answers
from assessments.selectors import version_characteristics
from thrive_edi.forms import field_anchor

SAVED_MESSAGE = "Your screening has been saved. You can come back to it at any time."
SENT_MESSAGE = "The screening has been sent to an approver to confirm its decision."
CONFIRMED_MESSAGE = "The screening's decision is confirmed."
SIGNED_OFF_MESSAGE = "No assessment is needed: the screening has been signed off."
RETURNED_MESSAGE = "The screening has been returned to its owner and collaborators."


def _screened(request: HttpRequest, reference: str, act: Act) -> Assessment:
    assessment = get_assessment_for_user(
        request.user, reference, Assessment.objects.select_related("framework_version", "screening")
    )
    ensure(act, request.user, assessment)
    return assessment


@require_http_methods(["GET", "POST"])
@links_back
def screening_edit(request: HttpRequest, reference: str) -> HttpResponse:
    assessment = _screened(request, reference, Act.SCREEN)
    screening = assessment.screening
    characteristics = version_characteristics(assessment.framework_version_id)
    if request.method == "GET":
        form = ScreeningForm(initial=ScreeningForm.initial_from(screening), characteristics=characteristics)
        return _page(request, assessment, form)
    form = ScreeningForm(request.POST, characteristics=characteristics)
    if not form.is_valid():
        errors = [
            (field_anchor(form[name]), message) for name in form.errors for message in form.errors[name]
        ]
        return _page(request, assessment, form, errors)
    services.screening_save(assessment=assessment, user=request.user, **form.cleaned_data)
    if request.POST.get("intent") != "send":
        messages.success(request, SAVED_MESSAGE)
        return redirect("assessments:detail", reference=reference)
    try:
        services.screening_send(assessment=assessment, user=request.user)
    except ValidationError:
        missing = services.screening_failures(Screening.objects.get(assessment=assessment))
        for name, message in missing:
            form.add_error(name, message)
        return _page(request, assessment, form, [(field_anchor(form[n]), m) for n, m in missing])
    messages.success(request, SENT_MESSAGE)
    return redirect("assessments:detail", reference=reference)


def _page(request, assessment, form, errors=()) -> HttpResponse:
    return render(
        request, "assessments/screening.html", {"assessment": assessment, "form": form, "errors": errors}
    )


@require_http_methods(["GET", "POST"])
@links_back
def screening_confirm(request: HttpRequest, reference: str) -> HttpResponse:
    assessment = _screened(request, reference, Act.CONFIRM_SCREENING)
    signs_off = assessment.needs_no_assessment
    posted = request.POST if request.method == "POST" else None
    returning = posted is not None and posted.get("intent") == "return"
    confirming = None if returning else posted
    confirm_form = ConfirmScreeningForm(confirming, signs_off=signs_off)
    return_form = ReturnScreeningForm(posted if returning else None)
    # Signing off "no assessment needed" asks what the sign-off page asks (publication, ...).
    decisions = (
        lifecycle.sign_off_forms(assessment=assessment, user=request.user, data=confirming)
        if signs_off
        else []
    )
    if returning and return_form.is_valid():
        services.screening_return(
            assessment=assessment, user=request.user, reason=return_form.cleaned_data["reason"]
        )
        messages.success(request, RETURNED_MESSAGE)
        return redirect("assessments:detail", reference=reference)
    if confirming is not None and all([confirm_form.is_valid(), *(d.is_valid() for d in decisions)]):
        try:
            services.screening_confirm(
                assessment=assessment,
                user=request.user,
                declaration=confirm_form.cleaned_data.get("declaration", False),
                decisions=decisions,
            )
        except ValidationError as error:
            confirm_form.add_error(None, error)
        else:
            messages.success(request, SIGNED_OFF_MESSAGE if signs_off else CONFIRMED_MESSAGE)
            return redirect("assessments:detail", reference=reference)
    sent = assessment.events.filter(kind=AssessmentEvent.Kind.SCREENING_SENT).select_related("actor").last()
    return render(
        request,
        "assessments/screening_confirm.html",
        {
            "assessment": assessment,
            "answers": screening_answers(assessment.screening),
            "confirm_form": confirm_form,
            "return_form": return_form,
            "decisions": decisions,
            "has_errors": bool(confirm_form.errors or return_form.errors)
            or any(decision.errors for decision in decisions),
            "signs_off": signs_off,
            "sent": sent,
        },
    )
