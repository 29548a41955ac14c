from datetime import timedelta

from django.utils import timezone

from assessments.models import ImpactRating
from assessments.tests.factories import add_action, fill_assessment, make_assessment
from frameworks.scales import Impact
from outcomes import services
from outcomes.models import OutcomeReview


def predicted_assessment(
    owner, *, title="Peer support in Newham", negative=("age",), positive=("race",), **fields
):
    """A filled-in assessment predicting negative and positive impacts on some groups, with an action."""
    assessment = fill_assessment(make_assessment(owner, title=title, **fields), user=owner)
    ratings = ImpactRating.objects.filter(assessment=assessment)
    ratings.filter(characteristic__key__in=negative).update(
        impact=Impact.NEGATIVE, mitigation="Evening sessions."
    )
    ratings.filter(characteristic__key__in=positive).update(impact=Impact.POSITIVE)
    add_action(
        assessment,
        characteristics=[r.characteristic for r in ratings.filter(characteristic__key__in=negative)],
    )
    return assessment


def make_due(review: OutcomeReview) -> OutcomeReview:
    OutcomeReview.objects.filter(pk=review.pk).update(due_on=timezone.localdate() - timedelta(days=1))
    review.refresh_from_db()
    return review


def complete_data(review: OutcomeReview, result="as_expected") -> dict:
    data = {
        "challenges": "Venues were hard to find.",
        "sustainability": "The borough funds it.",
        "voices": "They liked it.",
    }
    for row in review.impacts.all():
        data[f"impact_{row.pk}_result"] = result
        data[f"impact_{row.pk}_evidence"] = f"Survey for {row.characteristic_name}."
    for row in review.actions.all():
        data[f"action_{row.pk}_done"] = "yes"
        data[f"action_{row.pk}_worked"] = "partly"
        data[f"action_{row.pk}_note"] = "Moved to evenings."
    return data


def signed_off_review(assessment, owner, approver, results: dict) -> OutcomeReview:
    """The assessment's outcome review, due, written by ``owner`` with each characteristic's
    result from ``results`` (by key), submitted and signed off by ``approver``."""
    review = make_due(assessment.outcome_review)
    data = complete_data(review)
    for row in review.impacts.all():
        data[f"impact_{row.pk}_result"] = results[row.characteristic_key]
    review = services.outcome_review_save(
        review=review, user=owner, revision=0, data=data, submit=True
    ).review
    return services.outcome_review_sign_off(review=review, user=approver, declaration=True)
