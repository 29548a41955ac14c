"""What a signed-off assessment's page shows of its publication is read once, then kept until
a write to the publication's rows commits."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from publication import services
from publication.models import Publication


def _page(client, assessment) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("assessments:detail", args=[assessment.reference]))
    assert response.status_code == 200
    return response.content.decode(), [query["sql"] for query in queries.captured_queries]


def test_the_publication_panel_and_timeline_are_kept_until_the_publication_changes(
    client, staff_user, approver_user, published_assessment, django_capture_on_commit_callbacks
):
    assessment = published_assessment
    client.force_login(approver_user)
    _first, first_queries = _page(client, assessment)
    again, again_queries = _page(client, assessment)
    assert any('"publication_' in sql for sql in first_queries)
    assert not any('"publication_' in sql for sql in again_queries)
    assert "0 waiting for moderation" in again and "Easy Read version of 3 points" in again

    with django_capture_on_commit_callbacks(execute=True):
        services.feedback_add(assessment=assessment, text="Could the sessions run on Saturdays?")
    assert "1 waiting for moderation" in _page(client, assessment)[0]

    publication = Publication.objects.get(assessment=assessment)
    with django_capture_on_commit_callbacks(execute=True):
        services.publication_withdraw(
            publication=publication, user=approver_user, reason="Replaced by a new plan."
        )
    page = _page(client, assessment)[0]
    assert "Withdrawn on" in page
    assert page.count("Replaced by a new plan.") == 2  # in the panel and in the timeline
