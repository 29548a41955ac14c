from assessments.filters import owner_options_forget
from assessments.fragments import kept_fragments_forget
from assessments.models import (
    ASSESSMENT_ROW_MODELS,
    Action,
    Answer,
    Assessment,
    AssessmentEvent,
    Evidence,
    ReviewComment,
    Screening,
)
from assessments.screening_summary import screening_answers
from thrive_edi.people import NAME_FIELDS
from thrive_edi.roles import Role, has_role

QUEUE_ON_HOME_PAGE = 10


def review_queue(sender, request, **kwargs) -> dict:
    """On an approver's home page: the assessments waiting for their review, oldest first."""
    if not has_role(request.user, Role.APPROVER):
        return {}
    waiting = (
        Assessment.objects.waiting_for_review_by(request.user)
        .select_related("owner")
        .order_by("submitted_at", "pk")
    )
    return {
        "review_queue": list(waiting[:QUEUE_ON_HOME_PAGE]),
        "review_queue_count": waiting.count(),
        "screenings_to_confirm": screenings_to_confirm(request.user),
    }


def screenings_to_confirm(user) -> list[Assessment]:
    """Screenings sent for confirmation that the approver may confirm (not their own), oldest first."""
    collaborating = Assessment.collaborators.through.objects.filter(user=user).values("assessment_id")
    return list(
        Assessment.objects.filter(
            screening_status=Assessment.Screening.SENT, status__in=Assessment.EDITABLE_STATUSES
        )
        .exclude(owner=user)
        .exclude(pk__in=collaborating)
        .select_related("owner")
        .order_by("updated_at", "pk")[:QUEUE_ON_HOME_PAGE]
    )


def _assessment_line(assessment: Assessment) -> dict:
    return {
        "reference": assessment.reference,
        "title": assessment.title,
        "status": assessment.get_status_display(),
        "created_at": assessment.created_at,
    }


def personal_data(sender, user, **kwargs) -> dict:
    """What assessments hold about a person: what they own, work on, saved (screenings included),
    reviewed and decided."""
    answers = Answer.objects.filter(updated_by=user).select_related("assessment", "question__section")
    other_rows = [
        {
            "kind": model._meta.verbose_name,
            "assessment": row.assessment.reference,
            "row": str(row),
            "updated_at": row.updated_at,
        }
        for model in ASSESSMENT_ROW_MODELS
        if model is not Answer
        for row in model.objects.filter(updated_by=user).select_related("assessment").order_by("pk")
    ]
    return {
        "assessments_owned": [_assessment_line(a) for a in Assessment.objects.filter(owner=user)],
        "assessments_collaborating": [
            _assessment_line(a) for a in Assessment.objects.filter(collaborators=user)
        ],
        "assessments_signed_off": [
            {**_assessment_line(a), "signed_off_at": a.signed_off_at}
            for a in Assessment.objects.filter(signed_off_by=user)
        ],
        "answers_saved": [
            {
                "assessment": answer.assessment.reference,
                "section": answer.question.section.title,
                "question": answer.question.text,
                "answer": answer.value,
                "saved_at": answer.updated_at,
            }
            for answer in answers.order_by("pk")
        ],
        "rows_saved": other_rows,
        "screenings_saved": [
            {
                "assessment": screening.assessment.reference,
                "answers": [
                    {"question": item.question, "answer": item.answer}
                    for item in screening_answers(screening)
                ],
                "saved_at": screening.updated_at,
            }
            for screening in Screening.objects.filter(updated_by=user)
            .select_related("assessment")
            .prefetch_related("groups")
            .order_by("pk")
        ],
        "actions_owned": [
            {
                "assessment": action.assessment.reference,
                "issue": action.issue,
                "action": action.action,
                "due_date": action.due_date,
                "status": action.get_status_display(),
                "progress_notes": action.progress_notes,
            }
            for action in Action.objects.filter(owner=user).select_related("assessment").order_by("pk")
        ],
        "review_comments": [
            {
                "assessment": comment.assessment.reference,
                "section": comment.section.title if comment.section else None,
                "text": comment.text,
                "created_at": comment.created_at,
                "resolved_at": comment.resolved_at,
            }
            for comment in ReviewComment.objects.filter(author=user).select_related("assessment", "section")
        ],
        "evidence_added": [
            {
                "assessment": item.assessment.reference,
                "title": item.title,
                "file_name": item.file_name,
                "url": item.url,
                "added_at": item.added_at,
            }
            for item in Evidence.objects.filter(added_by=user).select_related("assessment").order_by("pk")
        ],
        "assessment_decisions": [
            {
                "assessment": event.assessment.reference,
                "decision": event.get_kind_display(),
                "at": event.at,
                "note": event.note,
            }
            for event in AssessmentEvent.objects.filter(actor=user).select_related("assessment")
        ],
    }


def forget_rendered_names(sender, user, **kwargs) -> None:
    """A person was erased: the kept parts of signed-off pages may still show their old name."""
    kept_fragments_forget()


def forget_names_on_rename(sender, instance, created, update_fields=None, raw=False, **kwargs) -> None:
    """A person's row was saved with their name perhaps changed (an admin's edit, their own):
    the kept parts may show the old one. A save of other fields only (the last sign-in) keeps them."""
    if raw or created:
        return
    if update_fields is None or set(update_fields) & set(NAME_FIELDS):
        kept_fragments_forget()
        owner_options_forget()


# What a save of an assessment's row may change in the owner filter's options: who owns it, and
# its status (the board's options are the owners of signed-off assessments).
OWNER_OPTION_FIELDS = {"owner", "owner_id", "status"}


def owners_changed(sender, instance, created=False, update_fields=None, raw=False, **kwargs) -> None:
    """An assessment created, deleted, or saved with its owner or status perhaps changed: the
    owner filter's kept options are read again (``filters.owner_options``)."""
    if raw:
        return
    if created or update_fields is None or set(update_fields) & OWNER_OPTION_FIELDS:
        owner_options_forget()
