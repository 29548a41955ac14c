"""The whole portfolio's kept counts: changed by each sign-off, read by the unfiltered dashboard."""

import threading
from functools import partial
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
from frameworks.services import framework_version_copy, framework_version_publish
from reporting.filters import framework_items
from reporting.insight import ASSESSMENTS, count_portfolio, latest_signed_off
from reporting.models import Portfolio, PortfolioCount
from reporting.portfolio import kept_counts, portfolio_add, portfolio_count_once, portfolio_recount

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


def test_a_reassessment_under_a_new_framework_version_moves_its_counts_to_the_new_keys(staff_user, sign_off):
    first = sign_off(filled(staff_user))
    new_version = framework_version_copy(version=first.framework_version, label="2030/31")
    Characteristic.objects.filter(version=new_version, key="nrpf").update(key="no_public_funds")
    framework_version_publish(version=new_version)
    reassessment = lifecycle.assessment_reassess(assessment=first, user=staff_user)
    assert reassessment.framework_version == new_version
    sign_off(fill_assessment(reassessment, user=staff_user))
    kept = kept_counts()
    assert kept == fresh_counts()
    assert kept[("impacts", "no_public_funds", Impact.NEUTRAL)] == 1
    assert ("impacts", "nrpf", Impact.NEUTRAL) not in kept


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
    out = StringIO()
    call_command("recount_portfolio", "--check", stdout=out)
    counted_at = Portfolio.objects.get().counted_at
    assert f"The kept counts match a fresh count (last counted afresh: {counted_at})" in out.getvalue()


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
    counted = portfolio_recount()
    kept = kept_counts()
    assert kept == counted
    assert kept[("participation", None, "highest")] == 1
    assert kept[("participation", "", "entries")] == 1


def in_thread(work) -> threading.Thread:
    def run():
        try:
            work()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def sign_off_in_thread(assessment, approver) -> threading.Thread:
    return in_thread(
        partial(lifecycle.assessment_sign_off, assessment=assessment, user=approver, declaration=True)
    )


class HeldSignOff:
    """A sign-off held inside its transaction, just after its counts were added, until let go."""

    def __init__(self, assessment, approver):
        self.assessment, self.approver = assessment, approver
        self.reached, self.release = threading.Event(), threading.Event()

    def _hold(self, assessment, **kwargs):
        if assessment.pk == self.assessment.pk:
            self.reached.set()
            self.release.wait(timeout=10)

    def __enter__(self):
        assessment_signing_off.connect(self._hold, dispatch_uid="test.hold")
        self.thread = sign_off_in_thread(self.assessment, self.approver)
        assert self.reached.wait(timeout=10)
        return self

    def __exit__(self, *exc):
        self.release.set()
        self.thread.join(timeout=10)
        assessment_signing_off.disconnect(dispatch_uid="test.hold")


def submitted(owner, **fields) -> Assessment:
    assessment = filled(owner, **fields)
    services.assessment_submit(assessment=assessment, user=owner)
    return assessment


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_two_sign_offs_at_once_both_count(staff_user, approver_user):
    """The second sign-off waits for the first to commit before reading the kept counts, so
    neither writes over the other's additions."""
    first, second = submitted(staff_user), submitted(staff_user, race=Impact.POSITIVE)
    with HeldSignOff(first, approver_user) as held:
        waiting = sign_off_in_thread(second, approver_user)
        waiting.join(timeout=1)
        assert waiting.is_alive()  # waiting for the first sign-off's lock
        held.release.set()
        waiting.join(timeout=10)
    assert Assessment.objects.filter(status=Assessment.Status.SIGNED_OFF).count() == 2
    kept = kept_counts()
    assert kept == fresh_counts()
    assert kept[ASSESSMENTS] == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_a_sign_off_during_the_first_count_is_counted(staff_user, approver_user):
    """A sign-off before the portfolio was ever counted adds nothing; the first count, which
    waits for it, includes it."""
    PortfolioCount.objects.all().delete()  # never counted, as just after the upgrade's migration
    assessment = submitted(staff_user)
    with HeldSignOff(assessment, approver_user) as held:
        counting = in_thread(portfolio_count_once)
        counting.join(timeout=1)
        assert counting.is_alive()  # waiting for the sign-off's lock
        held.release.set()
        counting.join(timeout=10)
    kept = kept_counts()
    assert kept == fresh_counts()
    assert kept[ASSESSMENTS] == 1


@pytest.mark.django_db(transaction=True)
def test_a_flushed_database_is_counted_again():
    call_command("flush", interactive=False, verbosity=0)
    assert Portfolio.objects.get().counted_at is not None
    assert kept_counts() == {}
