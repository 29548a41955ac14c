"""Home pages and the Advisory Board: feedback waiting for a response; for board members, what
was signed off since their last visit and the responses to their feedback."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment
from assessments.tests.factories import fill_assessment, make_assessment
from reporting import services
from reporting.models import BoardFeedback
from thrive_edi.models import Preferences

pytestmark = pytest.mark.django_db

HOME = reverse("home")


def test_staff_see_board_feedback_waiting_for_their_response(client, signed_off, staff_user, board_user):
    waiting = services.feedback_add(
        assessment=signed_off, user=board_user, kind="comment", text="Who was asked?"
    )
    answered = services.feedback_add(assessment=signed_off, user=board_user, kind="comment", text="Why now?")
    services.feedback_respond(feedback=answered, user=staff_user, response="Because of the winter.")
    client.force_login(staff_user)

    response = client.get(HOME)

    assert [item.pk for item in response.context["feedback_to_respond_to"]] == [waiting.pk]
    assert f"#feedback-{waiting.pk}" in response.content.decode()


def test_board_members_see_what_was_signed_off_since_their_last_visit(
    client, board_user, staff_user, sign_off, signed_off
):
    client.force_login(board_user)
    first = client.get(HOME)
    assert [a.pk for a in first.context["newly_signed_off"]] == [signed_off.pk]
    stored = Preferences.objects.get(user=board_user).last_visit_at
    assert stored is not None
    # The same visit (session) keeps showing it.
    assert [a.pk for a in client.get(HOME).context["newly_signed_off"]] == [signed_off.pk]

    # A later visit shows only what was signed off after the visit before it. That visit is
    # now, after the first sign-off: a moment a fixed time ago could fall before it on a fast run.
    visited = timezone.now()
    assert signed_off.signed_off_at < visited
    Preferences.objects.filter(user=board_user).update(last_visit_at=visited)
    later = sign_off(fill_assessment(make_assessment(staff_user, title="Later"), user=staff_user))
    client.logout()
    client.force_login(board_user)

    response = client.get(HOME)

    assert [a.pk for a in response.context["newly_signed_off"]] == [later.pk]
    assert later.title in response.content.decode()


def test_board_members_see_responses_to_their_feedback(
    client, board_user, signed_off, staff_user, user_factory
):
    from thrive_edi.roles import Role

    theirs = services.feedback_add(
        assessment=signed_off, user=board_user, kind="comment", text="Who was asked?"
    )
    other_member = user_factory(username="frank", role=Role.BOARD)
    others = services.feedback_add(assessment=signed_off, user=other_member, kind="comment", text="Why?")
    services.feedback_respond(feedback=theirs, user=staff_user, response="The youth panel.")
    services.feedback_respond(feedback=others, user=staff_user, response="Winter.")
    client.force_login(board_user)

    response = client.get(HOME)

    assert [item.pk for item in response.context["new_responses"]] == [theirs.pk]
    assert "The youth panel." in response.content.decode()


def test_board_home_reads_a_fixed_number_of_queries(
    client, board_user, staff_user, sign_off, django_assert_max_num_queries
):
    def add(count):
        for number in range(count):
            assessment = sign_off(
                fill_assessment(make_assessment(staff_user, title=f"P{number}"), user=staff_user)
            )
            feedback = services.feedback_add(
                assessment=assessment, user=board_user, kind="comment", text="Why?"
            )
            services.feedback_respond(feedback=feedback, user=staff_user, response="Because.")

    def queries():
        client.logout()
        client.force_login(board_user)
        Preferences.objects.filter(user=board_user).update(last_visit_at=timezone.now() - timedelta(days=1))
        client.get(HOME)
        with django_assert_max_num_queries(8) as captured:
            response = client.get(HOME)
        return response, len(captured)

    add(1)
    _, few = queries()
    add(4)
    response, many = queries()
    assert len(response.context["newly_signed_off"]) == 5
    assert len(response.context["new_responses"]) == 5
    assert Assessment.objects.filter(status="signed_off").count() == 5
    assert BoardFeedback.objects.count() == 5
    assert few == many


def test_staff_home_with_board_feedback_reads_a_fixed_number_of_queries(
    client, staff_user, board_user, sign_off, django_assert_max_num_queries
):
    client.force_login(staff_user)

    def add(count):
        for number in range(count):
            assessment = sign_off(
                fill_assessment(make_assessment(staff_user, title=f"P{number}"), user=staff_user)
            )
            services.feedback_add(assessment=assessment, user=board_user, kind="comment", text="Why?")

    def queries():
        client.get(HOME)
        with django_assert_max_num_queries(9) as captured:
            response = client.get(HOME)
        return response, len(captured)

    add(1)
    _, few = queries()
    add(3)
    response, many = queries()
    assert len(response.context["feedback_to_respond_to"]) == 4
    assert few == many
