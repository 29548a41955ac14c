"""Reads of outcome reviews: one assessment's, those due for a person, the signed-off ones of a
period (read by other reports), and predictions against outcomes by group for the dashboard."""

import json
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Case, Count, Max, Prefetch, Q, QuerySet, Value, When, prefetch_related_objects
from django.http import Http404
from django.utils import timezone

from assessments.models import Assessment
from assessments.permissions import get_assessment_for_user
from outcomes.models import ActionOutcome, ImpactOutcome, OutcomeEvent, OutcomeReview, Result
from outcomes.permissions import OutcomeAct, may
from outcomes.services import (
    PREDICTED,
    PREDICTED_NEGATIVE,
    PREDICTED_POSITIVE,
    OutcomeFingerprintMismatch,
    outcome_review_checked,
)
from thrive_edi.people import with_names

SHOWN_ON_HOME_PAGE = 10


def review_for_user(user, reference: str) -> OutcomeReview:
    """The outcome review of the assessment ``reference`` that ``user`` may view, or 404."""
    assessment = get_assessment_for_user(user, reference)
    review = (
        OutcomeReview.objects.filter(assessment=assessment)
        .select_related("submitted_by", "signed_off_by")
        .first()
    )
    if review is None:
        raise Http404("No outcome review.")
    review.assessment = assessment
    if not may(OutcomeAct.VIEW, user, review):
        raise Http404("No outcome review.")
    return review


def review_rows(review: OutcomeReview) -> tuple[list[ImpactOutcome], list[ActionOutcome]]:
    return list(review.impacts.all()), list(review.actions.select_related("action"))


def review_of(assessment: Assessment) -> OutcomeReview | None:
    """The assessment's outcome review, read once however many parts of its page ask."""
    prefetch_related_objects(
        [assessment],
        Prefetch("outcome_review", queryset=OutcomeReview.objects.select_related("signed_off_by")),
    )
    try:
        return assessment.outcome_review
    except OutcomeReview.DoesNotExist:
        return None


def signed_off_outcomes(assessment: Assessment) -> dict:
    """The assessment's signed-off outcome review and its rows, for pages that show the record
    (``outcome_review``, ``outcome_impacts``, ``outcome_actions``); empty keys when there is none."""
    review = (
        OutcomeReview.objects.signed_off()
        .filter(assessment=assessment)
        .select_related("signed_off_by")
        .first()
    )
    if review is None:
        return {"outcome_review": None, "outcome_impacts": [], "outcome_actions": []}
    impacts, actions = review_rows(review)
    return {"outcome_review": review, "outcome_impacts": impacts, "outcome_actions": actions}


@dataclass(frozen=True)
class PublicOutcomes:
    """What the public register shows of a signed-off outcome review: per group, what was
    predicted and what happened; the challenges met; how the work will be sustained."""

    signed_off_at: datetime
    impacts: list[dict]  # {"name", "predicted", "result"}: labels, as signed
    challenges: str
    sustainability: str


def public_outcomes(assessment: Assessment) -> PublicOutcomes | None:
    """The assessment's signed-off outcome review as the register shows it, read from the signed
    document (checked against its fingerprint), or None. Nothing else of it is public: neither
    who wrote or signed it, nor the evidence, the notes on actions or what people said."""
    review = OutcomeReview.objects.signed_off().filter(assessment=assessment).first()
    if review is None:
        return None
    try:
        outcome_review_checked(review)
    except OutcomeFingerprintMismatch:
        return None
    document = json.loads(review.document)
    return PublicOutcomes(
        signed_off_at=review.signed_off_at,
        impacts=[
            {
                "name": row["name"],
                "predicted": row["predicted_label"],
                "result": row["result_label"] or "Not recorded",
            }
            for row in document["impacts"]
        ],
        challenges=document["challenges"],
        sustainability=document["sustainability"],
    )


def previous_signed_off_review(assessment: Assessment) -> OutcomeReview | None:
    """The signed-off outcome review of the version this one re-assesses, if any."""
    if not assessment.previous_id:
        return None
    return (
        OutcomeReview.objects.signed_off()
        .filter(assessment_id=assessment.previous_id)
        .select_related("assessment", "signed_off_by")
        .first()
    )


def reviews_due_for(user, today: date | None = None) -> list[OutcomeReview]:
    """Outcome reviews of the person's assessments that are due and not yet sent for sign-off."""
    today = today or timezone.localdate()
    return list(
        OutcomeReview.objects.due_by(today)
        .filter(assessment__in=Assessment.objects.involving(user))
        .select_related("assessment")
        .order_by("due_on", "pk")[:SHOWN_ON_HOME_PAGE]
    )


def reviews_waiting_for_sign_off(user) -> list[OutcomeReview]:
    return list(
        OutcomeReview.objects.filter(status=OutcomeReview.Status.SUBMITTED)
        .exclude(assessment__in=Assessment.objects.involving(user))
        .select_related("assessment")
        .order_by("submitted_at", "pk")[:SHOWN_ON_HOME_PAGE]
    )


def timeline_of(assessment: Assessment) -> list[OutcomeEvent]:
    review = review_of(assessment)
    if review is None:
        return []
    return list(with_names(OutcomeEvent.objects.filter(review=review), "actor"))


def signed_off_reviews(period: tuple[date, date] | None = None) -> QuerySet[OutcomeReview]:
    """Signed-off outcome reviews (signed off within ``period``, both days included, if given),
    with their assessment, what happened per impact (``impact_rows``) and per action
    (``action_rows``); ``challenges``, ``sustainability`` and ``voices`` are fields of each.
    A fixed number of queries, however many reviews."""
    reviews = OutcomeReview.objects.signed_off().select_related(
        "assessment", "assessment__owner", "signed_off_by"
    )
    if period is not None:
        start, end = period
        reviews = reviews.filter(signed_off_at__date__gte=start, signed_off_at__date__lte=end)
    return reviews.prefetch_related(
        Prefetch("impacts", queryset=ImpactOutcome.objects.order_by("order", "pk"), to_attr="impact_rows"),
        Prefetch(
            "actions",
            queryset=ActionOutcome.objects.select_related("action").order_by("pk"),
            to_attr="action_rows",
        ),
    ).order_by("signed_off_at", "pk")


@dataclass(frozen=True)
class GroupOutcomes:
    """How the predicted impacts on one group turned out, in signed-off outcome reviews."""

    name: str
    direction: str  # "negative" or "positive"
    better: int
    as_expected: int
    worse: int
    not_known: int

    @property
    def total(self) -> int:
        return self.better + self.as_expected + self.worse + self.not_known


DIRECTIONS = {"negative": PREDICTED_NEGATIVE, "positive": PREDICTED_POSITIVE}


def predictions_against_outcomes(assessments: QuerySet | None = None) -> list[GroupOutcomes]:
    """Per group and direction of prediction, how often the outcome was better, as expected,
    worse or not known yet, counted in the database (one query, whatever the number of rows).

    ``assessments``: only the reviews of these (the dashboard's filter), if given."""
    rows = ImpactOutcome.objects.filter(
        review__status=OutcomeReview.Status.SIGNED_OFF, predicted__in=PREDICTED
    )
    if assessments is not None:
        rows = rows.filter(review__assessment__in=assessments)
    counts = {result: Count("pk", filter=Q(result=result)) for result in Result.values}
    direction = Case(
        *(When(predicted__in=keys, then=Value(name)) for name, keys in DIRECTIONS.items()),
        default=Value("positive"),
    )
    grouped = (
        rows.annotate(direction=direction)
        .values("characteristic_key", "direction")
        .annotate(name=Max("characteristic_name"), **counts)
        .order_by()
    )
    figures = [
        GroupOutcomes(
            name=row["name"],
            direction=row["direction"],
            better=row[Result.BETTER],
            as_expected=row[Result.AS_EXPECTED],
            worse=row[Result.WORSE],
            not_known=row[Result.NOT_KNOWN],
        )
        for row in grouped
    ]
    return sorted(figures, key=lambda figure: (figure.direction != "negative", figure.name))
