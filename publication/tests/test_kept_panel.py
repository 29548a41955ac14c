"""What a signed-off assessment's page shows of its publication is read once, then kept until
a write to the publication's rows commits."""

from assessments.tests.factories import detail_page
from publication import services
from publication.models import Publication


def test_the_publication_panel_and_timeline_are_kept_until_the_publication_changes(
    client, staff_user, approver_user, published_assessment, django_capture_on_commit_callbacks
):
    assessment = published_assessment
    client.force_login(approver_user)
    _first, first_queries = detail_page(client, assessment)
    again, again_queries = detail_page(client, assessment)
    assert any('"publication_' in sql for sql in first_queries)
    assert not any('"publication_' in sql for sql in again_queries)
    assert "0 waiting for moderation" in again and "Easy Read version of 3 points" in again

    with django_capture_on_commit_callbacks(execute=True):
        services.feedback_add(assessment=assessment, text="Could the sessions run on Saturdays?")
    assert "1 waiting for moderation" in detail_page(client, assessment)[0]

    publication = Publication.objects.get(assessment=assessment)
    with django_capture_on_commit_callbacks(execute=True):
        services.publication_withdraw(
            publication=publication, user=approver_user, reason="Replaced by a new plan."
        )
    page = detail_page(client, assessment)[0]
    assert "Withdrawn on" in page
    assert page.count("Replaced by a new plan.") == 2  # in the panel and in the timeline
