"""Who may view, write and sign off an outcome review, in every state: the whole matrix, and a
reason for each refusal."""

from datetime import timedelta

import pytest
from django.utils import timezone

from outcomes.models import OutcomeReview
from outcomes.permissions import CHECKS, OutcomeAct, Refused, may, refusal_reason
from thrive_edi.roles import Role

S = OutcomeReview.Status
# (person, state) -> the acts allowed. "later": not due yet, not started.
EXPECTED = {
    ("owner", "later"): {"view"},
    ("owner", S.NOT_STARTED): {"view", "write"},
    ("owner", S.IN_PROGRESS): {"view", "write"},
    ("owner", S.SUBMITTED): {"view"},
    ("owner", S.SIGNED_OFF): {"view"},
    ("staff", S.IN_PROGRESS): {"view"},
    ("staff", S.SIGNED_OFF): {"view"},
    ("approver", "later"): {"view"},
    ("approver", S.IN_PROGRESS): {"view"},
    ("approver", S.SUBMITTED): {"view", "sign_off"},
    ("approver", S.SIGNED_OFF): {"view"},
    ("board", S.SUBMITTED): set(),
    ("board", S.SIGNED_OFF): {"view"},
    ("admin", S.SUBMITTED): set(),
    ("admin", S.SIGNED_OFF): {"view"},
}


@pytest.fixture
def people(staff_user, other_approver, board_user, admin_user_with_role, user_factory):
    return {
        "owner": staff_user,
        "staff": user_factory(username="frank", role=Role.STAFF),
        "approver": other_approver,
        "board": board_user,
        "admin": admin_user_with_role,
    }


def _in_state(review, state):
    today = timezone.localdate()
    due_on = today + timedelta(days=10) if state == "later" else today - timedelta(days=1)
    status = S.NOT_STARTED if state == "later" else state
    OutcomeReview.objects.filter(pk=review.pk).update(status=status, due_on=due_on)
    fresh = OutcomeReview.objects.select_related("assessment").get(pk=review.pk)
    return fresh


def test_the_permission_matrix(signed, people):
    review = signed.outcome_review
    for (person, state), allowed in EXPECTED.items():
        current = _in_state(review, state)
        for act in OutcomeAct:
            answer = may(act, people[person], current)
            assert answer == (act in allowed), (person, state, act)
            reason = refusal_reason(act, people[person], current)
            assert bool(reason) != answer
            assert not reason or reason in set(Refused)


def test_every_act_has_checks():
    assert set(CHECKS) == set(OutcomeAct)
