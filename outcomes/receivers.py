"""How outcome reviews hook into assessments: the sign-off form's date, scheduling at sign-off,
the reminders, the assessment's page and timeline, the home page and the re-assessment."""

from datetime import timedelta

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from assessments.models import Answer, Assessment
from assessments.notifications import assessment_notify, team_of
from assessments.permissions import Act
from assessments.permissions import may as may_on_assessment
from frameworks.models import Question
from outcomes import selectors, services
from outcomes.forms import OutcomeDueForm
from outcomes.models import ActionOutcome, ImpactOutcome, OutcomeEvent, OutcomeReview
from outcomes.permissions import OutcomeAct, flags_for, may
from thrive_edi.roles import Role, has_role

# The re-assessment's evidence question that the earlier version's outcome review starts.
EVIDENCE_SECTION, EVIDENCE_QUESTION = "evidence", "sources"
DEFAULT_WAIT = timedelta(days=365)


def default_due_on(assessment: Assessment):
    return assessment.review_date or timezone.localdate() + DEFAULT_WAIT


def reviews_outcomes(assessment: Assessment) -> bool:
    """An outcome review compares what happened with what the assessment predicted for each group
    and with its actions. A "no assessment needed" decision predicted nothing and has no actions:
    there is nothing to review, and asking for a review would bring back the burden the screening
    spared. If the activity turns out to affect people after all, it is re-assessed."""
    return not assessment.needs_no_assessment


def outcome_due_form(sender, assessment, user, data, **kwargs) -> OutcomeDueForm | None:
    """On the sign-off page, beside the declaration: when the outcomes can be reviewed."""
    if not reviews_outcomes(assessment):
        return None
    return OutcomeDueForm(data, default=default_due_on(assessment))


def schedule_on_sign_off(sender, assessment, **kwargs) -> None:
    """Within the sign-off's transaction: schedule the outcome review on the review date, unless
    the approver chose a date on the sign-off page (``OutcomeDueForm``, applied just before)."""
    if not reviews_outcomes(assessment):
        return
    services.outcome_review_schedule(
        assessment=assessment, due_on=default_due_on(assessment), user=assessment.signed_off_by
    )


def send_reminders(sender, today, **kwargs) -> int:
    """Remind the team of each outcome review that has become due, once."""
    sent = 0
    due = OutcomeReview.objects.due_by(today).filter(reminded_on__isnull=True)
    for review in due.select_related("assessment__owner").prefetch_related("assessment__collaborators"):
        with transaction.atomic():
            # Recorded before it is sent, by a conditional update: two runs never both send it.
            if not OutcomeReview.objects.filter(pk=review.pk, reminded_on__isnull=True).update(
                reminded_on=today
            ):
                continue
            assessment = review.assessment
            assessment_notify(
                "outcome_review_due",
                assessment=assessment,
                recipients=team_of(assessment),
                at_once=True,
                review=review,
            )
        sent += 1
    return sent


def outcome_panel(sender, request, assessment, **kwargs):
    """On the assessment's page: its outcome review, or the earlier version's on a re-assessment."""
    user = request.user
    review = selectors.review_of(assessment) if assessment.is_frozen else None
    previous = selectors.previous_signed_off_review(assessment)
    if review is not None and not may(OutcomeAct.VIEW, user, review):
        review = None
    if review is None and previous is None:
        return None
    return render_to_string(
        "outcomes/_panel.html",
        {
            "assessment": assessment,
            "review": review,
            "flags": flags_for(user, review) if review else {},
            "today": timezone.localdate(),
            "previous": previous,
        },
        request=request,
    )


def timeline_entries(sender, assessment, user, **kwargs) -> list[tuple]:
    if not may_on_assessment(Act.READ_WORKINGS, user, assessment) or not assessment.is_frozen:
        return []
    return [
        (event.at, event.get_kind_display(), event.actor, event.note)
        for event in selectors.timeline_of(assessment)
    ]


def reviews_due_home(sender, request, **kwargs) -> dict:
    user = request.user
    context = {}
    if has_role(user, Role.STAFF) or has_role(user, Role.APPROVER):
        context["shows_outcome_reviews_due"] = True
        context["outcome_reviews_due"] = selectors.reviews_due_for(user)
    if has_role(user, Role.APPROVER):
        context["outcome_reviews_to_sign_off"] = selectors.reviews_waiting_for_sign_off(user)
    return context


def outcomes_as_evidence(sender, previous, assessment, user, **kwargs) -> None:
    """Within the re-assessment's transaction: the earlier version's signed-off outcome review
    starts the new draft's evidence."""
    review = selectors.previous_signed_off_review(assessment)
    if review is None:
        return
    question = Question.objects.filter(
        version=assessment.framework_version, section__key=EVIDENCE_SECTION, key=EVIDENCE_QUESTION
    ).first()
    if question is None:
        return
    text = render_to_string("outcomes/evidence.txt", {"review": review, **_rows(review)}).strip()
    answer = Answer.objects.filter(assessment=assessment, question=question).first()
    if answer is None:
        Answer.objects.create(assessment=assessment, question=question, value=text, updated_by=user)
    else:
        answer.value = f"{text}\n\n{answer.value or ''}".strip()
        answer.updated_by = user
        answer.save()


def _rows(review: OutcomeReview) -> dict:
    impacts, actions = selectors.review_rows(review)
    return {"impacts": impacts, "actions": actions}


def personal_data(sender, user, **kwargs) -> dict:
    """What outcome reviews hold about a person: the reviews they sent or signed off, every
    answer they saved (with what they wrote), and the steps they took. Erasure needs nothing of
    its own here: pages name people through their account, and a signed review keeps the names
    it was signed off with, as a signed assessment does."""
    reviews = OutcomeReview.objects.select_related("assessment")
    return {
        "outcome_reviews_sent": [
            {"assessment": review.assessment.reference, "submitted_at": review.submitted_at}
            for review in reviews.filter(submitted_by=user).order_by("pk")
        ],
        "outcome_reviews_signed_off": [
            {
                "assessment": review.assessment.reference,
                "signed_off_at": review.signed_off_at,
                "sha256": review.sha256,
            }
            for review in reviews.filter(signed_off_by=user).order_by("pk")
        ],
        "outcome_answers_saved": [
            *(
                {
                    "kind": "predicted impact",
                    "assessment": row.review.assessment.reference,
                    "group": row.characteristic_name,
                    "predicted": row.predicted_label,
                    "what_happened": row.get_result_display() if row.result else "",
                    "evidence": row.evidence,
                    "updated_at": row.updated_at,
                }
                for row in ImpactOutcome.objects.filter(updated_by=user)
                .select_related("review__assessment")
                .order_by("pk")
            ),
            *(
                {
                    "kind": "action",
                    "assessment": row.review.assessment.reference,
                    "action": row.action.action or row.action.issue,
                    "done": row.get_done_display() if row.done else "",
                    "worked": row.get_worked_display() if row.worked else "",
                    "note": row.note,
                    "updated_at": row.updated_at,
                }
                for row in ActionOutcome.objects.filter(updated_by=user)
                .select_related("review__assessment", "action")
                .order_by("pk")
            ),
        ],
        # The answers about the work as a whole, as last saved by them.
        "outcome_reviews_written": [
            {
                "assessment": review.assessment.reference,
                "challenges": review.challenges,
                "sustainability": review.sustainability,
                "what_the_people_involved_said": review.voices,
                "updated_at": review.updated_at,
            }
            for review in reviews.filter(updated_by=user).order_by("pk")
        ],
        "outcome_review_steps": [
            {
                "assessment": event.review.assessment.reference,
                "step": event.get_kind_display(),
                "at": event.at,
            }
            for event in OutcomeEvent.objects.filter(actor=user).select_related("review__assessment")
        ],
    }
