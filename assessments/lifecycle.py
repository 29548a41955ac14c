"""Writes that move an assessment through its life after submission: review comments,
requests for changes, sign-off and its snapshot, withdrawal, re-assessment and the follow-up
of actions. Keyword-only functions, one transaction each."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from assessments.kinds import CopyContext, row_kinds
from assessments.models import (
    Action,
    Answer,
    Assessment,
    AssessmentEvent,
    ReviewComment,
    SectionProgress,
    Snapshot,
)
from assessments.notifications import assessment_link, notify, team_of
from assessments.permissions import is_involved, may_reassess
from assessments.refusals import REASSESS_NOT_INVOLVED_REFUSAL
from assessments.selectors import assessment_content
from assessments.services import assessment_create, denormalised_fields_refresh, ensure_editable
from assessments.signals import assessment_signed_off, assessment_signing_off
from assessments.snapshots import canonical_json, fingerprint, snapshot_document
from frameworks.models import Characteristic, Principle, Question, Section
from thrive_edi.people import person_name
from thrive_edi.roles import Role, has_role

NOT_IN_REVIEW_MESSAGE = "Only an assessment in review can be reviewed."
SEPARATION_OF_DUTIES_MESSAGE = (
    "You cannot sign off an assessment you own or collaborate on: another approver must sign it off."
)
NOT_AN_APPROVER_MESSAGE = "Only approvers can review and sign off assessments."
REASON_REQUIRED_MESSAGE = "Say what needs to change"
DECLARATION_REQUIRED_MESSAGE = "Confirm the declaration to sign off"
NOT_SIGNED_OFF_MESSAGE = "Only a signed-off assessment can be re-assessed."
ALREADY_REVIEWING_MESSAGE = "A re-assessment of this assessment has already started."
ACTION_LOCKED_MESSAGE = (
    "Actions cannot be updated while the assessment is in review or after it is withdrawn."
)


def _lock(assessment: Assessment) -> Assessment:
    return Assessment.objects.select_for_update().get(pk=assessment.pk)


def ensure_may_review(*, user, assessment: Assessment) -> None:
    if not has_role(user, Role.APPROVER):
        raise PermissionDenied(NOT_AN_APPROVER_MESSAGE)
    if assessment.status != Assessment.Status.IN_REVIEW:
        raise PermissionDenied(NOT_IN_REVIEW_MESSAGE)


def ensure_may_sign_off(*, user, assessment: Assessment) -> None:
    ensure_may_review(user=user, assessment=assessment)
    if is_involved(user, assessment):
        raise PermissionDenied(SEPARATION_OF_DUTIES_MESSAGE)


@transaction.atomic
def comment_add(*, assessment: Assessment, user, text: str, section: Section | None = None) -> ReviewComment:
    assessment = _lock(assessment)
    ensure_may_review(user=user, assessment=assessment)
    if section is not None and section.version_id != assessment.framework_version_id:
        raise ValidationError("That section is not part of this assessment.")
    return ReviewComment.objects.create(
        assessment=assessment, section=section, author=user, text=text.strip()
    )


COMMENTS_CLOSED_MESSAGE = "A signed-off or withdrawn assessment's comments are closed."


def _ensure_comments_open(*, user, assessment: Assessment) -> Assessment:
    assessment = _lock(assessment)
    if not (is_involved(user, assessment) or has_role(user, Role.APPROVER)):
        raise PermissionDenied
    if assessment.is_frozen or assessment.status == Assessment.Status.WITHDRAWN:
        raise PermissionDenied(COMMENTS_CLOSED_MESSAGE)
    return assessment


@transaction.atomic
def comment_reply(*, comment: ReviewComment, user, text: str) -> ReviewComment:
    assessment = _ensure_comments_open(user=user, assessment=comment.assessment)
    return ReviewComment.objects.create(
        assessment=assessment, section=comment.section, parent=comment, author=user, text=text.strip()
    )


@transaction.atomic
def comment_resolve(*, comment: ReviewComment, user) -> ReviewComment:
    _ensure_comments_open(user=user, assessment=comment.assessment)
    if comment.resolved_at is None:
        comment.resolved_at = timezone.now()
        comment.resolved_by = user
        comment.save(update_fields=["resolved_at", "resolved_by"])
    return comment


@transaction.atomic
def assessment_request_changes(*, assessment: Assessment, user, reason: str) -> Assessment:
    assessment = _lock(assessment)
    ensure_may_review(user=user, assessment=assessment)
    if not reason.strip():
        raise ValidationError(REASON_REQUIRED_MESSAGE)
    assessment.status = Assessment.Status.CHANGES_REQUESTED
    assessment.save(update_fields=["status", "updated_at"])
    AssessmentEvent.objects.create(
        assessment=assessment, kind=AssessmentEvent.Kind.CHANGES_REQUESTED, actor=user, note=reason.strip()
    )
    notify(
        "changes_requested",
        recipients=team_of(assessment),
        context={
            "assessment": assessment,
            "actor": person_name(user),
            "reason": reason.strip(),
            "link": assessment_link(assessment),
        },
    )
    return assessment


@transaction.atomic
def assessment_sign_off(*, assessment: Assessment, user, declaration: bool) -> Snapshot:
    """Sign off: record who and when, freeze the content and fingerprint it in a snapshot.

    The previous version of a re-assessment becomes superseded. Receivers of
    ``assessment_signing_off`` write within the sign-off's transaction; the sign-off is
    announced (``assessment_signed_off``) once it commits.
    """
    assessment = _lock(assessment)
    ensure_may_sign_off(user=user, assessment=assessment)
    if not declaration:
        raise ValidationError(DECLARATION_REQUIRED_MESSAGE)
    now = timezone.now()
    content = assessment_content(assessment)
    denormalised_fields_refresh(assessment=assessment, content=content)
    document = snapshot_document(
        content, signed_off_by=user, signed_off_at=now, feedback=snapshot_extras(assessment)
    )
    text = canonical_json(document)
    snapshot = Snapshot.objects.create(assessment=assessment, document=text, sha256=fingerprint(text))
    assessment.status = Assessment.Status.SIGNED_OFF
    assessment.signed_off_at = now
    assessment.signed_off_by = user
    assessment.save(update_fields=["status", "signed_off_at", "signed_off_by", "updated_at"])
    AssessmentEvent.objects.create(assessment=assessment, kind=AssessmentEvent.Kind.SIGNED_OFF, actor=user)
    previous = None
    if assessment.previous_id:
        previous = _lock(assessment.previous)
        previous.status = Assessment.Status.SUPERSEDED
        previous.save(update_fields=["status", "updated_at"])
        AssessmentEvent.objects.create(
            assessment=previous,
            kind=AssessmentEvent.Kind.SUPERSEDED,
            actor=user,
            note=f"Superseded by {assessment.reference} version {assessment.version_number}.",
        )
    assessment_signing_off.send(sender=Assessment, assessment=assessment, superseded=previous)
    notify(
        "signed_off",
        recipients=team_of(assessment),
        context={
            "assessment": assessment,
            "actor": person_name(user),
            "snapshot": snapshot,
            "link": assessment_link(assessment),
        },
    )
    transaction.on_commit(
        lambda: assessment_signed_off.send(sender=Assessment, assessment=assessment, snapshot=snapshot)
    )
    return snapshot


# Other apps may add what the snapshot of a re-assessment carries over from earlier versions
# (the board's feedback, for instance): callables taking the assessment, returning a list.
SNAPSHOT_EXTRA_PROVIDERS: list = []


def snapshot_extras(assessment: Assessment) -> list:
    extras = []
    for provider in SNAPSHOT_EXTRA_PROVIDERS:
        extras += provider(assessment)
    return extras


@transaction.atomic
def assessment_withdraw(*, assessment: Assessment, user, reason: str) -> Assessment:
    assessment = _lock(assessment)
    if assessment.owner_id != user.pk:
        raise PermissionDenied("Only the owner can withdraw an assessment.")
    ensure_editable(assessment)
    if not reason.strip():
        raise ValidationError("Say why the assessment is withdrawn")
    assessment.status = Assessment.Status.WITHDRAWN
    assessment.save(update_fields=["status", "updated_at"])
    AssessmentEvent.objects.create(
        assessment=assessment, kind=AssessmentEvent.Kind.WITHDRAWN, actor=user, note=reason.strip()
    )
    return assessment


@transaction.atomic
def assessment_reassess(*, assessment: Assessment, user) -> Assessment:
    """Start version n+1 of a signed-off assessment as a draft with all its content copied.

    Content is matched to the current framework version by key; what cannot be carried
    over is listed on the new draft.
    """
    old = _lock(assessment)
    if old.status != Assessment.Status.SIGNED_OFF:
        raise ValidationError(NOT_SIGNED_OFF_MESSAGE)
    if Assessment.objects.filter(previous=old).exclude(status=Assessment.Status.WITHDRAWN).exists():
        raise ValidationError(ALREADY_REVIEWING_MESSAGE)
    if not may_reassess(user, old):
        raise PermissionDenied(REASSESS_NOT_INVOLVED_REFUSAL)
    new = assessment_create(
        owner=old.owner if old.owner.is_active else user,
        title=old.title,
        activity_type=old.activity_type,
        summary=old.summary,
        collaborators=old.collaborators.all(),
        partners=old.partners.all(),
    )
    new.previous = old
    new.version_number = old.version_number + 1
    new.carry_over_notes = _copy_content(old, new, user)
    new.save(update_fields=["previous", "version_number", "carry_over_notes"])
    denormalised_fields_refresh(assessment=new)
    AssessmentEvent.objects.create(
        assessment=old,
        kind=AssessmentEvent.Kind.REVIEW_STARTED,
        actor=user,
        note=f"Version {new.version_number} started as {new.reference}.",
    )
    return new


def _copy_content(old: Assessment, new: Assessment, user) -> list[str]:
    lost: list[str] = []
    version = new.framework_version
    questions = {
        (q.section.key, q.key): q for q in Question.objects.filter(version=version).select_related("section")
    }
    characteristics = {c.key: c for c in Characteristic.objects.filter(version=version)}
    principles = {p.key: p for p in Principle.objects.filter(version=version)}

    for answer in Answer.objects.filter(assessment=old).select_related("question__section"):
        target = questions.get((answer.question.section.key, answer.question.key))
        if target is None or target.type != answer.question.type:
            lost.append(
                f"The answer to “{answer.question.text}”: the question is not in the current template."
            )
            continue
        Answer.objects.create(assessment=new, question=target, value=answer.value, updated_by=user)

    context = CopyContext(user, characteristics, principles, lost=lost)
    for kind in row_kinds():
        kind.copy(old, new, context)

    sections = {s.key: s for s in Section.objects.filter(version=new.framework_version)}
    for progress in SectionProgress.objects.filter(assessment=old).select_related("section"):
        if progress.section.key in sections:
            SectionProgress.objects.create(
                assessment=new,
                section=sections[progress.section.key],
                status=progress.status,
                updated_by=user,
            )
    return lost


@transaction.atomic
def action_follow_up(*, action: Action, user, status: str, progress_notes: str, due_date) -> Action:
    """Update an action's progress: allowed after sign-off too, recorded in the history.

    Not while the assessment is in review (the approver signs off what they read) nor once it
    is withdrawn.
    """
    assessment = _lock(action.assessment)
    if not (action.owner_id == user.pk or is_involved(user, assessment)):
        raise PermissionDenied("Only the action's owner or the assessment's team can update it.")
    if not (assessment.is_editable or assessment.is_frozen):
        raise PermissionDenied(ACTION_LOCKED_MESSAGE)
    action.status = status
    action.progress_notes = progress_notes
    action.due_date = due_date
    action.updated_by = user
    action.save()
    return action
