from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment
from assessments.tests.factories import make_assessment
from assessments.views.assessment import PAGE_SIZE
from frameworks.models import FrameworkVersion
from frameworks.scales import ActivityType
from frameworks.services import framework_version_copy, framework_version_publish
from thrive_edi.people import person_name
from thrive_edi.roles import Role

LIST_URL = reverse("assessments:list")


@pytest.fixture
def erin(user_factory):
    return user_factory(username="erin", role=Role.STAFF, first_name="Erin")


def listed(client, **params) -> list[str]:
    response = client.get(LIST_URL, params)
    assert response.status_code == 200
    return [assessment.reference for assessment in response.context["page"].object_list]


def bulk_assessments(owner, count: int, *, start: int = 1, **fields) -> list[Assessment]:
    version = FrameworkVersion.objects.current()
    return Assessment.objects.bulk_create(
        Assessment(
            reference=f"EIA-2001-{number:04d}",
            title=f"Activity {number}",
            activity_type=ActivityType.PROJECT,
            owner=owner,
            framework_version=version,
            **fields,
        )
        for number in range(start, start + count)
    )


def test_my_assessments_are_those_i_own_or_collaborate_on(client, staff_user, erin):
    mine = make_assessment(staff_user, title="Mine")
    shared = make_assessment(erin, title="Shared", collaborators=[staff_user])
    other = make_assessment(erin, title="Erin's own")
    client.force_login(staff_user)
    assert sorted(listed(client, scope="mine")) == sorted([mine.reference, shared.reference])
    assert sorted(listed(client, scope="all")) == sorted([mine.reference, shared.reference, other.reference])


def test_staff_see_their_own_assessments_first(client, staff_user, erin):
    mine = make_assessment(staff_user)
    make_assessment(erin)
    client.force_login(staff_user)
    response = client.get(LIST_URL)
    assert response.context["scope"] == "mine"
    assert [a.reference for a in response.context["page"].object_list] == [mine.reference]


def test_an_assessment_i_collaborate_on_is_listed_once(client, staff_user, erin, approver_user):
    shared = make_assessment(erin, collaborators=[staff_user, approver_user])
    client.force_login(staff_user)
    assert listed(client, scope="mine") == [shared.reference]


def test_board_members_see_only_signed_off_assessments(client, staff_user, board_user):
    make_assessment(staff_user, title="A draft")
    signed = make_assessment(staff_user, title="Signed", status=Assessment.Status.SIGNED_OFF)
    superseded = make_assessment(staff_user, title="Old", status=Assessment.Status.SUPERSEDED)
    client.force_login(board_user)
    response = client.get(LIST_URL)
    assert response.context["scope"] == "all"
    assert sorted(a.reference for a in response.context["page"].object_list) == sorted(
        [signed.reference, superseded.reference]
    )
    assert "A draft" not in response.content.decode()
    assert "Start an assessment" not in response.content.decode()


def test_search_finds_words_of_the_title_ignoring_case(client, staff_user):
    newham = make_assessment(staff_user, title="Peer support in Newham")
    make_assessment(staff_user, title="Suicide prevention training")
    client.force_login(staff_user)
    assert listed(client, scope="all", q="NEWHAM") == [newham.reference]
    assert listed(client, scope="all", q="  support  ") == [newham.reference]


def test_search_finds_a_reference_or_part_of_it(client, staff_user):
    first = make_assessment(staff_user)
    second = make_assessment(staff_user)
    client.force_login(staff_user)
    assert listed(client, scope="all", q=second.reference) == [second.reference]
    assert listed(client, scope="all", q=first.reference.lower()) == [first.reference]


def test_filters_by_status(client, staff_user):
    draft = make_assessment(staff_user)
    in_review = make_assessment(staff_user, status=Assessment.Status.IN_REVIEW)
    client.force_login(staff_user)
    assert listed(client, scope="all", status="in_review") == [in_review.reference]
    assert listed(client, scope="all", status="draft") == [draft.reference]


def test_filters_by_activity_type(client, staff_user):
    policy = make_assessment(staff_user, activity_type=ActivityType.POLICY)
    make_assessment(staff_user, activity_type=ActivityType.EVENT)
    client.force_login(staff_user)
    assert listed(client, scope="all", activity_type="policy") == [policy.reference]


def test_filters_by_owner(client, staff_user, erin):
    make_assessment(staff_user)
    erins = make_assessment(erin)
    client.force_login(staff_user)
    assert listed(client, scope="all", owner=erin.pk) == [erins.reference]


def test_filters_by_framework_version(client, staff_user):
    old = make_assessment(staff_user)
    current = FrameworkVersion.objects.current()
    framework_version_publish(version=framework_version_copy(version=current, label="2030/31"))
    new = make_assessment(staff_user)
    client.force_login(staff_user)
    assert listed(client, scope="all", framework_version=old.framework_version_id) == [old.reference]
    assert listed(client, scope="all", framework_version=new.framework_version_id) == [new.reference]


def test_filters_combine(client, staff_user, erin):
    wanted = make_assessment(erin, title="Newham policy", activity_type=ActivityType.POLICY)
    make_assessment(erin, title="Newham event", activity_type=ActivityType.EVENT)
    make_assessment(staff_user, title="Newham policy too", activity_type=ActivityType.POLICY)
    client.force_login(staff_user)
    assert listed(client, scope="all", q="newham", activity_type="policy", owner=erin.pk) == [
        wanted.reference
    ]


def test_sorting_by_title_reference_review_date_and_last_change(client, staff_user):
    b = make_assessment(staff_user, title="Bravo", review_date=date(2027, 1, 1))
    a = make_assessment(staff_user, title="Alpha", review_date=date(2028, 1, 1))
    c = make_assessment(staff_user, title="Charlie", review_date=date(2026, 12, 1))
    Assessment.objects.filter(pk=a.pk).update(updated_at=timezone.now())
    client.force_login(staff_user)
    assert listed(client, scope="all", sort="title") == [a.reference, b.reference, c.reference]
    assert listed(client, scope="all", sort="reference") == [b.reference, a.reference, c.reference]
    assert listed(client, scope="all", sort="review") == [c.reference, b.reference, a.reference]
    assert listed(client, scope="all", sort="updated")[0] == a.reference
    assert listed(client, scope="all")[0] == a.reference


def test_the_list_is_split_into_pages_that_keep_the_filters(client, staff_user):
    bulk_assessments(staff_user, PAGE_SIZE + 5)
    client.force_login(staff_user)
    first = client.get(LIST_URL, {"scope": "all", "sort": "reference"})
    page = first.content.decode()
    assert len(first.context["page"].object_list) == PAGE_SIZE
    assert f"{PAGE_SIZE + 5} assessments" in page
    assert "Page 1 of 2" in page
    assert "?scope=all&amp;sort=reference&amp;page=2" in page
    second = listed(client, scope="all", sort="reference", page=2)
    assert second == [f"EIA-2001-{number:04d}" for number in range(PAGE_SIZE + 1, PAGE_SIZE + 6)]


@pytest.mark.parametrize("page", ["abc", "0", "-1", "999", "1e9", ""])
def test_a_page_number_out_of_range_shows_a_page_not_an_error(client, staff_user, page):
    bulk_assessments(staff_user, 3)
    client.force_login(staff_user)
    response = client.get(LIST_URL, {"scope": "all", "page": page})
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 3


@pytest.mark.parametrize(
    "params",
    [
        {"status": "nonsense"},
        {"owner": "abc"},
        {"owner": "999999"},
        {"framework_version": "abc"},
        {"activity_type": "<script>"},
        {"sort": "password"},
        {"scope": "everything"},
        {"q": "x" * 500},
    ],
)
def test_nonsense_filters_show_the_list_not_an_error(client, staff_user, params):
    make_assessment(staff_user)
    client.force_login(staff_user)
    assert client.get(LIST_URL, params).status_code == 200


def test_the_list_refuses_post(client, staff_user):
    client.force_login(staff_user)
    assert client.post(LIST_URL).status_code == 405


def test_the_list_reads_a_fixed_number_of_queries_whatever_the_number_of_assessments(
    client, staff_user, erin, user_factory
):
    client.force_login(staff_user)
    client.get(LIST_URL)  # the session and the framework's rows, read once

    def queries(**params) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(LIST_URL, params)
        assert response.status_code == 200
        return len(captured)

    bulk_assessments(staff_user, 5)
    bulk_assessments(erin, 5, start=6)
    few = {
        "all": queries(scope="all"),
        "mine": queries(scope="mine"),
        "filtered": queries(scope="all", q="Activity", status="draft", sort="title", owner=erin.pk),
    }
    owners = [user_factory(username=f"owner{index}", role=Role.STAFF) for index in range(5)]
    for index, owner in enumerate(owners):
        bulk_assessments(owner, 198, start=11 + index * 198)
    assert Assessment.objects.count() == 1_000
    many = {
        "all": queries(scope="all"),
        "mine": queries(scope="mine"),
        "filtered": queries(scope="all", q="Activity", status="draft", sort="title", owner=erin.pk),
    }
    assert many == few


def test_board_members_are_not_offered_owners_of_assessments_they_may_not_see(
    client, staff_user, erin, board_user
):
    make_assessment(staff_user, title="Signed", status=Assessment.Status.SIGNED_OFF)
    make_assessment(erin, title="Erin's draft")
    client.force_login(board_user)
    owners = client.get(LIST_URL).context["filter"].form.fields["owner"].queryset
    assert list(owners) == [staff_user]
    client.force_login(staff_user)
    owners = client.get(LIST_URL).context["filter"].form.fields["owner"].queryset
    assert set(owners) == {staff_user, erin}


def offered_owners(client) -> list[str]:
    """The names the owner filter offers, as the page draws them."""
    response = client.get(LIST_URL)
    assert response.status_code == 200
    return [label for value, label in response.context["filter"].form.fields["owner"].widget.choices if value]


def test_the_owner_filter_is_read_once_and_again_when_an_owner_may_have_changed(
    client, staff_user, erin, board_user
):
    """The owner options are kept: the second view of the list reads no owners. A new owner,
    a changed status (the board's options) and a new name are shown at the next view."""
    make_assessment(staff_user, title="Mine")
    client.force_login(staff_user)
    assert offered_owners(client) == [person_name(staff_user)]
    with CaptureQueriesContext(connection) as captured:
        offered_owners(client)
    owners_read = [
        q for q in captured.captured_queries if 'FROM "auth_user"' in q["sql"] and "owner_id" in q["sql"]
    ]
    assert not owners_read
    erins = make_assessment(erin, title="Erin's draft")
    assert person_name(erin) in offered_owners(client)
    client.force_login(board_user)
    assert person_name(erin) not in offered_owners(client)
    erins.status = Assessment.Status.SIGNED_OFF
    erins.save(update_fields=["status"])
    assert person_name(erin) in offered_owners(client)
    erin.first_name = "Erina"
    erin.save()
    assert person_name(erin).startswith("Erina") and person_name(erin) in offered_owners(client)


def test_the_version_filter_is_read_once_and_again_when_a_version_is_published(
    client, staff_user, django_capture_on_commit_callbacks
):
    client.force_login(staff_user)

    def offered() -> list[str]:
        field = client.get(LIST_URL).context["filter"].form.fields["framework_version"]
        return [label for value, label in field.widget.choices if value]

    current = FrameworkVersion.objects.current()
    assert offered() == [str(current)]
    with CaptureQueriesContext(connection) as captured:
        offered()
    assert not any('FROM "frameworks_frameworkversion"' in q["sql"] for q in captured.captured_queries)
    with django_capture_on_commit_callbacks(execute=True):
        draft = framework_version_copy(version=current, label="2031/32")
    assert offered() == [str(current)]  # a draft is not offered
    with django_capture_on_commit_callbacks(execute=True):
        framework_version_publish(version=draft)
    assert offered() == [str(draft), str(current)]


def test_each_row_links_to_its_assessment_and_names_its_owner_and_day_of_change(client, staff_user, erin):
    mine = make_assessment(staff_user, title="Peer support in Newham")
    theirs = make_assessment(erin, title="Faith leaders in Brent", collaborators=[staff_user])
    late_in_july = datetime(2026, 7, 1, 23, 30, tzinfo=UTC)  # already 2 July in London
    Assessment.objects.filter(pk=theirs.pk).update(updated_at=late_in_july)
    client.force_login(staff_user)
    page = client.get(reverse("assessments:list")).content.decode()
    for assessment in (mine, theirs):
        assert f'href="{reverse("assessments:detail", args=[assessment.reference])}"' in page
    assert "Erin" in page and staff_user.get_full_name() in page
    assert "2 Jul 2026" in page  # the London day of the change


def test_approvers_land_on_what_waits_for_their_review(client, staff_user, approver_user, erin):
    from assessments import services
    from assessments.tests.factories import fill_assessment

    waiting = fill_assessment(make_assessment(erin, title="Waiting"), user=erin)
    services.assessment_submit(assessment=waiting, user=erin)
    theirs = fill_assessment(make_assessment(staff_user, collaborators=[approver_user]), user=staff_user)
    services.assessment_submit(assessment=theirs, user=staff_user)
    make_assessment(erin, title="A draft")
    client.force_login(approver_user)
    response = client.get(LIST_URL)
    assert response.context["scope"] == "review"
    assert [a.reference for a in response.context["page"].object_list] == [waiting.reference]
    assert listed(client, scope="review") == [waiting.reference]
    assert set(listed(client, scope="all")) == {waiting.reference, theirs.reference} | set(
        Assessment.objects.filter(title="A draft").values_list("reference", flat=True)
    )
    assert "Waiting for your review" in response.content.decode()


def test_staff_land_on_their_own_assessments_and_have_no_review_queue(client, staff_user):
    make_assessment(staff_user)
    client.force_login(staff_user)
    response = client.get(LIST_URL)
    assert response.context["scope"] == "mine"
    assert "Waiting for your review" not in response.content.decode()
    assert listed(client, scope="review") == []


@pytest.mark.django_db
def test_each_row_reads_only_what_it_shows_and_nothing_more_later(client, staff_user):
    make_assessment(staff_user, title="Peer support for carers")
    client.force_login(staff_user)
    response = client.get(LIST_URL)
    row = response.context["page"].object_list[0]
    assert {"summary", "carry_over_notes"} <= row.get_deferred_fields()
    assert "password" in row.owner.get_deferred_fields()
    page = response.content.decode()
    assert "Peer support for carers" in page and row.status_label in page and row.owner_name in page
