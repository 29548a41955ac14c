"""The Advisory Board's feedback on a signed-off assessment's page is read once, then kept until
feedback is given or answered."""

from assessments.tests.factories import detail_page
from reporting import services
from reporting.models import BoardFeedback


def test_the_board_feedback_on_the_page_is_kept_until_feedback_is_given_or_answered(
    client, staff_user, board_user, signed_off, django_capture_on_commit_callbacks
):
    client.force_login(staff_user)
    detail_page(client, signed_off)
    page, queries = detail_page(client, signed_off)
    assert "No feedback from the board yet." in page
    assert not any('"reporting_boardfeedback"' in sql for sql in queries)

    with django_capture_on_commit_callbacks(execute=True):
        feedback = services.feedback_add(
            assessment=signed_off,
            user=board_user,
            kind=BoardFeedback.Kind.COMMENT,
            text="Ask the Somali groups.",
        )
    assert "Ask the Somali groups." in detail_page(client, signed_off)[0]

    with django_capture_on_commit_callbacks(execute=True):
        services.feedback_respond(feedback=feedback, user=staff_user, response="We met them in May.")
    assert "We met them in May." in detail_page(client, signed_off)[0]
