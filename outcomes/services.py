"""Writes of an outcome review: scheduling at sign-off, saving as the owner goes, sending for
sign-off, returning, and signing off with its own snapshot. Keyword-only, one transaction each."""

import json
import logging
from dataclasses import dataclass, field
from datetime import date

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from assessments.models import Action, Assessment, Snapshot
from assessments.snapshots import canonical_json, fingerprint
from frameworks.scales import Impact, Scale
from outcomes.models import ActionOutcome, Done, ImpactOutcome, OutcomeEvent, OutcomeReview, Result, Worked
from outcomes.permissions import OutcomeAct, ensure
from outcomes.signals import outcome_review_signed_off
from thrive_edi.audit import log_security_event
from thrive_edi.notices import admins_tell
from thrive_edi.people import person_name

DOCUMENT_FORMAT = 1
PREDICTED_POSITIVE = (Impact.SIGNIFICANT_POSITIVE, Impact.POSITIVE)
PREDICTED_NEGATIVE = (Impact.NEGATIVE, Impact.SIGNIFICANT_NEGATIVE)
PREDICTED = (*PREDICTED_POSITIVE, *PREDICTED_NEGATIVE)

# What is missing before a review can be sent for sign-off, in the words shown beside each field.
MISSING_RESULT = "Say what happened for {name}"
MISSING_EVIDENCE = "Give the evidence for what happened for {name}"
MISSING_DONE = "Say whether the action “{action}” was done"
MISSING_WORKED = "Say whether the action “{action}” worked"
MISSING_CHALLENGES = "Say which challenges you met"
MISSING_SUSTAINABILITY = "Say how the work will be sustained"
MISSING_VOICES = "Say what the people involved said"
CONFLICT_MESSAGE = (
    "Someone else saved this outcome review since you opened it. Your answers are shown below, not "
    "saved: check them against the saved ones and save again."
)
DECLARATION_MESSAGE = "Confirm the declaration to sign off the outcome review"
RETURN_REASON_MESSAGE = "Say what needs to change"

logger = logging.getLogger(__name__)


class ReviewConflict(Exception):
    """The review was saved by someone else since the form was shown."""


@dataclass
class SaveResult:
    review: OutcomeReview
    submitted: bool = False
    missing: dict[str, str] = field(default_factory=dict)


def _lock(review: OutcomeReview) -> OutcomeReview:
    locked = OutcomeReview.objects.select_for_update().select_related("assessment").get(pk=review.pk)
    locked.assessment = review.assessment  # keep what was loaded with it (collaborators)
    return locked


def predicted_impacts(document: dict) -> list[dict]:
    """The positive and negative impacts a signed snapshot predicted, in its order."""
    names = {c["key"]: c["name"] for c in document.get("framework", {}).get("characteristics", [])}
    return [
        {
            "key": rating["characteristic"],
            "name": names.get(rating["characteristic"], rating["characteristic"]),
            "predicted": rating["impact"],
        }
        for rating in document.get("ratings", [])
        if rating.get("impact") in PREDICTED
    ]


@transaction.atomic
def outcome_review_schedule(*, assessment: Assessment, due_on: date, user=None) -> OutcomeReview:
    """Schedule the outcome review of a signed-off assessment, with one row per predicted impact
    in its signed snapshot and one per action."""
    review, created = OutcomeReview.objects.get_or_create(assessment=assessment, defaults={"due_on": due_on})
    if not created:
        return review
    document = json.loads(Snapshot.objects.get(assessment=assessment).document)
    labels = assessment.framework_version.labels(Scale.IMPACT)
    ImpactOutcome.objects.bulk_create(
        ImpactOutcome(
            review=review,
            characteristic_key=item["key"],
            characteristic_name=item["name"],
            predicted=item["predicted"],
            predicted_label=labels.get(item["predicted"], Impact(item["predicted"]).label),
            order=order,
        )
        for order, item in enumerate(predicted_impacts(document))
    )
    ActionOutcome.objects.bulk_create(
        ActionOutcome(review=review, action=action)
        for action in Action.objects.filter(assessment=assessment).order_by("pk")
    )
    OutcomeEvent.objects.create(
        review=review, kind=OutcomeEvent.Kind.SCHEDULED, actor=user, note=f"Due on {due_on:%d/%m/%Y}."
    )
    return review


def _missing(review: OutcomeReview, impacts, actions) -> dict[str, str]:
    missing: dict[str, str] = {}
    for row in impacts:
        if not row.result:
            missing[f"impact_{row.pk}_result"] = MISSING_RESULT.format(name=row.characteristic_name)
        elif row.result != Result.NOT_KNOWN and not row.evidence.strip():
            missing[f"impact_{row.pk}_evidence"] = MISSING_EVIDENCE.format(name=row.characteristic_name)
    for row in actions:
        text = (row.action.action or row.action.issue)[:60]
        if not row.done:
            missing[f"action_{row.pk}_done"] = MISSING_DONE.format(action=text)
        elif row.done != Done.NO and not row.worked:
            missing[f"action_{row.pk}_worked"] = MISSING_WORKED.format(action=text)
    for name, message in (
        ("challenges", MISSING_CHALLENGES),
        ("sustainability", MISSING_SUSTAINABILITY),
        ("voices", MISSING_VOICES),
    ):
        if not getattr(review, name).strip():
            missing[name] = message
    return missing


@transaction.atomic
def outcome_review_save(
    *, review: OutcomeReview, user, revision: int, data: dict, submit: bool = False
) -> SaveResult:
    """Save what the owner typed, whatever is missing; send it for sign-off when asked and complete.

    ``data`` holds the form's cleaned values by field name (``impact_<pk>_result``, ...).
    Raises ``ReviewConflict`` when someone saved since ``revision`` was read.
    """
    review = _lock(review)
    ensure(OutcomeAct.WRITE, user, review)
    if review.revision != revision:
        raise ReviewConflict()
    impacts = list(review.impacts.all())
    actions = list(review.actions.select_related("action"))
    for row in impacts:
        row.result = data.get(f"impact_{row.pk}_result") or ""
        row.evidence = (data.get(f"impact_{row.pk}_evidence") or "").strip()
        row.updated_by = user
    for row in actions:
        row.done = data.get(f"action_{row.pk}_done") or ""
        row.worked = data.get(f"action_{row.pk}_worked") or ""
        row.note = (data.get(f"action_{row.pk}_note") or "").strip()
        row.updated_by = user
    ImpactOutcome.objects.bulk_update(impacts, ["result", "evidence", "updated_by", "updated_at"])
    ActionOutcome.objects.bulk_update(actions, ["done", "worked", "note", "updated_by", "updated_at"])
    for name in ("challenges", "sustainability", "voices"):
        setattr(review, name, (data.get(name) or "").strip())
    review.status = OutcomeReview.Status.IN_PROGRESS
    review.revision += 1
    review.updated_by = user
    result = SaveResult(review=review)
    if submit:
        result.missing = _missing(review, impacts, actions)
        if not result.missing:
            review.status = OutcomeReview.Status.SUBMITTED
            review.submitted_at = timezone.now()
            review.submitted_by = user
            result.submitted = True
            OutcomeEvent.objects.create(review=review, kind=OutcomeEvent.Kind.SUBMITTED, actor=user)
    review.save()
    return result


@transaction.atomic
def outcome_review_return(*, review: OutcomeReview, user, reason: str) -> OutcomeReview:
    review = _lock(review)
    ensure(OutcomeAct.SIGN_OFF, user, review)
    if not reason.strip():
        raise ValidationError(RETURN_REASON_MESSAGE)
    review.status = OutcomeReview.Status.IN_PROGRESS
    review.revision += 1
    review.save()
    OutcomeEvent.objects.create(
        review=review, kind=OutcomeEvent.Kind.RETURNED, actor=user, note=reason.strip()
    )
    return review


def _when(moment) -> str | None:
    return timezone.localtime(moment).isoformat() if moment else None


def review_document(review: OutcomeReview, *, signed_off_by, signed_off_at) -> dict:
    """The signed-off review as a document: what its fingerprint seals."""
    assessment = review.assessment
    return {
        "format": DOCUMENT_FORMAT,
        "assessment": {
            "reference": assessment.reference,
            "title": assessment.title,
            "version_number": assessment.version_number,
            "snapshot_sha256": Snapshot.objects.get(assessment=assessment).sha256,
        },
        "due_on": review.due_on.isoformat(),
        "impacts": [
            {
                "characteristic": row.characteristic_key,
                "name": row.characteristic_name,
                "predicted": row.predicted,
                "predicted_label": row.predicted_label,
                "result": row.result,
                "result_label": Result(row.result).label if row.result else "",
                "evidence": row.evidence,
            }
            for row in review.impacts.all()
        ],
        "actions": [
            {
                "issue": row.action.issue,
                "action": row.action.action,
                "done": row.done,
                "done_label": Done(row.done).label if row.done else "",
                "worked": row.worked,
                "worked_label": Worked(row.worked).label if row.worked else "",
                "note": row.note,
            }
            for row in review.actions.select_related("action")
        ],
        "challenges": review.challenges,
        "sustainability": review.sustainability,
        "voices": review.voices,
        "submitted_by": person_name(review.submitted_by) if review.submitted_by else None,
        "submitted_at": _when(review.submitted_at),
        "signed_off_by": person_name(signed_off_by),
        "signed_off_at": _when(signed_off_at),
    }


@transaction.atomic
def outcome_review_sign_off(*, review: OutcomeReview, user, declaration: bool, request=None) -> OutcomeReview:
    """Sign off: freeze the review as canonical JSON with its own SHA-256. The assessment's own
    snapshot and fingerprint are left as they are."""
    review = _lock(review)
    ensure(OutcomeAct.SIGN_OFF, user, review)
    if not declaration:
        raise ValidationError(DECLARATION_MESSAGE)
    now = timezone.now()
    text = canonical_json(review_document(review, signed_off_by=user, signed_off_at=now))
    review.document = text
    review.sha256 = fingerprint(text)
    review.status = OutcomeReview.Status.SIGNED_OFF
    review.signed_off_at = now
    review.signed_off_by = user
    review.save()
    OutcomeEvent.objects.create(
        review=review, kind=OutcomeEvent.Kind.SIGNED_OFF, actor=user, note=f"Fingerprint {review.sha256}."
    )
    transaction.on_commit(lambda: outcome_review_signed_off.send(sender=OutcomeReview, review=review))
    log_security_event(
        "outcome_review_signed_off",
        request=request,
        username=user.get_username(),
        assessment=review.assessment.reference,
        sha256=review.sha256,
    )
    return review


class OutcomeFingerprintMismatch(Exception):
    def __init__(self, review: OutcomeReview):
        super().__init__(
            f"The signed-off outcome review of {review.assessment.reference} does not match its "
            "fingerprint: it was changed after sign-off."
        )


def outcome_review_verify(review: OutcomeReview) -> None:
    if fingerprint(review.document) != review.sha256:
        raise OutcomeFingerprintMismatch(review)


def outcome_review_checked(review: OutcomeReview) -> None:
    """``outcome_review_verify`` before the review is shown or made into a PDF. An altered one is
    logged and told to the admins, as an altered assessment's PDF is (``admins_tell``), once for
    each stored fingerprint however often it is asked for; then the mismatch is raised."""
    try:
        outcome_review_verify(review)
    except OutcomeFingerprintMismatch as error:
        logger.error("Outcome review refused: %s", error, extra={"reference": review.assessment.reference})
        if cache.add(f"outcome-review-altered-{review.pk}-{review.sha256}", True, timeout=None):
            admins_tell(
                assessment=review.assessment, error=str(error), admin_object=review, record="outcome review"
            )
        raise
