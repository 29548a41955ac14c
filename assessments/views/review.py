"""Pages of an assessment's life after submission: review, comments, sign-off, withdrawal,
re-assessment and the follow-up of actions."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, Q, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from assessments import lifecycle
from assessments.forms import review as forms
from assessments.models import Action, Assessment, ReviewComment
from assessments.permissions import Act, ensure, get_assessment_for_user, may, refusal_reason
from assessments.refusals import links_back
from assessments.rounds import unsent_comments
from assessments.selectors import assessment_content, comment_replies, review_comments
from assessments.summary import assessment_summary
from frameworks.models import Section
from thrive_edi.people import with_names

SIGNED_OFF_MESSAGE = "The assessment has been signed off."
CHANGES_REQUESTED_MESSAGE = "The owner and collaborators have been asked to make changes."
COMMENT_ADDED_MESSAGE = "Your comment has been added."
REASSESSMENT_STARTED_MESSAGE = (
    "A re-assessment has been started as a new version, with everything carried over that could be."
)


def _for_review(request: HttpRequest, reference: str) -> Assessment:
    assessment = get_assessment_for_user(request.user, reference)
    ensure(Act.REVIEW, request.user, assessment)
    return assessment


def _comments_by_section(assessment: Assessment) -> dict:
    grouped: dict = {}
    comments = with_names(
        ReviewComment.objects.filter(assessment=assessment, parent__isnull=True), "author"
    ).prefetch_related(comment_replies())
    for comment in comments:
        grouped.setdefault(comment.section_id, []).append(comment)
    return grouped


@require_http_methods(["GET"])
@links_back
def review(request: HttpRequest, reference: str) -> HttpResponse:
    assessment = _for_review(request, reference)
    content = assessment_content(assessment)
    comments = _comments_by_section(assessment)
    sections = [(item, comments.get(item.section.pk, [])) for item in assessment_summary(content)]
    return render(
        request,
        "assessments/review.html",
        {
            "assessment": assessment,
            "sections": sections,
            "general_comments": comments.get(None, []),
            "comment_form": forms.CommentForm(),
            "sign_off_refusal": refusal_reason(Act.SIGN_OFF, request.user, assessment),
            "may_answer_comments": may(Act.COMMENT, request.user, assessment),
            "unsent_comments": unsent_comments(assessment, request.user).count(),
        },
    )


@require_POST
@links_back
def comment_add(request: HttpRequest, reference: str) -> HttpResponse:
    assessment = _for_review(request, reference)
    section = None
    section_id = request.POST.get("section", "")
    if section_id:
        if not section_id.isdigit():
            raise Http404("No such section.")
        section = get_object_or_404(Section, pk=section_id, version=assessment.framework_version)
    form = forms.CommentForm(request.POST)
    if form.is_valid():
        lifecycle.comment_add(
            assessment=assessment, user=request.user, text=form.cleaned_data["text"], section=section
        )
        messages.success(request, COMMENT_ADDED_MESSAGE)
    else:
        messages.info(request, "The comment was empty or too long, so it was not added.")
    anchor = f"#review-{section.key}" if section else ""
    return redirect(reverse("assessments:review", args=[assessment.reference]) + anchor)


def _comment_for_user(request: HttpRequest, reference: str, pk: int) -> ReviewComment:
    assessment = get_assessment_for_user(request.user, reference)
    return get_object_or_404(ReviewComment.objects.select_related("assessment"), pk=pk, assessment=assessment)


@require_POST
@links_back
def comment_reply(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    comment = _comment_for_user(request, reference, pk)
    form = forms.CommentForm(request.POST)
    if form.is_valid():
        lifecycle.comment_reply(comment=comment, user=request.user, text=form.cleaned_data["text"])
        messages.success(request, "Your reply has been added.")
    else:
        messages.info(request, "The reply was empty or too long, so it was not added.")
    return redirect(_safe_back(request, reference))


@require_POST
@links_back
def comment_resolve(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    comment = _comment_for_user(request, reference, pk)
    lifecycle.comment_resolve(comment=comment, user=request.user)
    messages.success(request, "The comment has been marked as resolved.")
    return redirect(_safe_back(request, reference))


def _safe_back(request: HttpRequest, reference: str) -> str:
    back = request.POST.get("back", "")
    if back and url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        return back
    return reverse("assessments:detail", args=[reference])


@require_http_methods(["GET", "POST"])
@links_back
def request_changes(request: HttpRequest, reference: str) -> HttpResponse:
    assessment = _for_review(request, reference)
    form = forms.ReasonForm(
        request.POST if request.method == "POST" else None,
        label=forms.CHANGES_LABEL,
        message=lifecycle.REASON_REQUIRED_MESSAGE,
    )
    if request.method == "POST" and form.is_valid():
        lifecycle.assessment_request_changes(
            assessment=assessment, user=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(request, CHANGES_REQUESTED_MESSAGE)
        return redirect("assessments:detail", reference=reference)
    return render(request, "assessments/request_changes.html", {"assessment": assessment, "form": form})


@require_http_methods(["GET", "POST"])
@links_back
def sign_off(request: HttpRequest, reference: str) -> HttpResponse:
    assessment = get_assessment_for_user(request.user, reference)
    ensure(Act.SIGN_OFF, request.user, assessment)
    data = request.POST if request.method == "POST" else None
    form = forms.DeclarationForm(
        data, label=forms.SIGN_OFF_DECLARATION, message=lifecycle.DECLARATION_REQUIRED_MESSAGE
    )
    decisions = lifecycle.sign_off_forms(assessment=assessment, user=request.user, data=data)
    if data is not None and all([form.is_valid(), *(decision.is_valid() for decision in decisions)]):
        try:
            lifecycle.assessment_sign_off(
                assessment=assessment, user=request.user, declaration=True, decisions=decisions
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, SIGNED_OFF_MESSAGE)
            return redirect("assessments:detail", reference=reference)
    content = assessment_content(assessment)
    return render(
        request,
        "assessments/sign_off.html",
        {
            "assessment": assessment,
            "form": form,
            "decisions": decisions,
            "decisions_have_errors": any(decision.errors for decision in decisions),
            "decision": content.answer_value("decision"),
            "decision_label": content.version.label_for("decisions", assessment.decision)
            if assessment.decision
            else "",
            # Replied to or not, a comment stays open until someone marks it resolved.
            "unresolved": review_comments(assessment)
            .filter(parent__isnull=True, resolved_at__isnull=True)
            .select_related("author", "section")
            .prefetch_related(comment_replies()),
        },
    )


@require_http_methods(["GET", "POST"])
@links_back
def withdraw(request: HttpRequest, reference: str) -> HttpResponse:
    assessment = get_assessment_for_user(request.user, reference)
    ensure(Act.WITHDRAW, request.user, assessment)
    form = forms.WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        lifecycle.assessment_withdraw(
            assessment=assessment, user=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(request, "The assessment has been withdrawn.")
        return redirect("assessments:detail", reference=reference)
    return render(request, "assessments/withdraw.html", {"assessment": assessment, "form": form})


@require_POST
@links_back
def reassess(request: HttpRequest, reference: str) -> HttpResponse:
    assessment = get_assessment_for_user(request.user, reference)
    ensure(Act.REASSESS, request.user, assessment)
    new = lifecycle.assessment_reassess(assessment=assessment, user=request.user)
    messages.success(request, REASSESSMENT_STARTED_MESSAGE)
    return redirect("assessments:detail", reference=new.reference)


@require_http_methods(["GET"])
def my_actions(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    actions = (
        Action.objects.filter(owner=request.user, assessment__in=Assessment.objects.visible_to(request.user))
        .exclude(assessment__status=Assessment.Status.WITHDRAWN)
        .select_related("assessment")
        .annotate(
            overdue=Case(
                When(Q(due_date__lt=today) & Q(status__in=["open", "in_progress"]), then=0),
                default=1,
                output_field=IntegerField(),
            )
        )
        .order_by("overdue", "due_date", "pk")
    )
    for action in actions:
        action.may_follow_up = may(Act.FOLLOW_UP, request.user, action)
    return render(request, "assessments/my_actions.html", {"actions": actions, "today": today})


@require_http_methods(["GET", "POST"])
@links_back
def action_follow_up(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    assessment = get_assessment_for_user(request.user, reference)
    action = get_object_or_404(Action, pk=pk, assessment=assessment)
    action.assessment = assessment
    ensure(Act.FOLLOW_UP, request.user, action)
    form = forms.ActionFollowUpForm(
        request.POST if request.method == "POST" else None, instance=Action.objects.get(pk=action.pk)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        lifecycle.action_follow_up(
            action=action,
            user=request.user,
            status=data["status"],
            progress_notes=data["progress_notes"],
            due_date=data["due_date"],
        )
        messages.success(request, "The action has been updated.")
        return redirect("assessments:my_actions")
    return render(
        request,
        "assessments/action_follow_up.html",
        {"assessment": assessment, "action": action, "form": form},
    )
