"""Who may do what to an outcome review: one rule per act, each a chain of checks that says why
it refuses, built from the predicates of ``assessments.permissions`` (roles, the people involved).

- ``may(act, user, review)``: yes or no, for a page's flags.
- ``refusal_reason(act, user, review)``: the first reason it refuses, or "".
- ``ensure(act, user, review)``: raises ``PermissionDenied`` with that reason.
"""

import operator
from enum import StrEnum
from functools import reduce

import rules
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from assessments.permissions import Act as AssessmentAct
from assessments.permissions import changes, is_involved, reads_all, reads_the_record, signs_off
from assessments.permissions import may as may_on_assessment
from outcomes.models import OutcomeReview


class OutcomeAct(StrEnum):
    VIEW = "view"
    WRITE = "write"  # save answers and send the review for sign-off
    SIGN_OFF = "sign_off"  # sign it off, or return it for changes


class Refused(StrEnum):
    """Every reason an act on an outcome review is refused, once."""

    NOT_FOUND = "No such outcome review."
    NOT_DUE = "The outcomes of this assessment cannot be reviewed yet: the review is not due."
    NOT_OPEN = (
        "This outcome review has been sent for sign-off, so it cannot be changed "
        "unless an approver returns it."
    )
    SIGNED_OFF = "This outcome review is signed off and can no longer be changed."
    NO_ROLE = "Only programme staff and approvers can write outcome reviews."
    NOT_INVOLVED = "Only the assessment's owner and collaborators can write its outcome review."
    NOT_AN_APPROVER = "Only approvers can sign off outcome reviews."
    NOT_SUBMITTED = "Only an outcome review sent for sign-off can be signed off or returned."
    SEPARATION_OF_DUTIES = (
        "You cannot sign off the outcome review of an assessment you own or collaborate on: "
        "another approver must sign it off."
    )


@rules.predicate
def sees_the_assessment(user, review: OutcomeReview) -> bool:
    return may_on_assessment(AssessmentAct.VIEW, user, review.assessment)


@rules.predicate
def is_signed_off(_, review: OutcomeReview) -> bool:
    return review.status == OutcomeReview.Status.SIGNED_OFF


@rules.predicate
def is_due(_, review: OutcomeReview) -> bool:
    return review.due_on <= timezone.localdate()


@rules.predicate
def is_open(_, review: OutcomeReview) -> bool:
    return review.status in OutcomeReview.OPEN_STATUSES


@rules.predicate
def is_submitted(_, review: OutcomeReview) -> bool:
    return review.status == OutcomeReview.Status.SUBMITTED


@rules.predicate
def involved_in_the_assessment(user, review: OutcomeReview) -> bool:
    return is_involved(user, review.assessment)


def _not_open(review: OutcomeReview) -> Refused:
    return Refused.SIGNED_OFF if review.status == OutcomeReview.Status.SIGNED_OFF else Refused.NOT_OPEN


CHECKS = {
    OutcomeAct.VIEW: (
        (sees_the_assessment, Refused.NOT_FOUND),
        (reads_all | (reads_the_record & is_signed_off), Refused.NOT_FOUND),
    ),
    OutcomeAct.WRITE: (
        (is_open, _not_open),
        (changes, Refused.NO_ROLE),
        (involved_in_the_assessment, Refused.NOT_INVOLVED),
        (is_due, Refused.NOT_DUE),
    ),
    OutcomeAct.SIGN_OFF: (
        (signs_off, Refused.NOT_AN_APPROVER),
        (is_submitted, Refused.NOT_SUBMITTED),
        (~involved_in_the_assessment, Refused.SEPARATION_OF_DUTIES),
    ),
}

RULES = rules.RuleSet()
for _act, _checks in CHECKS.items():
    RULES.add_rule(_act, reduce(operator.and_, (predicate for predicate, _ in _checks)))


def refusal_reason(act: OutcomeAct, user, review: OutcomeReview) -> str:
    for predicate, reason in CHECKS[act]:
        if not predicate.test(user, review):
            return reason if isinstance(reason, Refused) else reason(review)
    return ""


def may(act: OutcomeAct, user, review: OutcomeReview) -> bool:
    return RULES.test_rule(act, user, review)


def ensure(act: OutcomeAct, user, review: OutcomeReview) -> None:
    reason = refusal_reason(act, user, review)
    if reason:
        raise PermissionDenied(reason)


def flags_for(user, review: OutcomeReview) -> dict[str, bool]:
    return {f"may_{act}": may(act, user, review) for act in OutcomeAct}
