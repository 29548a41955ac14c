"""Who may do what to an assessment: one rule per action, each a chain of checks that says
why it refuses, read by the views, the services and the pages' flags alike.

The rules are ``rules`` predicates over ``(user, assessment)`` (``(user, action)`` for the
follow-up of an action). What a role may do in general is the Django permission its group
holds (``assessments.review_assessment``, ``assessments.sign_off_assessment``, ...), read by
``grants`` from the roles loaded with the user; what the assessment's state and the people
involved allow is checked here on top.

- ``may(act, user, obj)``: yes or no, for a page's flags.
- ``refusal_reason(act, user, obj)``: the first reason it refuses (``Refused``), or "".
- ``ensure(act, user, obj)``: raises ``PermissionDenied`` with that reason, for views and services.

Every lookup of an assessment by reference goes through ``get_assessment_for_user``, so that
a guessed reference gives 404, never someone else's data.
"""

import operator
from collections.abc import Callable
from enum import StrEnum
from functools import reduce

import rules
from django.core.exceptions import PermissionDenied
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404

from assessments.models import Assessment
from assessments.refusals import Refused
from thrive_edi.roles import Role, role_grants, user_roles


class Act(StrEnum):
    VIEW = "view"
    EDIT = "edit"
    SUBMIT = "submit"
    REVIEW = "review"  # the approver review: read for review, comment, request changes
    COMMENT = "comment"  # reply to or resolve a review comment
    SIGN_OFF = "sign_off"
    WITHDRAW = "withdraw"
    REASSESS = "reassess"  # start a re-assessment
    FOLLOW_UP = "follow_up"  # update an action's progress; checked on the action
    READ_WORKINGS = "read_workings"  # the review comments and the history of the drafts
    SCREEN = "screen"  # answer the screening and send it for confirmation
    CONFIRM_SCREENING = "confirm_screening"  # confirm the screening's decision or return it


def grants(permission: str) -> rules.Predicate:
    """The user's role grants ``permission`` ("app_label.codename")."""
    return rules.Predicate(lambda user: role_grants(user, permission), name=f"grants {permission}")


changes = grants("assessments.change_assessment")
reviews = grants("assessments.review_assessment")
signs_off = grants("assessments.sign_off_assessment")
reads_all = grants("assessments.view_assessment")


@rules.predicate
def reads_the_record(user) -> bool:
    """The Advisory Board and admins read signed-off assessments."""
    return bool(user_roles(user) & {Role.BOARD, Role.ADMIN})


@rules.predicate
def is_involved(user, assessment: Assessment) -> bool:
    """The owner or a collaborator. The collaborators are read once per assessment object,
    however many rules ask, unless they were read with its signature
    (``collaborator_pks``, ``overview.read_signature``)."""
    if assessment.owner_id == user.pk:
        return True
    if hasattr(assessment, "collaborator_pks"):
        return user.pk in assessment.collaborator_pks
    prefetch_related_objects([assessment], "collaborators")
    return any(person.pk == user.pk for person in assessment.collaborators.all())


@rules.predicate
def is_owner(user, assessment: Assessment) -> bool:
    return assessment.owner_id == user.pk


@rules.predicate
def is_published(_, assessment: Assessment) -> bool:
    return assessment.is_frozen


@rules.predicate
def is_editable(_, assessment: Assessment) -> bool:
    return assessment.is_editable


@rules.predicate
def is_in_review(_, assessment: Assessment) -> bool:
    return assessment.status == Assessment.Status.IN_REVIEW


@rules.predicate
def comments_open(_, assessment: Assessment) -> bool:
    return not (assessment.is_frozen or assessment.status == Assessment.Status.WITHDRAWN)


@rules.predicate
def is_signed_off(_, assessment: Assessment) -> bool:
    return assessment.status == Assessment.Status.SIGNED_OFF


@rules.predicate
def not_reassessed_yet(_, assessment: Assessment) -> bool:
    return assessment.live_next_version is None


@rules.predicate
def screening_open(_, assessment: Assessment) -> bool:
    return assessment.screening_status in (Assessment.Screening.IN_PROGRESS, Assessment.Screening.RETURNED)


@rules.predicate
def screening_sent(_, assessment: Assessment) -> bool:
    return assessment.screening_status == Assessment.Screening.SENT


@rules.predicate
def screening_settled(_, assessment: Assessment) -> bool:
    """Not screened (created before screening existed), or its screening confirmed."""
    return assessment.screening_status in (Assessment.Screening.NOT_SCREENED, Assessment.Screening.CONFIRMED)


@rules.predicate
def is_action_owner(user, action) -> bool:
    return action.owner_id == user.pk


@rules.predicate
def on_the_team_of_the_action(user, action) -> bool:
    return is_involved(user, action.assessment)


@rules.predicate
def action_open_to_follow_up(_, action) -> bool:
    return action.assessment.is_editable or action.assessment.is_frozen


_BY_STATUS = {
    Assessment.Status.SIGNED_OFF: Refused.SIGNED_OFF,
    Assessment.Status.SUPERSEDED: Refused.SUPERSEDED,
    Assessment.Status.IN_REVIEW: Refused.IN_REVIEW,
    Assessment.Status.WITHDRAWN: Refused.WITHDRAWN,
}


def state_refusal(assessment: Assessment) -> Refused:
    """Why an assessment in its state can no longer be changed, by anyone."""
    return _BY_STATUS.get(assessment.status, Refused.SIGNED_OFF)


Reason = Refused | Callable[[object], Refused]

# The checks of each action, in the order they are asked: the first that fails gives the
# reason. The state comes first where it holds for everyone.
_EDIT = ((is_editable, state_refusal), (changes, Refused.NO_ROLE), (is_involved, Refused.NOT_INVOLVED))
_REVIEW = ((reviews, Refused.NOT_AN_APPROVER), (is_in_review, Refused.NOT_IN_REVIEW))
CHECKS: dict[Act, tuple[tuple[rules.Predicate, Reason], ...]] = {
    Act.VIEW: ((reads_all | (reads_the_record & is_published), Refused.NOT_FOUND),),
    Act.EDIT: _EDIT,
    Act.SUBMIT: (*_EDIT, (screening_settled, Refused.SCREENING_NOT_CONFIRMED)),
    Act.REVIEW: _REVIEW,
    Act.COMMENT: (
        (is_involved | reviews, Refused.NOT_IN_THE_CONVERSATION),
        (comments_open, Refused.COMMENTS_CLOSED),
    ),
    Act.SIGN_OFF: (
        *_REVIEW,
        (signs_off, Refused.NOT_AN_APPROVER),
        (~is_involved, Refused.SEPARATION_OF_DUTIES),
    ),
    Act.WITHDRAW: ((is_editable, state_refusal), (is_owner, Refused.NOT_THE_OWNER)),
    Act.REASSESS: (
        (is_signed_off, Refused.NOT_SIGNED_OFF),
        (not_reassessed_yet, Refused.ALREADY_REASSESSING),
        (reviews | (changes & is_involved), Refused.REASSESS_NOT_INVOLVED),
    ),
    Act.FOLLOW_UP: (
        (is_action_owner | on_the_team_of_the_action, Refused.NOT_ON_THE_ACTION),
        (action_open_to_follow_up, Refused.ACTION_LOCKED),
    ),
    Act.READ_WORKINGS: ((reads_all, Refused.HISTORY_NOT_FOR_THE_BOARD),),
    Act.SCREEN: (*_EDIT, (screening_open, Refused.SCREENING_NOT_OPEN)),
    Act.CONFIRM_SCREENING: (
        (reviews, Refused.NOT_AN_APPROVER),
        (signs_off, Refused.NOT_AN_APPROVER),
        (is_editable, state_refusal),
        (screening_sent, Refused.NO_SCREENING_TO_CONFIRM),
        (~is_involved, Refused.SEPARATION_OF_DUTIES_SCREENING),
    ),
}

# The same rules as one ``rules`` predicate each, for code that asks only yes or no.
RULES = rules.RuleSet()
for _act, _checks in CHECKS.items():
    RULES.add_rule(_act, reduce(operator.and_, (predicate for predicate, _ in _checks)))


def refusal_reason(act: Act, user, obj) -> str:
    """Why ``user`` may not do ``act`` to ``obj`` (an assessment, or an action for
    ``FOLLOW_UP``), or "" when they may."""
    for predicate, reason in CHECKS[act]:
        if not predicate.test(user, obj):
            return reason if isinstance(reason, Refused) else reason(obj)
    return ""


def may(act: Act, user, obj) -> bool:
    return RULES.test_rule(act, user, obj)


def ensure(act: Act, user, obj) -> None:
    reason = refusal_reason(act, user, obj)
    if reason:
        raise PermissionDenied(reason)


def may_create(user) -> bool:
    return role_grants(user, "assessments.add_assessment")


def may_review(user) -> bool:
    """Whether the user's role reviews assessments (which ones are waiting is the list's to say)."""
    return role_grants(user, "assessments.review_assessment")


def get_assessment_for_user(user, reference: str, queryset=None) -> Assessment:
    """The assessment ``user`` may view (``Act.VIEW``), found by its reference, or 404."""
    if "\x00" in reference:  # no reference holds one, and PostgreSQL refuses it in a query
        raise Http404("No such assessment.")
    queryset = Assessment.objects.select_related("framework_version") if queryset is None else queryset
    return get_object_or_404(queryset.visible_to(user), reference=reference)


# The flags an assessment's page shows its links and buttons by, each the answer of one rule.
PAGE_FLAGS = {
    "may_edit": Act.EDIT,
    "may_submit": Act.SUBMIT,
    "may_screen": Act.SCREEN,
    "may_confirm_screening": Act.CONFIRM_SCREENING,
    "may_review": Act.REVIEW,
    "may_sign_off": Act.SIGN_OFF,
    "may_withdraw": Act.WITHDRAW,
    "may_reassess": Act.REASSESS,
    "may_read_history": Act.READ_WORKINGS,
    "may_answer_comments": Act.COMMENT,
}


def flags_for(user, assessment: Assessment) -> dict[str, bool]:
    return {flag: may(act, user, assessment) for flag, act in PAGE_FLAGS.items()}
