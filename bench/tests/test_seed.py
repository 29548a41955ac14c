import json
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError
from django.db import connection
from django.utils import timezone

from assessments.models import (
    Action,
    Answer,
    Assessment,
    AssessmentEvent,
    DutyContribution,
    ImpactRating,
    IntersectionalImpact,
    ParticipationEntry,
    PrincipleAlignment,
    ReferenceCounter,
    ReviewComment,
    Screening,
    SectionProgress,
    Snapshot,
)
from assessments.rules import impacts_without_action
from assessments.screening_summary import SCREENING_KEY
from assessments.selectors import assessment_content
from assessments.snapshots import canonical_json, fingerprint, snapshot_document
from bench.seed import Seeder, seed_demo
from bench.seed_plan import SCREENED_FOR_DAYS
from frameworks.models import FrameworkVersion

pytestmark = pytest.mark.django_db


def seed(n: int, **options) -> None:
    seed_demo(assessments=n, force=True, **options)


def test_seeding_is_refused_with_debug_off_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        seed_demo(assessments=5)
    assert not Assessment.objects.exists()


def test_seeding_runs_with_debug_on(settings):
    settings.DEBUG = True
    seed_demo(assessments=3)
    assert Assessment.objects.count() == 3


def test_every_status_is_seeded_with_complete_rows():
    seed(30)
    assessments = Assessment.objects.all()
    assert assessments.count() == 30
    assert set(assessments.values_list("status", flat=True)) == set(Assessment.Status.values)
    version = FrameworkVersion.objects.current()
    characteristics = version.characteristics.count()
    questions = version.questions.count()
    for assessment in assessments:
        assert ImpactRating.objects.filter(assessment=assessment).count() == characteristics
        assert PrincipleAlignment.objects.filter(assessment=assessment).count() == version.principles.count()
        assert DutyContribution.objects.filter(assessment=assessment).count() == 5
        if assessment.status in (Assessment.Status.DRAFT, Assessment.Status.WITHDRAWN):
            continue
        assert Answer.objects.filter(assessment=assessment).count() == questions
        assert not ImpactRating.objects.filter(assessment=assessment, impact="").exists()
        assert IntersectionalImpact.objects.filter(assessment=assessment).exists()
        assert ParticipationEntry.objects.filter(assessment=assessment).exists()
        assert Action.objects.filter(assessment=assessment).exists()
        assert SectionProgress.objects.filter(assessment=assessment).count() == version.sections.count()
        assert AssessmentEvent.objects.filter(assessment=assessment, kind="submitted").exists()
        assert ReviewComment.objects.filter(assessment=assessment).exists()
        assert impacts_without_action(assessment_content(assessment)) == []


def test_signed_off_and_superseded_assessments_have_the_snapshot_a_sign_off_makes():
    seed(30)
    frozen = Assessment.objects.filter(status__in=Assessment.FROZEN_STATUSES)
    assert frozen.count() == Snapshot.objects.count() > 0
    for assessment in frozen.select_related("snapshot", "signed_off_by"):
        snapshot = assessment.snapshot
        assert fingerprint(snapshot.document) == snapshot.sha256
        made_now = snapshot_document(
            assessment_content(assessment),
            signed_off_by=assessment.signed_off_by,
            signed_off_at=assessment.signed_off_at,
        )
        assert canonical_json(made_now) == snapshot.document
        assert assessment.signed_off_by_id != assessment.owner_id
    for old in Assessment.objects.filter(status=Assessment.Status.SUPERSEDED):
        assert old.live_next_version.status == Assessment.Status.SIGNED_OFF
        assert old.live_next_version.version_number == old.version_number + 1
    assert FrameworkVersion.objects.current().is_frozen


def test_references_are_unique_and_the_counters_move_on():
    seed(30)
    references = list(Assessment.objects.values_list("reference", flat=True))
    assert len(set(references)) == 30
    for counter in ReferenceCounter.objects.all():
        issued = [r for r in references if r.startswith(f"EIA-{counter.year}-")]
        assert counter.last_number == max(int(r.rsplit("-", 1)[1]) for r in issued)


def test_running_twice_adds_nothing_and_a_larger_number_adds_the_difference():
    seed(30)
    seed(30)
    assert Assessment.objects.count() == 30
    seed(45)
    assert Assessment.objects.count() == 45
    assert Assessment.objects.values("reference").distinct().count() == 45


def test_signed_off_adds_signed_off_assessments_up_to_the_number_asked():
    seed(10, signed_off=12)
    assert Assessment.objects.filter(status=Assessment.Status.SIGNED_OFF).count() == 12


def test_seeded_users_get_the_password_given_or_none():
    seed(5)
    assert not get_user_model().objects.get(username="seed-staff-01").has_usable_password()
    seed(5, password="a-long-benchmark-password")
    for username in ("seed-staff-01", "seed-approver-01", "seed-board-01"):
        assert get_user_model().objects.get(username=username).check_password("a-long-benchmark-password")


def test_the_benchmark_parses_its_options_and_adds_only_its_own_pages():
    """The benchmark itself runs outside the suite (python bench/run.py); its parts load here."""
    import subprocess
    import sys
    from pathlib import Path

    from django.urls import resolve

    from bench import run, urls

    root = Path(run.__file__).resolve().parent.parent
    shown = subprocess.run(
        [sys.executable, "bench/run.py", "--help"], cwd=root, capture_output=True, text=True, timeout=60
    )
    assert shown.returncode == 0 and "--quick" in shown.stdout
    quick = run.arguments(["--quick"])
    assert quick.assessments == 1000 and quick.users <= 20
    assert run.arguments([]).assessments == 5000
    # The shared cache as deployed: Redis, in a database of the benchmark's own.
    assert run.arguments([]).cache_url == "redis://127.0.0.1:6379/3"
    with pytest.raises(SystemExit, match="Redis does not answer"):
        run.empty_cache("redis://127.0.0.1:1/3")
    with pytest.raises(SystemExit):
        run.Database("postgres://postgres@127.0.0.1:5432/thrive_edi")  # never a database it did not make
    assert resolve("/bench/trivial/", urlconf=urls).func is urls.trivial
    assert resolve("/bench/dashboard-cached/", urlconf=urls).func is urls.dashboard_cached
    # The same answer open without signing in, for the public register's pages.
    assert resolve("/bench/trivial/public/", urlconf=urls).func is urls.public_trivial
    assert getattr(urls.trivial, "login_required", True)
    assert len(urls.urlpatterns) == len(__import__("thrive_edi.urls").urls.urlpatterns) + 3


@pytest.mark.skipif(connection.vendor != "postgresql", reason="planner statistics are PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_seeding_leaves_postgresql_with_current_row_estimates_and_all_visible_pages():
    """Bulk inserts leave the planner's estimates behind, and pages that an index-only scan
    cannot trust until a vacuum; the seeder vacuums and analyses, as autovacuum would in time."""
    Seeder().seed(assessments=12)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples, relallvisible FROM pg_class WHERE relname = %s", ["assessments_impactrating"]
        )
        (estimate, all_visible) = cursor.fetchone()
    assert estimate == ImpactRating.objects.count() > 0
    assert all_visible > 0


def test_seeded_assessments_take_place_somewhere_and_reassessments_where_their_last_version_did():
    seed(30)
    assessments = list(Assessment.objects.prefetch_related("local_authorities"))
    places = {a.pk: (a.london_wide, {x.gss_code for x in a.local_authorities.all()}) for a in assessments}
    assert all(london_wide != bool(codes) for london_wide, codes in places.values())
    assert any(london_wide for london_wide, _ in places.values())
    assert any(len(codes) > 1 for _, codes in places.values())
    for assessment in assessments:
        if assessment.previous_id:
            assert places[assessment.pk] == places[assessment.previous_id]


def test_assessments_created_since_screening_came_in_start_with_a_confirmed_screening():
    seed(40)
    seeded = Assessment.objects.prefetch_related("events")
    screened = [a for a in seeded if a.is_screened]
    assert {a.status for a in screened} >= {Assessment.Status.DRAFT, Assessment.Status.SIGNED_OFF}
    assert any(not a.is_screened for a in seeded)  # older work predates screening
    year_ago = timezone.now() - timedelta(days=SCREENED_FOR_DAYS)
    for assessment in seeded:
        assert assessment.is_screened == (assessment.created_at >= year_ago)
    for assessment in screened:
        screening = Screening.objects.get(assessment=assessment)
        assert assessment.screening_status == Assessment.Screening.CONFIRMED
        assert assessment.scope == screening.decision == Assessment.Scope.FULL
        assert screening.who and screening.justification and screening.groups.exists()
        kinds = [event.kind for event in sorted(assessment.events.all(), key=lambda e: e.at)]
        assert kinds[:2] == [AssessmentEvent.Kind.SCREENING_SENT, AssessmentEvent.Kind.SCREENING_CONFIRMED]
        confirmer = assessment.events.get(kind=AssessmentEvent.Kind.SCREENING_CONFIRMED).actor
        assert confirmer != assessment.owner and confirmer not in assessment.collaborators.all()
        assert screening.history.count() == 1
    signed = next(a for a in screened if a.status == Assessment.Status.SIGNED_OFF)
    document = json.loads(signed.snapshot.document)
    assert document["sections"][0]["key"] == SCREENING_KEY
