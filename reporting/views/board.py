from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from assessments import search
from assessments.models import Assessment
from assessments.permissions import get_assessment_for_user
from outcomes.selectors import review_for_user, signed_off_outcomes
from outcomes.services import OutcomeFingerprintMismatch, outcome_review_checked
from reporting import pdf, services
from reporting.filters import PortalFilter, signed_off_assessments
from reporting.forms import BoardPackForm, FeedbackForm, FeedbackResponseForm, VerifyForm
from reporting.models import BoardFeedback, BoardPack, RenderedPdf
from reporting.permissions import is_board_member, may_respond_to_feedback, may_use_portal
from reporting.verification import verify_fingerprint, verify_upload
from thrive_edi.throttling import address_key, person_key, rate_limit

PAGE_SIZE = 25
PDF_WAIT_SECONDS = 5
PDF_NOT_MADE_MESSAGE = services.PDF_NOT_MADE_MESSAGE


def _portal_user(request: HttpRequest) -> None:
    if not may_use_portal(request.user):
        raise PermissionDenied


@require_http_methods(["GET"])
def portal(request: HttpRequest) -> HttpResponse:
    _portal_user(request)
    return _portal_page(request, BoardPackForm())


def _portal_page(request: HttpRequest, pack_form: BoardPackForm, status: int = 200) -> HttpResponse:
    queryset = (
        signed_off_assessments().select_related("owner", "snapshot__pdf").order_by("-signed_off_at", "-pk")
    )
    filterset = PortalFilter(request.GET, queryset=queryset)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    search.add_excerpts(page.object_list, search.searched_for(filterset))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reporting/portal.html",
        {
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
            "pack_form": pack_form,
            "pdf_not_made_message": PDF_NOT_MADE_MESSAGE,
        },
        status=status,
    )


@require_http_methods(["GET"])
def pack_list(request: HttpRequest) -> HttpResponse:
    _portal_user(request)
    packs = BoardPack.objects.select_related("created_by").prefetch_related("assessments")
    return render(request, "reporting/packs.html", {"packs": packs})


@require_POST
@rate_limit("board_pack", key=person_key)
def pack_create(request: HttpRequest) -> HttpResponse:
    _portal_user(request)
    form = BoardPackForm(request.POST)
    if form.is_valid():
        try:
            pack = services.board_pack_create(
                user=request.user,
                title=form.cleaned_data["title"],
                meeting_date=form.cleaned_data["meeting_date"],
                assessments=form.cleaned_data["assessments"],
            )
        except ValidationError as error:
            messages.info(request, " ".join(error.messages))
            return redirect("reporting:portal")
        messages.success(request, f"The board pack “{pack.title}” is being made.")
        return redirect("reporting:packs")
    # Shown again with each message beside its field and what was typed kept.
    return _portal_page(request, form)


@require_http_methods(["GET"])
def pack_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    _portal_user(request)
    pack = get_object_or_404(BoardPack, pk=pk)
    if pack.status != BoardPack.Status.READY:
        return render(
            request,
            "reporting/pdf_wait.html",
            {"what": pack, "failed": pack.status == "failed", "wait": PDF_WAIT_SECONDS},
            status=202,
        )
    return _serve(pack.file, pack.download_name)


def _serve(stored_file, name: str) -> FileResponse:
    # Not cached: PrivateResponsesNotCachedMiddleware marks it no-store, as every signed-in response.
    return FileResponse(
        stored_file.open("rb"), as_attachment=True, filename=name, content_type="application/pdf"
    )


@require_http_methods(["GET"])
def assessment_pdf(request: HttpRequest, reference: str) -> HttpResponse:
    assessment = get_assessment_for_user(
        request.user, reference, Assessment.objects.select_related("snapshot__pdf")
    )
    snapshot = getattr(assessment, "snapshot", None)
    if snapshot is None:
        raise Http404("Only signed-off assessments have a PDF.")
    rendered = services.pdf_request(snapshot=snapshot)
    rendered.refresh_from_db()  # the immediate task backend may have rendered it just now
    if rendered.status == RenderedPdf.Status.READY:
        return _serve(rendered.file, rendered.download_name)
    if rendered.status == RenderedPdf.Status.REFUSED:
        return render(request, "reporting/pdf_wait.html", {"what": assessment, "altered": True}, status=409)
    if rendered.could_not_be_made:
        return render(
            request,
            "reporting/pdf_wait.html",
            {"what": assessment, "failed": True, "pdf_not_made_message": PDF_NOT_MADE_MESSAGE},
            status=503,
        )
    return render(
        request, "reporting/pdf_wait.html", {"what": assessment, "wait": PDF_WAIT_SECONDS}, status=202
    )


@require_http_methods(["GET"])
def outcome_review_pdf(request: HttpRequest, reference: str) -> HttpResponse:
    """A signed-off outcome review as a tagged PDF, for whoever may read it (as they may read the
    assessment). Made from the review's own signed document, once its fingerprint is checked."""
    review = review_for_user(request.user, reference)
    if not review.is_signed_off:
        raise Http404("Only a signed-off outcome review has a PDF.")
    try:
        outcome_review_checked(review)
    except OutcomeFingerprintMismatch:
        context = {"what": f"the outcome review of {reference}", "altered": True}
        return render(request, "reporting/pdf_wait.html", context, status=409)
    response = HttpResponse(
        pdf.render_outcome_review_pdf(review.document, review.sha256), content_type="application/pdf"
    )
    name = f"{reference}-v{review.assessment.version_number}-outcome-review.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_http_methods(["GET"])
def board_assessment(request: HttpRequest, reference: str) -> HttpResponse:
    assessment = get_assessment_for_user(
        request.user,
        reference,
        Assessment.objects.filter(status__in=Assessment.FROZEN_STATUSES)
        .select_related("owner", "snapshot__pdf", "signed_off_by")
        .prefetch_related("collaborators"),
    )
    feedback = BoardFeedback.objects.filter(assessment=assessment).select_related("author", "responded_by")
    return render(
        request,
        "reporting/board_assessment.html",
        {
            "assessment": assessment,
            "feedback": feedback,
            "feedback_form": FeedbackForm() if is_board_member(request.user) else None,
            "may_respond": may_respond_to_feedback(request.user, assessment),
            **signed_off_outcomes(assessment),
            "pdf_not_made_message": PDF_NOT_MADE_MESSAGE,
        },
    )


@require_POST
def feedback_add(request: HttpRequest, reference: str) -> HttpResponse:
    assessment = get_assessment_for_user(request.user, reference)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        messages.info(request, "The feedback was not saved: write it in the box, up to 5,000 characters.")
    else:
        services.feedback_add(assessment=assessment, user=request.user, **form.cleaned_data)
        messages.success(request, "The board's feedback has been recorded.")
    return redirect("reporting:board_assessment", reference=reference)


@require_POST
def feedback_respond(request: HttpRequest, pk: int) -> HttpResponse:
    feedback = get_object_or_404(BoardFeedback.objects.select_related("assessment"), pk=pk)
    get_assessment_for_user(request.user, feedback.assessment.reference)
    form = FeedbackResponseForm(request.POST)
    if form.is_valid():
        services.feedback_respond(
            feedback=feedback, user=request.user, response=form.cleaned_data["response"]
        )
        messages.success(request, "Your response has been recorded.")
    else:
        messages.info(request, "The response was not saved: write it in the box, up to 5,000 characters.")
    return redirect("reporting:board_assessment", reference=feedback.assessment.reference)


@login_not_required
@require_http_methods(["GET", "POST"])
@rate_limit("verify", key=address_key)
def verify(request: HttpRequest) -> HttpResponse:
    result, status = None, 200
    if request.method == "GET":
        form = VerifyForm()
    elif VerifyForm.request_too_big(request):
        # Refused before the body is read: nothing this large is one of our PDFs.
        form = VerifyForm()
        form.add_too_big_error()
        status = 413
    else:
        form = VerifyForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data.get("document")
            result = verify_upload(upload) if upload else verify_fingerprint(form.cleaned_data["fingerprint"])
    return render(request, "reporting/verify.html", {"form": form, "result": result}, status=status)
