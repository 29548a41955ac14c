"""The home page of each role lists what waits for that person, in a fixed number of queries."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import lifecycle, services
from assessments.models import Assessment, ReviewComment
from assessments.tests.factories import add_action, fill_assessment, make_assessment
from frameworks.models import Section

pytestmark = pytest.mark.django_db

HOME = reverse("home")


def _returned(owner, approver, *, title="Peer support in Newham", comments=1):
    assessment = fill_assessment(make_assessment(owner, title=title), user=owner)
    services.assessment_submit(assessment=assessment, user=owner)
    section = Section.objects.filter(version=assessment.framework_version).order_by("order").first()
    for number in range(comments):
        lifecycle.comment_add(
            assessment=assessment, user=approver, text=f"Say who was asked, point {number}.", section=section
        )
    lifecycle.assessment_request_changes(assessment=assessment, user=approver, reason="See the comments.")
    return assessment


def _home_queries(client, django_assert_max_num_queries, budget):
    client.get(HOME)  # the first request of a session writes the session
    with django_assert_max_num_queries(budget) as captured:
        response = client.get(HOME)
    assert response.status_code == 200
    return response, len(captured)


def test_staff_see_returned_assessments_comments_and_actions_due(client, staff_user, approver_user):
    returned = _returned(staff_user, approver_user, comments=2)
    today = timezone.localdate()
    overdue = add_action(returned, action="Ask the youth panel.", due_date=today - timedelta(days=2))
    add_action(returned, action="Later work.", due_date=today + timedelta(days=30))
    add_action(returned, action="Finished work.", due_date=today, status="done")
    client.force_login(staff_user)

    response = client.get(HOME)

    assert [a.reference for a in response.context["returned"]] == [returned.reference]
    assert response.context["returned"][0].open_comments == 2
    assert len(response.context["comments_to_address"]) == 2
    assert [a.pk for a in response.context["actions_due"]] == [overdue.pk]
    html = response.content.decode()
    assert "Say who was asked, point 1." in html
    assert "Ask the youth panel." in html
    assert "Overdue" in html


def test_a_resolved_comment_no_longer_waits(client, staff_user, approver_user):
    returned = _returned(staff_user, approver_user)
    comment = ReviewComment.objects.get(assessment=returned)
    lifecycle.comment_resolve(comment=comment, user=staff_user)
    client.force_login(staff_user)

    response = client.get(HOME)

    assert response.context["comments_to_address"] == []
    assert response.context["returned"][0].open_comments == 0


def test_someone_elses_work_does_not_wait_for_staff(client, staff_user, user_factory, approver_user):
    from thrive_edi.roles import Role

    other = user_factory(username="erin", role=Role.STAFF)
    _returned(other, approver_user)
    client.force_login(staff_user)

    response = client.get(HOME)

    assert response.context["returned"] == []
    assert response.context["comments_to_address"] == []
    assert "No assessment of yours is waiting for changes." in response.content.decode()


def test_staff_home_reads_a_fixed_number_of_queries(
    client, staff_user, approver_user, django_assert_max_num_queries
):
    client.force_login(staff_user)
    today = timezone.localdate()

    def add(count):
        for number in range(count):
            returned = _returned(staff_user, approver_user, title=f"Programme {number}")
            add_action(returned, due_date=today)

    add(1)
    _, few = _home_queries(client, django_assert_max_num_queries, 9)
    add(4)
    response, many = _home_queries(client, django_assert_max_num_queries, 9)
    assert len(response.context["returned"]) == 5
    assert len(response.context["actions_due"]) == 5
    assert few == many


def test_approvers_see_what_waits_for_their_review_in_a_fixed_number_of_queries(
    client, staff_user, approver_user, django_assert_max_num_queries
):
    client.force_login(approver_user)

    def submit(count):
        for number in range(count):
            assessment = fill_assessment(
                make_assessment(staff_user, title=f"Programme {number}"), user=staff_user
            )
            services.assessment_submit(assessment=assessment, user=staff_user)

    # The review queue, screenings to confirm and outcome reviews waiting for sign-off, and what
    # waits in the approver's own work (returned assessments and screenings, comments, actions
    # due, outcome reviews due): each list one query, however long.
    budget = 12
    submit(1)
    _, few = _home_queries(client, django_assert_max_num_queries, budget)
    submit(4)
    response, many = _home_queries(client, django_assert_max_num_queries, budget)
    assert response.context["review_queue_count"] == 5
    assert Assessment.objects.filter(status="in_review").count() == 5
    assert few == many


def test_an_approver_with_assessments_of_their_own_sees_what_waits_in_them_too(
    client, staff_user, approver_user, user_factory
):
    from thrive_edi.roles import Role

    second_approver = user_factory(username="sam", role=Role.APPROVER)
    returned = _returned(approver_user, second_approver, title="Approver's own campaign")
    client.force_login(approver_user)
    page = client.get(HOME).content.decode()
    assert "Review and sign off" in page and "Assess your work" in page
    assert returned.reference in page.split('id="returned"')[1].split("</section>")[0]
    assert page.count('id="returned"') == 1
