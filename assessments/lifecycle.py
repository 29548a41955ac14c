"""Writes that move an assessment through its life after submission: review comments,
requests for changes, sign-off and its snapshot, withdrawal, re-assessment and the follow-up
of actions. Keyword-only functions, one transaction each.

Other apps take part only through the signals of ``assessments.signals``. Their listeners:

- Inside the sign-off's transaction (what they write commits or rolls back with it):
  ``snapshot_extras_requested`` -> ``reporting.receivers.feedback_in_snapshot`` puts the
  Advisory Board's feedback on the earlier versions into the signed snapshot (its "feedback"
  list, sealed by the fingerprint); ``assessment_signing_off`` ->
  ``reporting.receivers.count_on_sign_off`` changes the dashboard's kept portfolio counts, and
  ``outcomes.receivers.schedule_on_sign_off`` schedules the outcome review (on the review date,
  unless the approver chose another date on the sign-off page).
- On the sign-off page, and on the confirmation of a "no assessment needed" screening
  (``sign_off_forms``): ``sign_off_forms_requested`` ->
  ``publication.receivers.publication_decision_form`` asks the approver what is published on the
  public register (of a "no assessment needed" decision, its justification), and
  ``outcomes.receivers.outcome_due_form`` when the outcomes can be reviewed (not asked, nor
  scheduled, when no assessment was needed: nothing was predicted to compare with); each is
  written inside the sign-off's transaction, before ``assessment_signing_off``.
- Inside a re-assessment's transaction: ``reassessment_started`` ->
  ``outcomes.receivers.outcomes_as_evidence`` puts the signed-off outcome review of the earlier
  version into the new draft's evidence.
- Once the sign-off has committed: ``assessment_signed_off`` ->
  ``reporting.receivers.render_on_sign_off`` queues the signed PDF (its failure never undoes
  the sign-off) and ``publication.receivers.register_changed_on_sign_off`` refreshes the
  public register's cached pages (a newer version supersedes a published one).
- After seeding: ``published_assessments_loaded`` -> ``reporting.receivers.recount_after_loading``,
  ``assessments.search.documents_build_missing`` (search documents of rows loaded in bulk) and
  ``publication.receivers.register_changed_on_loading``.
- Once an action's follow-up has committed: ``action_followed_up`` ->
  ``publication.receivers.register_changed_on_action_follow_up`` (its date and progress are on
  the public register's page of a signed-off assessment).
- A confirmed "no assessment needed" screening (``assessments.screening.screening_confirm``) is
  signed off through ``record_sign_off``: the same signals, listeners and snapshot.
- On the assessment's page (no write): ``assessment_page_panels`` ->
  ``reporting.receivers.board_panel`` shows the signed PDF and the board's feedback, and
  ``publication.receivers.publication_panel`` the public summary, the publication decision and
  the community feedback to moderate, ``outcomes.receivers.outcome_panel`` the outcome
  review (or the earlier version's, on a re-assessment), and ``pledges.receivers.commitments_panel``
  the commitments the assessment and its actions serve; ``timeline_requested`` ->
  ``publication.receivers.timeline_entries`` adds publication and moderation steps to its
  timeline and ``outcomes.receivers.timeline_entries`` the outcome review's.
- From the reminders (``manage.py send_reminders``): ``reminders_requested`` ->
  ``outcomes.receivers.send_reminders`` reminds owners of outcome reviews that are due.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from assessments.evidence import evidence_copy
from assessments.kinds import CopyContext, row_kinds
from assessments.models import (
    Action,
    Answer,
    Assessment,
    AssessmentEvent,
    ReviewComment,
    Screening,
    SectionProgress,
    Snapshot,
)
from assessments.notifications import assessment_notify, team_of
from assessments.permissions import Act, ensure
from assessments.selectors import assessment_content
from assessments.services import (
    assessment_create,
    assessment_move,
    content_changed,
    denormalised_fields_refresh,
)
from assessments.signals import (
    action_followed_up,
    assessment_signed_off,
    assessment_signing_off,
    reassessment_started,
    sign_off_forms_requested,
    snapshot_extras_requested,
)
from assessments.snapshots import canonical_json, fingerprint, snapshot_document
from frameworks.models import Characteristic, Principle, Question, Section

REASON_REQUIRED_MESSAGE = "Say what needs to change"
DECLARATION_REQUIRED_MESSAGE = "Confirm the declaration to sign off"


def _lock(assessment: Assessment) -> Assessment:
    return Assessment.objects.select_for_update().get(pk=assessment.pk)


@transaction.atomic
def comment_add(*, assessment: Assessment, user, text: str, section: Section | None = None) -> ReviewComment:
    assessment = _lock(assessment)
    ensure(Act.REVIEW, user, assessment)
    if section is not None and section.version_id != assessment.framework_version_id:
        raise ValidationError("That section is not part of this assessment.")
    return ReviewComment.objects.create(
        assessment=assessment, section=section, author=user, text=text.strip()
    )


def _ensure_comments_open(*, user, assessment: Assessment) -> Assessment:
    assessment = _lock(assessment)
    ensure(Act.COMMENT, user, assessment)
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


@dataclass(frozen=True)
class HandBack:
    """A way of giving an assessment (or its screening) back to its owner and collaborators,
    saying why: who may (``act``), what is said when no reason is given, the value its
    ``field`` takes, and the event that records the reason (its kind is also the team's notice)."""

    act: Act
    reason_required: str
    value: str
    event: str
    field: str = "status"

    def __call__(self, *, assessment: Assessment, user, reason: str) -> Assessment:
        """The caller holds the transaction."""
        assessment = _lock(assessment)
        ensure(self.act, user, assessment)
        reason = reason.strip()
        if not reason:
            raise ValidationError(self.reason_required)
        assessment_move(
            assessment=assessment, user=user, event=self.event, note=reason, **{self.field: self.value}
        )
        assessment_notify(
            self.event, assessment=assessment, recipients=team_of(assessment), actor=user, reason=reason
        )
        return assessment


_CHANGES_REQUESTED = HandBack(
    Act.REVIEW,
    REASON_REQUIRED_MESSAGE,
    Assessment.Status.CHANGES_REQUESTED,
    AssessmentEvent.Kind.CHANGES_REQUESTED,
)


@transaction.atomic
def assessment_request_changes(*, assessment: Assessment, user, reason: str) -> Assessment:
    return _CHANGES_REQUESTED(assessment=assessment, user=user, reason=reason)


def sign_off_forms(*, assessment: Assessment, user, data) -> list:
    """The forms other apps ask the approver to fill in beside the declaration
    (``sign_off_forms_requested``), bound to ``data`` (None on a GET), in the order the
    receivers were connected: on the sign-off page and on the confirmation of a "no assessment
    needed" screening, each then passed to the sign-off as its ``decisions``."""
    replies = sign_off_forms_requested.send(sender=Assessment, assessment=assessment, user=user, data=data)
    return [form for _receiver, form in replies if form is not None]


@transaction.atomic
def assessment_sign_off(
    *, assessment: Assessment, user, declaration: bool, decisions: Sequence = ()
) -> Snapshot:
    """Sign off: record who and when, freeze the content and fingerprint it in a snapshot.

    The previous version of a re-assessment becomes superseded. Receivers of
    ``assessment_signing_off`` write within the sign-off's transaction, after the ``decisions``
    (valid forms from ``sign_off_forms_requested``) the approver made with the declaration; the
    sign-off is announced (``assessment_signed_off``) once it commits.
    """
    assessment = _lock(assessment)
    ensure(Act.SIGN_OFF, user, assessment)
    if not declaration:
        raise ValidationError(DECLARATION_REQUIRED_MESSAGE)
    return record_sign_off(assessment=assessment, user=user, decisions=decisions)


def record_sign_off(*, assessment: Assessment, user, decisions: Sequence = ()) -> Snapshot:
    """What every sign-off does, once its caller has locked ``assessment`` and checked who may:
    the sign-off of a review, or the confirmation of a "no assessment needed" screening."""
    now = timezone.now()
    content = assessment_content(assessment)
    denormalised_fields_refresh(assessment=assessment, content=content)
    document = snapshot_document(
        content, signed_off_by=user, signed_off_at=now, feedback=snapshot_extras(assessment)
    )
    text = canonical_json(document)
    snapshot = Snapshot.objects.create(assessment=assessment, document=text, sha256=fingerprint(text))
    assessment_move(
        assessment=assessment,
        user=user,
        event=AssessmentEvent.Kind.SIGNED_OFF,
        status=Assessment.Status.SIGNED_OFF,
        signed_off_at=now,
        signed_off_by=user,
    )
    previous = None
    if assessment.previous_id:
        previous = _lock(assessment.previous)
        assessment_move(
            assessment=previous,
            user=user,
            event=AssessmentEvent.Kind.SUPERSEDED,
            note=f"Superseded by {assessment.reference} version {assessment.version_number}.",
            status=Assessment.Status.SUPERSEDED,
        )
    for decision in decisions:
        decision.apply(assessment=assessment, user=user)
    assessment_signing_off.send(sender=Assessment, assessment=assessment, superseded=previous)
    assessment_notify(
        "signed_off", assessment=assessment, recipients=team_of(assessment), actor=user, snapshot=snapshot
    )
    transaction.on_commit(
        lambda: assessment_signed_off.send(sender=Assessment, assessment=assessment, snapshot=snapshot)
    )
    return snapshot


def snapshot_extras(assessment: Assessment) -> list:
    """What the receivers of ``snapshot_extras_requested`` add to the signed snapshot, in the
    order they were connected."""
    replies = snapshot_extras_requested.send(sender=Assessment, assessment=assessment)
    return [item for _receiver, items in replies for item in items]


@transaction.atomic
def assessment_withdraw(*, assessment: Assessment, user, reason: str) -> Assessment:
    assessment = _lock(assessment)
    ensure(Act.WITHDRAW, user, assessment)
    reason = reason.strip()
    if not reason:
        raise ValidationError("Say why the assessment is withdrawn")
    assessment_move(
        assessment=assessment,
        user=user,
        event=AssessmentEvent.Kind.WITHDRAWN,
        note=reason,
        status=Assessment.Status.WITHDRAWN,
    )
    if assessment.previous_id:
        # The version it re-assessed may be re-assessed again: its page is read afresh.
        _touch(assessment.previous_id)
    return assessment


@transaction.atomic
def assessment_reassess(*, assessment: Assessment, user) -> Assessment:
    """Start version n+1 of a signed-off assessment as a draft with all its content copied.

    Content is matched to the current framework version by key; what cannot be carried
    over is listed on the new draft. A screened assessment's re-assessment starts with its
    screening's answers, for the team to check and send again: its decision may have changed.
    """
    old = _lock(assessment)
    ensure(Act.REASSESS, user, old)
    new = assessment_create(
        owner=old.owner if old.owner.is_active else user,
        title=old.title,
        activity_type=old.activity_type,
        summary=old.summary,
        collaborators=old.collaborators.all(),
        partners=old.partners.all(),
        london_wide=old.london_wide,
        local_authorities=old.local_authorities.all(),
        screening=old.is_screened,
    )
    new.previous = old
    new.version_number = old.version_number + 1
    new.carry_over_notes = _copy_content(old, new, user)
    new.save(update_fields=["previous", "version_number", "carry_over_notes", "scope"])
    denormalised_fields_refresh(assessment=new)
    reassessment_started.send(sender=Assessment, previous=old, assessment=new, user=user)
    AssessmentEvent.objects.create(
        assessment=old,
        kind=AssessmentEvent.Kind.REASSESSMENT_STARTED,
        actor=user,
        note=f"Version {new.version_number} started as {new.reference}.",
    )
    _touch(old.pk)  # its timeline and its next version changed
    return new


def _touch(assessment_id: int) -> None:
    """Move a signed-off assessment's last change: what is kept of its page
    (``assessments.fragments``) is read afresh."""
    Assessment.objects.filter(pk=assessment_id).update(updated_at=timezone.now())


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

    lost += _copy_screening(old, new, characteristics, user)
    context = CopyContext(user, characteristics, principles, lost=lost)
    for kind in row_kinds():
        kind.copy(old, new, context)
    lost += evidence_copy(old=old, new=new, characteristics=characteristics, user=user)

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


def _copy_screening(old: Assessment, new: Assessment, characteristics: dict, user) -> list[str]:
    """The earlier screening's answers, on the new draft's screening (not sent: the team checks
    them), its groups matched by key; the decision gives the draft its scope."""
    if not old.is_screened:  # a screening row alone, never sent, decided nothing
        return []
    try:
        earlier = old.screening
    except Screening.DoesNotExist:
        return []
    lost = []
    groups = []
    for group in earlier.groups.all():
        if group.key in characteristics:
            groups.append(characteristics[group.key])
        else:
            lost.append(f"The screening's group “{group.name}”: it is not in the current framework.")
    screening = Screening.objects.get(assessment=new)
    for name in Screening.answer_fields():
        setattr(screening, name, getattr(earlier, name))
    screening.updated_by = user
    screening.skip_history_when_saving = True  # the save records the groups with the answers
    try:
        screening.groups.set(groups)
    finally:
        del screening.skip_history_when_saving
    screening.save()
    new.scope = earlier.decision or Assessment.Scope.FULL
    return lost


@transaction.atomic
def action_follow_up(*, action: Action, user, status: str, progress_notes: str, due_date) -> Action:
    """Update an action's progress: allowed after sign-off too, recorded in the history.

    Not while the assessment is in review (the approver signs off what they read) nor once it
    is withdrawn.
    """
    action.assessment = _lock(action.assessment)
    ensure(Act.FOLLOW_UP, user, action)
    action.status = status
    action.progress_notes = progress_notes
    action.due_date = due_date
    action.updated_by = user
    action.save()
    # A change to the assessment's content, after sign-off too: the pages kept for it
    # (``assessments.fragments``) are drawn again.
    content_changed(action.assessment)
    transaction.on_commit(lambda: action_followed_up.send(sender=Action, action=action))
    return action
