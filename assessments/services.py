"""Writes with rules for assessments: keyword-only functions, one transaction each."""

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from assessments import search
from assessments.absences import none_applies_apply
from assessments.forms import QuestionsForm
from assessments.kinds import kinds_for, row_kinds
from assessments.models import (
    Answer,
    Assessment,
    AssessmentEvent,
    Partner,
    ReferenceCounter,
    Screening,
    SectionProgress,
)
from assessments.notifications import approvers_for, assessment_notify
from assessments.permissions import Act, ensure, state_refusal
from assessments.places import BOTH_MESSAGE
from assessments.rules import (
    DECISION_QUESTION,
    REVIEW_DATE_QUESTION,
    RuleFailure,
    assessment_failures,
    question_field,
    section_failures,
)
from assessments.sections import NoneAppliesPart, QuestionsPart, RowsPart, SectionEditor
from assessments.selectors import AssessmentContent, assessment_content
from frameworks.models import FrameworkVersion, Section
from frameworks.services import framework_version_freeze
from places.models import LocalAuthority


class EditConflict(Exception):
    """Someone else saved the section after the revision this save was based on."""

    def __init__(self, progress: SectionProgress):
        super().__init__("The section was saved by someone else meanwhile.")
        self.progress = progress


def reference_next(*, year: int) -> str:
    """The next free reference for a year (EIA-2026-0001). Call inside a transaction."""
    counter, _ = ReferenceCounter.objects.select_for_update().get_or_create(year=year)
    counter.last_number = F("last_number") + 1
    counter.save(update_fields=["last_number"])
    counter.refresh_from_db(fields=["last_number"])
    return f"EIA-{year}-{counter.last_number:04d}"


def partners_get_or_create(*, names: Iterable[str]) -> list[Partner]:
    partners = []
    for name in names:
        cleaned = " ".join(name.split())
        if not cleaned:
            continue
        partner = Partner.objects.filter(name__iexact=cleaned).first()
        if partner is None:
            partner = Partner.objects.create(name=cleaned)
        partners.append(partner)
    return partners


def _rows_create(assessment: Assessment, version: FrameworkVersion) -> None:
    """The rows a new assessment starts with: one per characteristic, principle and aim."""
    for kind in row_kinds():
        kind.model.objects.bulk_create(kind.new_rows(assessment, version))


@transaction.atomic
def assessment_create(
    *,
    owner,
    title: str,
    activity_type: str,
    summary: str = "",
    collaborators: Iterable = (),
    partners: Iterable[Partner] = (),
    new_partner_names: Iterable[str] = (),
    screening: bool = False,
    london_wide: bool = False,
    local_authorities: Iterable[LocalAuthority] = (),
) -> Assessment:
    """A new draft against the current framework version. ``screening``: it starts with a
    screening that decides how much assessment it needs (without, a full assessment)."""
    version = FrameworkVersion.objects.current()
    if version is None:
        raise ValidationError("There is no published framework version to assess against.")
    assessment = Assessment(
        reference=reference_next(year=timezone.localdate().year),
        title=title,
        activity_type=activity_type,
        summary=summary,
        owner=owner,
        framework_version=version,
        screening_status=Assessment.Screening.IN_PROGRESS if screening else Assessment.Screening.NOT_SCREENED,
        london_wide=london_wide,
    )
    local_authorities = _places_checked(london_wide, local_authorities)
    assessment.full_clean()
    assessment.save()
    assessment.collaborators.set([user for user in collaborators if user.pk != owner.pk])
    assessment.partners.set([*partners, *partners_get_or_create(names=new_partner_names)])
    if local_authorities:
        assessment.local_authorities.set(local_authorities)  # one record of the history
    _rows_create(assessment, version)
    if screening:
        Screening.objects.create(assessment=assessment, updated_by=owner)
    return assessment


def _places_checked(london_wide: bool, local_authorities: Iterable[LocalAuthority]) -> list[LocalAuthority]:
    """London-wide and local authorities exclude each other on one assessment."""
    local_authorities = list(local_authorities)
    if london_wide and local_authorities:
        raise ValidationError(BOTH_MESSAGE)
    return local_authorities


def _places_set(assessment: Assessment, local_authorities: list[LocalAuthority]) -> None:
    """Link the local authorities without a record of the history for each link and unlink:
    the save that follows records them with the rest of the change."""
    assessment.skip_history_when_saving = True
    try:
        assessment.local_authorities.set(local_authorities)
    finally:
        del assessment.skip_history_when_saving


class DetailsConflict(Exception):
    """Someone else changed the details after the version this save was based on."""

    def __init__(self, current: Assessment):
        super().__init__("The details were changed by someone else meanwhile.")
        self.current = current


def details_fingerprint(assessment: Assessment) -> str:
    """A digest of the details as saved, to tell whether they changed since a form was shown."""
    state = [
        assessment.title,
        assessment.activity_type,
        assessment.summary,
        sorted(assessment.collaborators.values_list("pk", flat=True)),
        sorted(assessment.partners.values_list("pk", flat=True)),
        assessment.london_wide,
        sorted(assessment.local_authorities.values_list("pk", flat=True)),
    ]
    return hashlib.sha256(json.dumps(state).encode()).hexdigest()


@transaction.atomic
def assessment_update_details(
    *,
    assessment: Assessment,
    user,
    title: str,
    activity_type: str,
    summary: str,
    collaborators: Iterable,
    partners: Iterable[Partner],
    new_partner_names: Iterable[str] = (),
    london_wide: bool | None = None,
    local_authorities: Iterable[LocalAuthority] = (),
    based_on: str | None = None,
) -> Assessment:
    """Change the details; refused with ``DetailsConflict`` if they changed since ``based_on``.

    ``london_wide``: None leaves where the activity takes place as it is."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    ensure(Act.EDIT, user, assessment)
    if based_on is not None and based_on != details_fingerprint(assessment):
        raise DetailsConflict(assessment)
    assessment.title = title
    assessment.activity_type = activity_type
    assessment.summary = summary
    if london_wide is not None:
        assessment.london_wide = london_wide
        # Linked before the save, so that one record of the history holds the whole change.
        _places_set(assessment, _places_checked(london_wide, local_authorities))
    assessment.revision += 1
    assessment.full_clean()
    assessment.save()
    assessment.collaborators.set([person for person in collaborators if person.pk != assessment.owner_id])
    assessment.partners.set([*partners, *partners_get_or_create(names=new_partner_names)])
    return assessment


def ensure_editable(assessment: Assessment) -> None:
    """Refuse a change to an assessment whose state allows none, whoever asks."""
    if not assessment.is_editable:
        raise PermissionDenied(state_refusal(assessment))


def _section_progress_lock(*, assessment: Assessment, section: Section) -> SectionProgress:
    """The section's progress row, locked for the rest of the transaction.

    The caller holds the assessment's lock, so no one else can create the row meanwhile.
    """
    try:
        return SectionProgress.objects.select_for_update().get(assessment=assessment, section=section)
    except SectionProgress.DoesNotExist:
        return SectionProgress.objects.create(assessment=assessment, section=section)


def _section_save_begin(
    *, assessment: Assessment, section: Section, based_on_revision: int | None, overwrite: bool = False
) -> SectionProgress:
    """Check state and revision, holding the assessment's and the section's locks.

    Raises ``EditConflict`` when the section changed since ``based_on_revision`` (unless the
    user chose to overwrite knowingly).
    """
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    ensure_editable(locked)
    progress = _section_progress_lock(assessment=assessment, section=section)
    if not overwrite and based_on_revision is not None and progress.revision != based_on_revision:
        raise EditConflict(progress)
    return progress


def _section_save_finish(
    *, assessment: Assessment, progress: SectionProgress, user, completed: bool
) -> SectionProgress:
    progress.revision += 1
    progress.updated_by = user
    progress.status = SectionProgress.Status.COMPLETED if completed else SectionProgress.Status.IN_PROGRESS
    progress.save()
    content_changed(assessment)
    return progress


def content_changed(assessment: Assessment) -> None:
    """Record a change to the assessment's content made outside its own row: its revision grows
    by one and its last change is now (in the database; the object passed keeps its values).
    Every write to what the assessment says calls it, so that what is kept under them
    (``assessments.fragments``) is drawn again."""
    Assessment.objects.filter(pk=assessment.pk).update(revision=F("revision") + 1, updated_at=timezone.now())


def _answers_apply(part: QuestionsPart, user) -> None:
    """Store each valid answer of the page; a mistaken one keeps its stored answer."""
    part.form.is_valid()
    cleaned = part.form.cleaned_data
    content = part.content
    for question in part.questions:
        name = question_field(question)
        if name not in cleaned:
            continue  # not valid: shown with its error, the stored answer is kept
        value = QuestionsForm.stored_value(question, cleaned[name])
        answer = content.answers.get(question.pk)
        if answer is None:
            if value is not None:
                answer = Answer(
                    assessment=content.assessment, question=question, value=value, updated_by=user
                )
                answer.save(force_insert=True, checked_editable=True)
                content.answers[question.pk] = answer
        elif answer.value != value:
            answer.value = value
            answer.updated_by = user
            answer.save(checked_editable=True)


def _rows_apply(part: RowsPart, user) -> None:
    """Store the rows of the page: new, changed and removed ones, and what is valid in a row
    that holds a mistake, so that nothing typed is asked for again."""
    formset, adds_rows = part.formset, part.kind.adds_rows
    if formset.non_form_errors():
        return  # a tampered formset (more rows than allowed): none of it is kept
    new = [index for index, form in enumerate(formset.forms) if form.instance.pk is None]
    for form in formset.forms:
        if not form.is_valid():
            _row_valid_fields_apply(part, form, user)
            continue
        instance = form.instance
        if adds_rows and form.cleaned_data.get("DELETE"):
            if instance.pk:
                instance.delete()
            continue
        if not form.has_changed() or (instance.pk is None and not adds_rows):
            continue
        row = form.save(commit=False)
        _row_store(part, row, user)
        form.save_m2m()
    _new_rows_remember(part, new)


def _row_store(part: RowsPart, row, user) -> None:
    row.assessment = part.content.assessment
    row.updated_by = user
    row.save(checked_editable=True)  # the save holds the assessment's lock (``_section_save_begin``)


def _row_valid_fields_apply(part: RowsPart, form, user) -> None:
    """Keep what is valid in a row that holds a mistake.

    The mistaken field is shown with its message and keeps its stored value. A row whose id
    is refused, or that is to be removed, is left alone.
    """
    if "id" in form.errors or form.cleaned_data.get("DELETE"):
        return
    if not set(form.changed_data) - set(form.errors):
        return  # nothing valid changed
    if form.instance.pk is None and not part.kind.adds_rows:
        return
    row = form.instance  # the model form has put every valid value on it
    _row_store(part, row, user)
    for field in row._meta.many_to_many:
        if field.name in form.cleaned_data:
            getattr(row, field.name).set(form.cleaned_data[field.name])


def _new_rows_remember(part: RowsPart, new: list[int]) -> None:
    """Rows just stored from the page's blank forms: the page, if shown again with errors,
    posts them as stored rows, so that saving it again does not store them twice."""
    forms, prefix = part.formset.forms, part.kind.prefix
    stored = [index for index in new if forms[index].instance.pk is not None]
    initial = part.formset.initial_form_count()
    if not stored or stored != list(range(initial, initial + len(stored))):
        return
    for index in stored:
        part.data[f"{part.kind.row_prefix(index)}-id"] = str(forms[index].instance.pk)
    part.data[f"{prefix}-INITIAL_FORMS"] = str(initial + len(stored))


def content_after_saving(content: AssessmentContent, section: Section) -> AssessmentContent:
    """The content with what saving ``section`` can change read again, the rest kept."""
    # Answers need no reading again: the questions part keeps them in step as it saves them.
    names = set()
    for kind in kinds_for(section.structured):
        names |= {kind.content_attr, *kind.also_reads}
        if kind.none_applies:
            names |= {"none_applies", "actions"}
    return content.with_parts_read_again(names - {"screened_groups"})  # the screening's, not saved here


def section_after(content: AssessmentContent, section: Section) -> Section | None:
    """The section a user goes on to from ``section``; None after the last."""
    following = [
        s
        for s in content.sections
        if s.order > section.order or (s.order == section.order and s.pk > section.pk)
    ]
    return following[0] if following else None


@dataclass
class SectionSaveOutcome:
    progress: SectionProgress
    input_errors: list[tuple[str, str]]
    failures: list[RuleFailure]  # what keeps it from counting as completed, if it was to be marked so
    completed: bool
    content: AssessmentContent  # as it stands after the save
    next_section: Section | None  # where the user goes on to; None: check your answers


@transaction.atomic
def section_save(
    *,
    editor: SectionEditor,
    user,
    based_on_revision: int | None,
    mark_completed: bool,
    overwrite: bool = False,
    keep_status: bool = False,
) -> SectionSaveOutcome:
    """Store whatever is valid on a section page (its forms have only validated it), then check
    the section's rules if it is to be marked completed: a section in progress is not held to
    them, and its rows are not read again.

    The section is marked completed only when the user says so and nothing is missing.
    ``keep_status`` (a save on the way to adding a row) leaves a completed section completed
    unless something is now missing.
    """
    content, section = editor.content, editor.section
    progress = _section_save_begin(
        assessment=content.assessment,
        section=section,
        based_on_revision=based_on_revision,
        overwrite=overwrite,
    )
    if keep_status:
        mark_completed = progress.status == SectionProgress.Status.COMPLETED
    for part in editor.parts:
        if isinstance(part, RowsPart):
            _rows_apply(part, user)
        elif isinstance(part, NoneAppliesPart):
            none_applies_apply(part, user)
        else:
            _answers_apply(part, user)
    input_errors = editor.input_errors()
    fresh = content_after_saving(content, section)
    failures = section_failures(fresh, section) if mark_completed else []
    completed = mark_completed and not input_errors and not failures
    progress = _section_save_finish(
        assessment=content.assessment, progress=progress, user=user, completed=completed
    )
    if any(q.key in DENORMALISED_QUESTIONS for q in content.questions_by_section.get(section.pk, [])):
        denormalised_fields_refresh(assessment=content.assessment, content=fresh)
    search.documents_build_pending()  # in this commit, not in two after it
    return SectionSaveOutcome(
        progress, input_errors, failures, completed, fresh, section_after(content, section)
    )


# The answers copied onto the assessment itself, for lists, filters, reports and reminders.
DENORMALISED_QUESTIONS = (REVIEW_DATE_QUESTION, DECISION_QUESTION)


def denormalised_values(content: AssessmentContent) -> dict:
    """The assessment's own copies of its review date and decision answers, as its answers say."""
    review = content.answer_value(REVIEW_DATE_QUESTION)
    try:
        review_date = date.fromisoformat(review) if review else None
    except (TypeError, ValueError):
        review_date = None  # not a date: the rules refuse it at submission
    return {"review_date": review_date, "decision": content.answer_value(DECISION_QUESTION) or ""}


def denormalised_fields_refresh(*, assessment: Assessment, content: AssessmentContent | None = None) -> None:
    """Make the assessment's copies agree with its answers, on the row and on ``assessment``.

    Called on each save of a section that holds them, at submission, at sign-off and when a
    re-assessment copies the answers of the version before.
    """
    values = denormalised_values(content or assessment_content(assessment))
    for name, value in values.items():
        setattr(assessment, name, value)
    Assessment.objects.filter(pk=assessment.pk).update(**values)


def progress_mark_completed(*, assessment: Assessment, sections: Iterable[Section], user) -> None:
    """Record every section as completed: the assessment passed all the rules at submission,
    so none of its sections is in progress any longer."""
    SectionProgress.objects.filter(assessment=assessment).exclude(
        status=SectionProgress.Status.COMPLETED
    ).update(status=SectionProgress.Status.COMPLETED, updated_by=user)
    recorded = set(SectionProgress.objects.filter(assessment=assessment).values_list("section_id", flat=True))
    SectionProgress.objects.bulk_create(
        SectionProgress(
            assessment=assessment, section=section, status=SectionProgress.Status.COMPLETED, updated_by=user
        )
        for section in sections
        if section.pk not in recorded
    )


def assessment_move(
    *, assessment: Assessment, user, event: str, note: str = "", **changes
) -> AssessmentEvent:
    """Set and save ``changes`` on ``assessment`` (its last change moves with them) and record the
    ``event`` by ``user``, with its ``note``. Only inside the caller's transaction, which holds the
    assessment's lock: the step and its event are saved together or not at all."""
    if not transaction.get_connection().in_atomic_block:
        raise transaction.TransactionManagementError("An assessment moves only inside a transaction.")
    for field, value in changes.items():
        setattr(assessment, field, value)
    assessment.save(update_fields=[*changes, "updated_at"])
    return AssessmentEvent.objects.create(assessment=assessment, kind=event, actor=user, note=note)


@transaction.atomic
def assessment_submit(*, assessment: Assessment, user) -> Assessment:
    """Send a complete assessment for review; its framework version becomes frozen."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    ensure(Act.SUBMIT, user, assessment)
    content = assessment_content(assessment)
    failures = assessment_failures(content)
    if failures:
        raise ValidationError([failure.message for failure in failures])
    framework_version_freeze(version=assessment.framework_version)
    denormalised_fields_refresh(assessment=assessment, content=content)
    progress_mark_completed(assessment=assessment, sections=content.sections, user=user)
    assessment_move(
        assessment=assessment,
        user=user,
        event=AssessmentEvent.Kind.SUBMITTED,
        status=Assessment.Status.IN_REVIEW,
        submitted_at=timezone.now(),
    )
    assessment_notify("submitted", assessment=assessment, recipients=approvers_for(assessment), actor=user)
    return assessment
