"""A reviewer's round of comments: written one by one, sent to the team in one email when the
reviewer says they have finished ("Send your comments")."""

from datetime import UTC, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from assessments.models import Assessment, ReviewComment, ReviewRound
from assessments.notifications import assessment_notify, team_of
from assessments.permissions import Act, ensure
from thrive_edi.people import person_name

NO_NEW_COMMENTS_MESSAGE = "You have no new comments to send: add a comment first."
COMMENTS_SENT_MESSAGE = "Your comments have been sent to the owner and collaborators in one email."
_NEVER = datetime(2000, 1, 1, tzinfo=UTC)


def unsent_comments(assessment: Assessment, reviewer) -> QuerySet[ReviewComment]:
    """The reviewer's comments and replies on the assessment since their last round (one query)."""
    last_round = (
        ReviewRound.objects.filter(assessment=OuterRef("assessment"), reviewer=reviewer)
        .order_by("-sent_at")
        .values("sent_at")[:1]
    )
    return ReviewComment.objects.filter(assessment=assessment, author=reviewer).filter(
        created_at__gt=Coalesce(Subquery(last_round), Value(_NEVER))
    )


@transaction.atomic
def review_comments_send(*, assessment: Assessment, user) -> ReviewRound:
    """Tell the team, in one email, every comment the reviewer wrote since their last round."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    ensure(Act.REVIEW, user, assessment)
    comments = list(
        unsent_comments(assessment, user).select_related("section", "parent").order_by("created_at", "pk")
    )
    if not comments:
        raise ValidationError(NO_NEW_COMMENTS_MESSAGE)
    review_round = ReviewRound.objects.create(
        assessment=assessment, reviewer=user, comment_count=len(comments)
    )
    assessment_notify(
        "review_comments",
        assessment=assessment,
        recipients=team_of(assessment),
        reviewer=person_name(user),
        comments=comments,
    )
    return review_round
