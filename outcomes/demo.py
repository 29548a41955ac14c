"""Demo outcome reviews: one signed off, one due and waiting for the demo staff member."""

from django.db import transaction
from django.utils import timezone

from outcomes import services
from outcomes.models import Done, OutcomeReview, Result, Worked


def _answers(review: OutcomeReview) -> dict:
    data = {
        "challenges": "Two venues closed over the winter, and evening sessions were hard to staff.",
        "sustainability": "The borough partnership funds the groups for two more years.",
        "voices": "Participants asked for more sessions in community languages.",
    }
    for row in review.impacts.all():
        data[f"impact_{row.pk}_result"] = Result.AS_EXPECTED
        data[f"impact_{row.pk}_evidence"] = "Attendance and feedback forms, split by group."
    for row in review.actions.all():
        data[f"action_{row.pk}_done"] = Done.YES
        data[f"action_{row.pk}_worked"] = Worked.PARTLY
    return data


@transaction.atomic
def load_demo_content(users: dict) -> None:
    owner, approver = users.get("staff"), users.get("approver")
    if owner is None or approver is None or OutcomeReview.objects.exclude(status="not_started").exists():
        return
    reviews = list(
        OutcomeReview.objects.filter(assessment__status="signed_off", assessment__owner=owner)
        .select_related("assessment")
        .order_by("pk")[:2]
    )
    OutcomeReview.objects.filter(pk__in=[r.pk for r in reviews]).update(due_on=timezone.localdate())
    if reviews:
        review = OutcomeReview.objects.select_related("assessment").get(pk=reviews[0].pk)
        review = services.outcome_review_save(
            review=review, user=owner, revision=review.revision, data=_answers(review), submit=True
        ).review
        services.outcome_review_sign_off(review=review, user=approver, declaration=True)
