"""The step that ends a reviewer's round of comments."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from assessments import rounds
from assessments.permissions import Act, ensure, get_assessment_for_user
from assessments.refusals import links_back


@require_POST
@links_back
def comments_send(request: HttpRequest, reference: str) -> HttpResponse:
    assessment = get_assessment_for_user(request.user, reference)
    ensure(Act.REVIEW, request.user, assessment)
    try:
        rounds.review_comments_send(assessment=assessment, user=request.user)
    except ValidationError as error:
        messages.info(request, " ".join(error.messages))
    else:
        messages.success(request, rounds.COMMENTS_SENT_MESSAGE)
    return redirect("assessments:review", reference=reference)
