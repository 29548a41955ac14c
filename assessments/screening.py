"""The screening's writes and reads: answering it, sending it, and its confirmation or return.

Keyword-only functions, one transaction each. The approver who confirms a "no assessment
needed" decision signs it off (``lifecycle.record_sign_off``): it is frozen, fingerprinted and
reported like any signed-off assessment, its screening the content of its snapshot.
"""

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction

from assessments.lifecycle import DECLARATION_REQUIRED_MESSAGE, HandBack, record_sign_off
from assessments.models import Assessment, AssessmentEvent, ImpactRating, Screening, Snapshot
from assessments.notifications import approvers_for, assessment_notify
from assessments.permissions import Act, ensure
from assessments.screening_summary import screening_of  # noqa: F401 - read from here too
from assessments.services import assessment_move

NOT_MARKED_REASON = "Not marked as plausibly affected at screening."
RETURN_REASON_REQUIRED_MESSAGE = "Say why the screening is returned"
_SCREENING_RETURNED = HandBack(
    Act.CONFIRM_SCREENING,
    RETURN_REASON_REQUIRED_MESSAGE,
    Assessment.Screening.RETURNED,
    AssessmentEvent.Kind.SCREENING_RETURNED,
    field="screening_status",
)

# What the screening asks, in its order, with the message for a missing answer.
MISSING = {
    "who": "Say who the activity reaches",
    "changes": "Say whether the activity could change access, experience or outcomes for anyone",
    "reach": "Say how many people the activity reaches",
    "crisis": "Say whether the activity is a response to a crisis",
    "decision": "Choose what the activity needs: a full or proportionate assessment, or none",
}
GROUPS_MISSING = "Choose the groups the activity could plausibly affect"
JUSTIFICATION_MISSING = "Say why no assessment is needed"


def screening_failures(screening: Screening) -> list[tuple[str, str]]:
    """(field, message) of each answer the screening still needs before it is sent."""
    failures = [
        (name, message)
        for name, message in MISSING.items()
        if getattr(screening, name) in (None, "") or (name == "who" and not screening.who.strip())
    ]
    if screening.decision == Assessment.Scope.PROPORTIONATE and not screening.groups.exists():
        failures.append(("groups", GROUPS_MISSING))
    if screening.decision == Assessment.Scope.NONE and not screening.justification.strip():
        failures.append(("justification", JUSTIFICATION_MISSING))
    return failures


def _lock(assessment: Assessment) -> Assessment:
    return Assessment.objects.select_for_update().get(pk=assessment.pk)


@transaction.atomic
def screening_save(
    *,
    assessment: Assessment,
    user,
    who: str,
    changes: bool | None,
    changes_note: str,
    groups,
    reach: str,
    crisis: bool | None,
    decision: str,
    justification: str,
) -> Screening:
    """Keep the answers as given, complete or not; the decision sets the assessment's scope."""
    assessment = _lock(assessment)
    ensure(Act.SCREEN, user, assessment)
    groups = list(groups)
    if any(group.version_id != assessment.framework_version_id for group in groups):
        raise ValidationError("A group chosen is not part of this assessment's framework.")
    screening = Screening.objects.get(assessment=assessment)
    screening.who, screening.changes, screening.changes_note = who.strip(), changes, changes_note.strip()
    screening.reach, screening.crisis = reach, crisis
    screening.decision, screening.justification = decision, justification.strip()
    screening.updated_by = user
    # The groups are linked without a record of the history of their own: the save records
    # them with the other answers, as one change.
    screening.skip_history_when_saving = True
    try:
        screening.groups.set(groups)
    finally:
        del screening.skip_history_when_saving
    screening.save()
    assessment.scope = decision or Assessment.Scope.FULL
    assessment.save(update_fields=["scope", "updated_at"])
    return screening


def _rows_follow_screening(assessment: Assessment, screening: Screening) -> None:
    """In a proportionate assessment, the groups the screening marked start as relevant and the
    rest as not relevant, for the screening's reason; rows already worked on keep their answers."""
    if assessment.scope != Assessment.Scope.PROPORTIONATE:
        return
    marked = set(screening.groups.values_list("pk", flat=True))
    untouched = ImpactRating.objects.filter(assessment=assessment, impact="", evidence="")
    for rating in untouched:
        relevant = rating.characteristic_id in marked
        rating.relevant = relevant
        rating.not_relevant_reason = "" if relevant else NOT_MARKED_REASON
        rating.save(update_fields=["relevant", "not_relevant_reason", "updated_at"])


@transaction.atomic
def screening_send(*, assessment: Assessment, user) -> Assessment:
    """Send a complete screening to the approvers to confirm its decision."""
    assessment = _lock(assessment)
    ensure(Act.SCREEN, user, assessment)
    screening = Screening.objects.get(assessment=assessment)
    failures = screening_failures(screening)
    if failures:
        raise ValidationError([message for _field, message in failures])
    _rows_follow_screening(assessment, screening)
    assessment_move(
        assessment=assessment,
        user=user,
        event=AssessmentEvent.Kind.SCREENING_SENT,
        note=assessment.get_scope_display(),
        screening_status=Assessment.Screening.SENT,
    )
    assessment_notify(
        "screening_sent", assessment=assessment, recipients=approvers_for(assessment), actor=user
    )
    return assessment


@transaction.atomic
def screening_confirm(
    *, assessment: Assessment, user, declaration: bool = False, decisions: Sequence = ()
) -> Snapshot | None:
    """Confirm the screening's decision. A "no assessment needed" decision is signed off with it
    (``declaration`` required), with the ``decisions`` the approver made on the forms other apps
    ask for at a sign-off (``lifecycle.sign_off_forms``): the snapshot is returned."""
    assessment = _lock(assessment)
    ensure(Act.CONFIRM_SCREENING, user, assessment)
    signs_off = assessment.scope == Assessment.Scope.NONE
    if signs_off and not declaration:
        raise ValidationError(DECLARATION_REQUIRED_MESSAGE)
    changes = {"screening_status": Assessment.Screening.CONFIRMED}
    if signs_off:
        sent = assessment.events.filter(kind=AssessmentEvent.Kind.SCREENING_SENT).order_by("-at").first()
        changes["submitted_at"] = sent.at if sent else None
    assessment_move(
        assessment=assessment,
        user=user,
        event=AssessmentEvent.Kind.SCREENING_CONFIRMED,
        note=assessment.get_scope_display(),
        **changes,
    )
    if signs_off:
        return record_sign_off(assessment=assessment, user=user, decisions=decisions)
    return None


@transaction.atomic
def screening_return(*, assessment: Assessment, user, reason: str) -> Assessment:
    """Return the screening to its owner and collaborators to think again, saying why."""
    return _SCREENING_RETURNED(assessment=assessment, user=user, reason=reason)
