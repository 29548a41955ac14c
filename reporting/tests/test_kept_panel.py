"""The Advisory Board's feedback on a signed-off assessment's page is read once, then kept until
feedback is given or answered."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reporting import services
from reporting.models import BoardFeedback


def _page(client, assessment) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("assessments:detail", args=[assessment.reference]))
    assert response.status_code == 200
    return response.content.decode(), [query["sql"] for query in queries.captured_queries]


def test_the_board_feedback_on_the_page_is_kept_until_feedback_is_given_or_answered(
    client, staff_user, board_user, signed_off, django_capture_on_commit_callbacks
):
    client.force_login(staff_user)
    _page(client, signed_off)
    page, queries = _page(client, signed_off)
    assert "No feedback from the board yet." in page
    assert not any('"reporting_boardfeedback"' in sql for sql in queries)

    with django_capture_on_commit_callbacks(execute=True):
        feedback = services.feedback_add(
            assessment=signed_off,
            user=board_user,
            kind=BoardFeedback.Kind.COMMENT,
            text="Ask the Somali groups.",
        )
    assert "Ask the Somali groups." in _page(client, signed_off)[0]

    with django_capture_on_commit_callbacks(execute=True):
        services.feedback_respond(feedback=feedback, user=staff_user, response="We met them in May.")
    assert "We met them in May." in _page(client, signed_off)[0]
