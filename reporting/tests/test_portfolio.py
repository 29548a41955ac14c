"""The whole portfolio's kept counts: changed by each sign-off, read by the unfiltered dashboard."""

import threading
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import lifecycle, services
from assessments.models import Assessment, ImpactRating, ParticipationEntry
from assessments.signals import assessment_signing_off
from assessments.tests.factories import fill_assessment, make_assessment
from frameworks.models import Characteristic, Principle
from frameworks.scales import Decision, Impact, ParticipationLevel
from reporting.filters import framework_items
from reporting.insight import ASSESSMENTS, count_portfolio, latest_signed_off
from reporting.models import PortfolioCount
from reporting.portfolio import kept_counts, portfolio_add, recount_portfolio

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("reporting:dashboard")
COUNTED_TABLES = (
    "assessments_impactrating",
    "assessments_principlealignment",
    "assessments_participationentry",
)


def fresh_counts():
    return count_portfolio(
        latest_signed_off(),
        characteristics=framework_items(Characteristic),
        principles=framework_items(Principle),
    )


def filled(owner, *, race=Impact.NEUTRAL, **fields) -> Assessment:
    assessment = fill_assessment(make_assessment(owner, **fields), user=owner)
    ImpactRating.objects.filter(assessment=assessment, characteristic__key="race").update(impact=race)
    return assessment


def test_each_sign_off_adds_its_assessments_counts(staff_user, sign_off):
    sign_off(filled(staff_user))
    sign_off(filled(staff_user, race=Impact.POSITIVE))
    kept = kept_counts()
    assert kept == fresh_counts()
    assert kept[ASSESSMENTS] == 2
    assert kept[("impacts", "race", Impact.POSITIVE)] == 1
    assert kept[("impacts", "race", Impact.NEUTRAL)] == 1
    assert kept[("participation", ParticipationLevel.CO_PRODUCED, "highest")] == 2


def test_a_reassessment_replaces_the_counts_of_the_version_it_supersedes(staff_user, sign_off):
    first = sign_off(filled(staff_user))
    new = fill_assessment(lifecycle.assessment_reassess(assessment=first, user=staff_user), user=staff_user)
    ImpactRating.objects.filter(assessment=new, characteristic__key="race").update(
        impact=Impact.SIGNIFICANT_POSITIVE
    )
    sign_off(new)
    first.refresh_from_db()
    assert first.status == Assessment.Status.SUPERSEDED
    kept = kept_counts()
    assert kept == fresh_counts()
    assert kept[ASSESSMENTS] == 1
    assert ("impacts", "race", Impact.NEUTRAL) not in kept
    assert kept[("impacts", "race", Impact.SIGNIFICANT_POSITIVE)] == 1
    # The re-assessment carried its participation entry over and added one of its own.
    assert kept[("participation", ParticipationLevel.CO_PRODUCED, "entries")] == 2


def test_a_sign_off_that_fails_leaves_the_counts_as_they_were(staff_user, approver_user, sign_off):
    sign_off(filled(staff_user))
    before = kept_counts()
    assessment = filled(staff_user, race=Impact.POSITIVE)
    services.assessment_submit(assessment=assessment, user=staff_user)

    def fail(**kwargs):
        raise RuntimeError("the sign-off fails after the counts were changed")

    assessment_signing_off.connect(fail, dispatch_uid="test.fail")
    try:
        with pytest.raises(RuntimeError):
            lifecycle.assessment_sign_off(assessment=assessment, user=approver_user, declaration=True)
    finally:
        assessment_signing_off.disconnect(dispatch_uid="test.fail")
    assert kept_counts() == before
    assert Assessment.objects.get(pk=assessment.pk).status == Assessment.Status.IN_REVIEW


def test_the_whole_portfolio_is_read_from_the_kept_counts_and_a_filtered_one_counted(
    client, staff_user, sign_off
):
    sign_off(filled(staff_user))
    sign_off(filled(staff_user, race=Impact.POSITIVE))
    client.force_login(staff_user)
    with CaptureQueriesContext(connection) as whole:
        kept = client.get(DASHBOARD).context["figures"]
    with CaptureQueriesContext(connection) as filtered:
        counted = client.get(DASHBOARD + "?signed_off_from=2000-01-01").context["figures"]
    assert not any(table in query["sql"] for query in whole for table in COUNTED_TABLES)
    assert all(any(table in query["sql"] for query in filtered) for table in COUNTED_TABLES)
    for name in ("impacts", "data_gaps", "principles", "participation", "decisions"):
        assert getattr(kept, name) == getattr(counted, name)
    assert kept.assessment_count == counted.assessment_count == 2
    assert kept.impacts.count("race", Impact.POSITIVE) == 1


def test_a_wrong_filter_alone_shows_the_whole_portfolio(client, staff_user, sign_off):
    sign_off(filled(staff_user, decision=Decision.ADJUST))
    client.force_login(staff_user)
    response = client.get(DASHBOARD + "?signed_off_from=31-31-2026")
    assert response.status_code == 200
    assert response.context["figures"].assessment_count == 1
    assert "Enter a real date" in response.text or "Enter a valid date" in response.text


def test_recount_portfolio_finds_and_mends_counts_that_went_wrong(staff_user, sign_off):
    sign_off(filled(staff_user))
    call_command("recount_portfolio", "--check", stdout=StringIO())  # nothing to report
    PortfolioCount.objects.filter(figure="impacts", row="race").update(count=7)
    PortfolioCount.objects.filter(figure="decisions").delete()
    with pytest.raises(CommandError) as error:
        call_command("recount_portfolio", "--check", stdout=StringIO())
    assert "impacts / race / neutral: kept 7, counted 1" in str(error.value)
    assert "decisions" in str(error.value)
    out = StringIO()
    call_command("recount_portfolio", stdout=out)
    assert "Counted 1 signed-off assessments" in out.getvalue()
    assert kept_counts() == fresh_counts()
    call_command("recount_portfolio", "--check", stdout=StringIO())


def test_a_portfolio_never_counted_is_counted_live_until_migrate_counts_it(client, staff_user, sign_off):
    PortfolioCount.objects.all().delete()  # as in a database from before the counts were kept
    assessment = sign_off(filled(staff_user))
    assert not PortfolioCount.objects.exists()  # the sign-off adds to nothing it cannot trust
    assert portfolio_add(assessment=assessment) is False
    client.force_login(staff_user)
    assert client.get(DASHBOARD).context["figures"].assessment_count == 1
    call_command("migrate", verbosity=0)
    assert kept_counts() == fresh_counts()
    assert kept_counts()[ASSESSMENTS] == 1


def test_the_row_of_assessments_without_participation_is_kept_apart_from_unrecorded_levels(staff_user):
    """Older records may hold a participation entry without a level; the rules ask for one now."""
    unrecorded = filled(staff_user)
    ParticipationEntry.objects.filter(assessment=unrecorded).update(level="")
    Assessment.objects.filter(pk=unrecorded.pk).update(status=Assessment.Status.SIGNED_OFF)
    counted = recount_portfolio()
    kept = kept_counts()
    assert kept == counted
    assert kept[("participation", None, "highest")] == 1
    assert kept[("participation", "", "entries")] == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_two_sign_offs_at_once_both_count(staff_user, approver_user):
    """The second sign-off waits for the first to commit before reading the kept counts, so
    neither writes over the other's additions."""
    first, second = filled(staff_user), filled(staff_user, race=Impact.POSITIVE)
    for assessment in (first, second):
        services.assessment_submit(assessment=assessment, user=staff_user)
    first_counted, release = threading.Event(), threading.Event()

    def hold_the_first(assessment, **kwargs):
        if assessment.pk == first.pk:
            first_counted.set()
            release.wait(timeout=10)  # still inside the first sign-off's transaction

    def sign_off(assessment):
        try:
            lifecycle.assessment_sign_off(assessment=assessment, user=approver_user, declaration=True)
        finally:
            connections.close_all()

    assessment_signing_off.connect(hold_the_first, dispatch_uid="test.hold")
    try:
        threads = [threading.Thread(target=sign_off, args=(first,))]
        threads[0].start()
        assert first_counted.wait(timeout=10)
        threads.append(threading.Thread(target=sign_off, args=(second,)))
        threads[1].start()
        threads[1].join(timeout=1)
        assert threads[1].is_alive()  # waiting for the first sign-off's lock
        release.set()
        for thread in threads:
            thread.join(timeout=10)
    finally:
        release.set()
        assessment_signing_off.disconnect(dispatch_uid="test.hold")
    assert Assessment.objects.filter(status=Assessment.Status.SIGNED_OFF).count() == 2
    kept = kept_counts()
    assert kept == fresh_counts()
    assert kept[ASSESSMENTS] == 2
