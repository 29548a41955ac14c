"""The register's pages served to anonymous visitors from the shared cache: one read of it a page,
a new mark at every change a page shows, and nothing meant for one visitor given to another."""

import pytest
from csp.middleware import CSPMiddleware
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from assessments import lifecycle
from assessments.models import Action, Assessment
from assessments.services import assessment_submit
from assessments.signals import published_assessments_loaded
from pledges import services as pledge_services
from pledges.periods import FinancialYear
from pledges.tests.factories import make_pledge
from publication import services
from publication.caching import cached_for_anonymous
from publication.models import Publication
from publication.tests.factories import SUMMARY, signed_off, summarised
from thrive_edi.middleware import idle_message
from thrive_edi.tests.test_middleware import age_session

pytestmark = pytest.mark.django_db


def _register(client) -> str:
    return client.get(reverse("publication:register")).content.decode()


def _summary(client, assessment) -> str:
    response = client.get(reverse("publication:summary", args=[assessment.reference]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_page_served_from_the_cache_reads_it_once_and_nothing_else(
    client, published_assessment, django_assert_num_queries
):
    url = reverse("publication:summary", args=[published_assessment.reference])
    made = client.get(url)
    with django_assert_num_queries(1):
        served = client.get(url)
    assert served.content == made.content
    assert served["Content-Type"] == made["Content-Type"]


def test_a_publication_appears_on_the_cached_register_at_once(
    client, published_assessment, staff_user, approver_user, django_capture_on_commit_callbacks
):
    other = signed_off(
        summarised(staff_user, title="Warm spaces in Lewisham"), owner=staff_user, approver=approver_user
    )
    assert other.title not in _register(client)
    with django_capture_on_commit_callbacks(execute=True):
        services.publication_decide(
            assessment=other, user=approver_user, decision=Publication.Decision.SUMMARY
        )
    assert other.title in _register(client)


def test_a_withdrawal_shows_on_the_cached_summary_at_once(
    client, published_assessment, approver_user, django_capture_on_commit_callbacks
):
    assert SUMMARY["negative_findings"] in _summary(client, published_assessment)
    with django_capture_on_commit_callbacks(execute=True):
        services.publication_withdraw(
            publication=published_assessment.publication,
            user=approver_user,
            reason="An error in the figures.",
        )
    page = _summary(client, published_assessment)
    assert "An error in the figures." in page and SUMMARY["negative_findings"] not in page


def test_a_newer_version_signed_off_marks_the_cached_summary_superseded(
    client, published_assessment, staff_user, approver_user, django_capture_on_commit_callbacks
):
    assert "Superseded" not in _summary(client, published_assessment)
    new = lifecycle.assessment_reassess(assessment=published_assessment, user=staff_user)
    services.summary_save(assessment=new, user=staff_user, values=SUMMARY)
    assessment_submit(assessment=new, user=staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.assessment_sign_off(assessment=new, user=approver_user, declaration=True)
    assert "Superseded" in _summary(client, published_assessment)


def test_an_actions_follow_up_shows_on_the_cached_summary_at_once(
    client, published_assessment, staff_user, django_capture_on_commit_callbacks
):
    action = Action.objects.get(assessment=published_assessment)
    assert "In progress" not in _summary(client, published_assessment)
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.action_follow_up(
            action=action,
            user=staff_user,
            status=Action.Status.IN_PROGRESS,
            progress_notes="Two libraries agreed.",
            due_date=action.due_date,
        )
    assert "In progress" in _summary(client, published_assessment)


def test_a_published_pledge_report_appears_on_the_cached_register_at_once(
    client, approver_user, django_capture_on_commit_callbacks
):
    make_pledge(commitments=1)
    period = FinancialYear(2026)
    pledge_services.report_sign_off(period=period, user=approver_user)
    link = reverse("pledges:public_report", args=[2026])
    assert link not in _register(client)
    with django_capture_on_commit_callbacks(execute=True):
        pledge_services.report_publish(period=period, user=approver_user)
    assert link in _register(client)


def test_published_assessments_loaded_in_bulk_appear_on_the_cached_register(
    client, published_assessment, staff_user, approver_user
):
    other = signed_off(
        summarised(staff_user, title="Warm spaces in Lewisham"), owner=staff_user, approver=approver_user
    )
    assert other.title not in _register(client)
    Publication.objects.create(
        assessment=other,
        decision=Publication.Decision.SUMMARY,
        decided_at=timezone.now(),
        decided_by=approver_user,
    )
    published_assessments_loaded.send(sender=Assessment)  # as the seeder does after its bulk inserts
    assert other.title in _register(client)


def _signed_out_for_idling(client, user) -> None:
    """The visitor's next request signs them out, with a message for them alone."""
    client.force_login(user)
    client.get(reverse("home"))
    age_session(client, started_ago=3600, seen_ago=31 * 60)


def test_a_visitor_signed_out_on_the_register_sees_their_message_and_the_next_visitor_does_not(
    client, published_assessment, staff_user
):
    _signed_out_for_idling(client, staff_user)
    assert idle_message() in _register(client)
    assert idle_message() not in _register(Client())


def test_a_visitor_with_a_message_waiting_gets_it_on_a_page_already_cached(
    client, published_assessment, staff_user
):
    _register(Client())
    _signed_out_for_idling(client, staff_user)
    assert idle_message() in _register(client)
    assert idle_message() not in _register(client)  # shown once, then gone


def _anonymous_get():
    request = RequestFactory().get("/register/")
    request.user = AnonymousUser()
    CSPMiddleware(lambda request: None).process_request(request)
    return request


@pytest.mark.parametrize(
    "secret",
    [
        pytest.param(get_token, id="csrf token"),
        pytest.param(lambda request: str(request.csp_nonce), id="csp nonce"),
    ],
)
def test_a_page_made_with_a_token_or_a_nonce_is_never_stored(secret):
    made = []

    @cached_for_anonymous
    def view(request):
        made.append(secret(request))
        return HttpResponse(made[-1])

    first, second = view(_anonymous_get()), view(_anonymous_get())
    assert len(made) == 2 and first.content != second.content
