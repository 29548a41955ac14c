"""Pledges, commitments and a seeded record of work for the Pledge progress report's tests."""

import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from assessments.models import (
    Action,
    Assessment,
    AssessmentEvent,
    ImpactRating,
    ParticipationEntry,
    Screening,
)
from assessments.tests.factories import make_assessment
from frameworks.scales import Impact, ParticipationLevel
from places.models import LocalAuthority
from pledges import services
from pledges.models import ActionCommitment, AssessmentCommitment, Commitment, Pledge, PledgeVersion
from reporting.models import BoardFeedback

LONDON = ZoneInfo("Europe/London")
COMMITMENT_TEXT = "Example commitment: written for the tests, not the partnership's words."


def make_pledge(
    name="Example pledge", *, commitments=3, starts_on=datetime.date(2024, 4, 1)
) -> PledgeVersion:
    """A published pledge version with numbered example commitments."""
    pledge = Pledge.objects.create(name=name)
    version = PledgeVersion.objects.create(pledge=pledge, label="1", introduction="Example introduction.")
    for number in range(1, commitments + 1):
        Commitment.objects.create(
            version=version,
            number=number,
            name=f"Example commitment {number}",
            text=COMMITMENT_TEXT,
            starts_on=starts_on,
        )
    return services.pledge_version_publish(version=version)


def london(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=LONDON)


# When each seeded assessment was signed off (None: not signed off), in turn: inside 2026/27 at
# its first and last moments, just outside it at both ends, and in the middle.
SIGN_OFF_MOMENTS = (
    london(2026, 4, 1, 0, 0),
    london(2027, 3, 31, 23, 59),
    london(2026, 3, 31, 23, 59),
    london(2027, 4, 1, 0, 0),
    london(2026, 9, 15, 10, 0),
    None,
    london(2026, 11, 2, 9, 30),
)
ACTION_PLAN = (
    # (status, due date)
    (Action.Status.DONE, datetime.date(2026, 6, 1)),
    (Action.Status.OPEN, datetime.date(2026, 7, 1)),
    (Action.Status.IN_PROGRESS, datetime.date(2027, 2, 1)),
    (Action.Status.DROPPED, datetime.date(2026, 10, 1)),
    (Action.Status.DONE, datetime.date(2027, 5, 1)),
    (Action.Status.OPEN, datetime.date(2026, 4, 1)),
)
RUNGS = [level for level, _ in ParticipationLevel.choices] + [""]
# The screenings of the seeded work, in turn: (decision, where it stands, when that happened).
# "No assessment needed" is confirmed and signed off at the assessment's sign-off (sent only,
# where it is not signed off); None: not screened.
SCREENING_PLAN = (
    (Assessment.Scope.NONE, Assessment.Screening.CONFIRMED, None),
    (Assessment.Scope.FULL, Assessment.Screening.CONFIRMED, london(2026, 5, 10, 11, 0)),
    (Assessment.Scope.PROPORTIONATE, Assessment.Screening.CONFIRMED, london(2026, 3, 31, 23, 59)),
    (Assessment.Scope.FULL, Assessment.Screening.RETURNED, london(2026, 6, 1, 9, 0)),
    None,
    (Assessment.Scope.PROPORTIONATE, Assessment.Screening.CONFIRMED, london(2027, 1, 5, 14, 0)),
)
# Where the seeded work takes place, in turn: London-wide, or local authorities by name.
PLACE_PLAN = (True, ["Newham"], ["Newham", "Hackney"], [], ["Croydon"])


def _screen(assessment: Assessment, i: int, signed_off_at, approver) -> None:
    plan = SCREENING_PLAN[i % len(SCREENING_PLAN)]
    if plan is None:
        return
    decision, status, at = plan
    if decision == Assessment.Scope.NONE:
        status = Assessment.Screening.CONFIRMED if signed_off_at else Assessment.Screening.SENT
        at = signed_off_at
    Screening.objects.create(assessment=assessment, who="Young Londoners", decision=decision)
    Assessment.objects.filter(pk=assessment.pk).update(scope=decision, screening_status=status)
    kind = {
        Assessment.Screening.CONFIRMED: AssessmentEvent.Kind.SCREENING_CONFIRMED,
        Assessment.Screening.RETURNED: AssessmentEvent.Kind.SCREENING_RETURNED,
    }.get(status)
    if kind:
        event = AssessmentEvent.objects.create(assessment=assessment, kind=kind, actor=approver)
        AssessmentEvent.objects.filter(pk=event.pk).update(at=at)


def _place(assessment: Assessment, i: int) -> None:
    plan = PLACE_PLAN[i % len(PLACE_PLAN)]
    if plan is True:
        Assessment.objects.filter(pk=assessment.pk).update(london_wide=True)
    else:
        assessment.local_authorities.set(LocalAuthority.objects.filter(name__in=plan))


def seed_record(owner, approver, board, commitments: list[Commitment], count: int) -> list[Assessment]:
    """``count`` assessments of varied shape, linked to the commitments in turn (some to two),
    some of their actions linked to commitments of their own, board feedback on some, screenings
    decided and confirmed (or not) at various times, and places of their own."""
    made = []
    for i in range(count):
        assessment = make_assessment(owner, title=f"Seeded work {i}")
        ratings = list(ImpactRating.objects.filter(assessment=assessment).order_by("pk"))
        for j, rating in enumerate(ratings[: 2 + i % 5]):
            rating.impact = (Impact.POSITIVE, Impact.NEGATIVE, Impact.UNKNOWN)[j % 3]
            rating.save(update_fields=["impact"])
        for j in range(i % 4):
            ParticipationEntry.objects.create(
                assessment=assessment,
                who=f"Group {j}",
                level=RUNGS[(i + j) % len(RUNGS)],
                paid=(i + j) % 3 == 0,
            )
        actions = []
        for j in range(i % 5):
            status, due = ACTION_PLAN[(i + j) % len(ACTION_PLAN)]
            actions.append(
                Action.objects.create(
                    assessment=assessment, action=f"Action {j}", owner=owner, status=status, due_date=due
                )
            )
        served = [commitments[i % len(commitments)]]
        if i % 3 == 0 and len(commitments) > 1:
            served.append(commitments[(i + 1) % len(commitments)])
        for commitment in served:
            AssessmentCommitment.objects.create(assessment=assessment, commitment=commitment)
        if actions and i % 2 == 0:
            ActionCommitment.objects.create(
                action=actions[0], commitment=commitments[(i + 2) % len(commitments)]
            )
        moment = SIGN_OFF_MOMENTS[i % len(SIGN_OFF_MOMENTS)]
        _screen(assessment, i, moment, approver)
        _place(assessment, i)
        if moment is not None:
            status = Assessment.Status.SUPERSEDED if i % 6 == 4 else Assessment.Status.SIGNED_OFF
            Assessment.objects.filter(pk=assessment.pk).update(status=status, signed_off_at=moment)
        for j in range(i % 3):
            feedback = BoardFeedback.objects.create(assessment=assessment, text=f"Feedback {j}", author=board)
            given = (london(2026, 5, 1), london(2026, 2, 1), london(2027, 1, 20))[(i + j) % 3]
            answered = {"response": "Done.", "responded_by": owner, "responded_at": timezone.now()}
            BoardFeedback.objects.filter(pk=feedback.pk).update(
                created_at=given, **(answered if (i + j) % 2 else {})
            )
        made.append(assessment)
    return made
