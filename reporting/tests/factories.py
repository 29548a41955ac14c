"""What the reporting tests build: assessments made in bulk as the seeder makes them, taken
through sign-off, rated and placed, and snapshots changed behind the application's back."""

import itertools
from datetime import timedelta

from django.db import connection
from django.utils import timezone

from assessments import lifecycle, services
from assessments.models import (
    Action,
    Assessment,
    ImpactRating,
    ParticipationEntry,
    PrincipleAlignment,
    Snapshot,
)
from assessments.signals import published_assessments_loaded
from assessments.tests.factories import add_action, fill_assessment, make_assessment
from frameworks.models import FrameworkVersion
from frameworks.scales import (
    ActivityType,
    Decision,
    EvidenceConfidence,
    Impact,
    ParticipationLevel,
    PrincipleAlignmentLevel,
)
from places.models import LocalAuthority

NEWHAM, HACKNEY, CAMDEN = "E09000025", "E09000012", "E09000007"

_numbers = itertools.count(1)


def portfolio(
    owner,
    count: int,
    *,
    title="Bulk assessment",
    impact=Impact.NEUTRAL,
    status=Assessment.Status.SIGNED_OFF,
    **fields,
):
    """``count`` assessments made in bulk under the current version, each rated on every
    characteristic and principle, with one participation entry and one overdue action."""
    version = FrameworkVersion.objects.current()
    today = timezone.localdate()
    defaults = {
        "activity_type": ActivityType.PROGRAMME,
        "decision": Decision.NO_MAJOR_CHANGE,
        "review_date": today + timedelta(days=200),
    }
    assessments = Assessment.objects.bulk_create(
        Assessment(
            reference=f"EIA-2099-{next(_numbers):04d}",
            title=f"{title} {index}",
            owner=owner,
            framework_version=version,
            **{**defaults, **fields},
        )
        for index in range(count)
    )
    characteristics = list(version.characteristics.all())
    ImpactRating.objects.bulk_create(
        ImpactRating(
            assessment=a,
            characteristic=c,
            impact=impact,
            confidence=EvidenceConfidence.HIGH,
            data_gap=False,
            evidence="A survey.",
        )
        for a in assessments
        for c in characteristics
    )
    PrincipleAlignment.objects.bulk_create(
        PrincipleAlignment(assessment=a, principle=p, alignment=PrincipleAlignmentLevel.EMERGING)
        for a in assessments
        for p in version.principles.all()
    )
    ParticipationEntry.objects.bulk_create(
        ParticipationEntry(assessment=a, who="Residents", level=ParticipationLevel.CONSULTED)
        for a in assessments
    )
    actions = Action.objects.bulk_create(
        Action(
            assessment=a,
            issue="An issue.",
            action="An action.",
            owner=owner,
            due_date=today - timedelta(days=3),
        )
        for a in assessments
    )
    Action.characteristics.through.objects.bulk_create(
        Action.characteristics.through(action_id=action.pk, characteristic_id=characteristics[0].pk)
        for action in actions
    )
    Assessment.objects.filter(pk__in=[a.pk for a in assessments]).update(
        status=status, signed_off_at=timezone.now() if status in Assessment.FROZEN_STATUSES else None
    )
    published_assessments_loaded.send(sender=Assessment)  # as the seeder does after its bulk inserts
    return [a.pk for a in assessments]


def take_through_sign_off(owner, approver, *, overdue_action=False, **fields) -> Assessment:
    """A whole assessment taken through submission and sign-off."""
    assessment = fill_assessment(make_assessment(owner, **fields), user=owner)
    if overdue_action:
        add_action(assessment, due_date=timezone.localdate() - timedelta(days=1))
    services.assessment_submit(assessment=assessment, user=owner)
    lifecycle.assessment_sign_off(assessment=assessment, user=approver, declaration=True)
    assessment.refresh_from_db()
    return assessment


def rate(pks, key: str, **values) -> None:
    """Change the rating of one characteristic in assessments that are not signed off yet."""
    ImpactRating.objects.filter(assessment__in=pks, characteristic__key=key).update(**values)


def place(pks, *codes) -> None:
    """Link assessments made in bulk (signed off already) to local authorities, as the seeder does."""
    through = Assessment.local_authorities.through
    through.objects.bulk_create(
        through(assessment_id=pk, localauthority=authority)
        for pk in pks
        for authority in LocalAuthority.objects.filter(gss_code__in=codes)
    )


def tamper(snapshot: Snapshot, old: str = "An answer to", new: str = "A changed answer to") -> None:
    """Change a snapshot's document behind the application's back, as a database edit would."""
    assert old in snapshot.document
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE assessments_snapshot SET document = %s WHERE id = %s",
            [snapshot.document.replace(old, new, 1), snapshot.pk],
        )
