"""Pages of an outcome review: the owner writes it, an approver signs it off or returns it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from assessments.refusals import links_back, refusal
from outcomes import services
from outcomes.forms import OutcomeReviewForm, return_form, sign_off_form
from outcomes.permissions import OutcomeAct, ensure, flags_for, may
from outcomes.selectors import review_for_user, review_rows
from thrive_edi.refusals import TypedAnswer

SAVED_MESSAGE = "Your outcome review has been saved."
SUBMITTED_MESSAGE = "The outcome review has been sent to an approver for sign-off."
NOT_COMPLETE_MESSAGE = "Your answers have been saved. Before the review can be sent for sign-off:"
SIGNED_OFF_MESSAGE = "The outcome review has been signed off."
RETURNED_MESSAGE = "The outcome review has been returned to the owner for changes."


@require_http_methods(["GET", "POST"])
@links_back
def review(request: HttpRequest, reference: str) -> HttpResponse:
    review = review_for_user(request.user, reference)
    if not may(OutcomeAct.WRITE, request.user, review):
        if request.method == "POST":
            ensure(OutcomeAct.WRITE, request.user, review)
        return _read(request, review)
    impacts, actions = review_rows(review)
    if request.method == "GET":
        form = OutcomeReviewForm(initial={"revision": review.revision}, impacts=impacts, actions=actions)
        return _form_page(request, review, form)
    form = OutcomeReviewForm(request.POST, impacts=impacts, actions=actions)
    if not form.is_valid():
        return _form_page(request, review, form, status=400)
    submit = request.POST.get("intent") == "submit"
    try:
        result = services.outcome_review_save(
            review=review,
            user=request.user,
            revision=form.cleaned_data["revision"],
            data=form.cleaned_data,
            submit=submit,
        )
    except services.ReviewConflict:
        review.refresh_from_db()
        form.data = form.data.copy()
        form.data["revision"] = str(review.revision)  # saving again keeps what is typed now
        form.add_error(None, services.CONFLICT_MESSAGE)
        return _form_page(request, review, form, status=409)
    except PermissionDenied as error:
        typed = [
            TypedAnswer(str(form.fields[name].label), value)
            for name, value in form.cleaned_data.items()
            if isinstance(value, str) and value.strip() and name in form.fields
        ]
        raise refusal(str(error), reference, typed=typed) from error
    if result.missing:
        for name, message in result.missing.items():
            form.add_error(name, message)
        form.data = form.data.copy()
        form.data["revision"] = str(result.review.revision)
        messages.info(request, NOT_COMPLETE_MESSAGE)
        return _form_page(request, result.review, form, status=200)
    messages.success(request, SUBMITTED_MESSAGE if result.submitted else SAVED_MESSAGE)
    if result.submitted:
        return redirect("assessments:detail", reference=reference)
    return redirect("outcomes:review", reference=reference)


def _form_page(request, review, form, status=200) -> HttpResponse:
    return render(
        request,
        "outcomes/review_form.html",
        {"assessment": review.assessment, "review": review, "form": form},
        status=status,
    )


def _read(request, review, status=200) -> HttpResponse:
    impacts, actions = review_rows(review)
    return render(
        request,
        "outcomes/review_read.html",
        {
            "assessment": review.assessment,
            "review": review,
            "impacts": impacts,
            "actions": actions,
            "flags": flags_for(request.user, review),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@links_back
def sign_off(request: HttpRequest, reference: str) -> HttpResponse:
    review = review_for_user(request.user, reference)
    ensure(OutcomeAct.SIGN_OFF, request.user, review)
    form = sign_off_form(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.outcome_review_sign_off(review=review, user=request.user, declaration=True, request=request)
        messages.success(request, SIGNED_OFF_MESSAGE)
        return redirect("assessments:detail", reference=reference)
    impacts, actions = review_rows(review)
    return render(
        request,
        "outcomes/sign_off.html",
        {
            "assessment": review.assessment,
            "review": review,
            "impacts": impacts,
            "actions": actions,
            "form": form,
            "return_form": return_form(),
        },
        status=400 if form.is_bound else 200,
    )


@require_POST
@links_back
def return_for_changes(request: HttpRequest, reference: str) -> HttpResponse:
    review = review_for_user(request.user, reference)
    ensure(OutcomeAct.SIGN_OFF, request.user, review)
    form = return_form(request.POST)
    if form.is_valid():
        try:
            services.outcome_review_return(
                review=review, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error("reason", error)
        else:
            messages.success(request, RETURNED_MESSAGE)
            return redirect("assessments:detail", reference=reference)
    impacts, actions = review_rows(review)
    return render(
        request,
        "outcomes/sign_off.html",
        {
            "assessment": review.assessment,
            "review": review,
            "impacts": impacts,
            "actions": actions,
            "form": sign_off_form(),
            "return_form": form,
        },
        status=400,
    )
