"""Who may read and change an assessment: each role, on reading pages and on every change."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from assessments import lifecycle, services
from assessments.models import Assessment
from assessments.refusals import Refused
from assessments.tests.factories import (
    fill_assessment,
    make_assessment,
    section_data,
    stored_state,
)

READ_PAGES = ["detail", "check", "history"]
EDIT_PAGES = [("section", ["about"]), ("section", ["impacts"]), ("edit_details", [])]
EVERY_STATUS = list(Assessment.Status)
EDITABLE = [Assessment.Status.DRAFT, Assessment.Status.CHANGES_REQUESTED]
SIGNED_OFF = [Assessment.Status.SIGNED_OFF, Assessment.Status.SUPERSEDED]
NOT_EDITABLE = [status for status in EVERY_STATUS if status not in EDITABLE]
NOT_SIGNED_OFF = [status for status in EVERY_STATUS if status not in SIGNED_OFF]


def url(name: str, assessment, *args) -> str:
    return reverse(f"assessments:{name}", args=[assessment.reference, *args])


@pytest.fixture
def assessment(people):
    return fill_assessment(
        make_assessment(people["owner"], collaborators=[people["collaborator"]]), user=people["owner"]
    )


def set_status(assessment, status) -> None:
    fields = {"status": status}
    if status in Assessment.FROZEN_STATUSES and hasattr(Assessment, "signed_off_by"):
        # A published assessment was signed off by someone: its pages say who, and when.
        approver = get_user_model().objects.get(username="bob")
        fields.update(signed_off_by=approver, signed_off_at=timezone.now())
    Assessment.objects.filter(pk=assessment.pk).update(**fields)
    assessment.refresh_from_db()


def signed_in_at_status(client, person, assessment, status) -> dict:
    """Put the assessment at ``status`` and sign ``person`` in; return what is stored about the
    assessment then, to compare with after the changes it refuses."""
    set_status(assessment, status)
    client.force_login(person)
    return stored_state(assessment)


def refused_changes(client, assessment) -> list[int]:
    """Try every change; return the status codes."""
    changes = [
        (url("section", assessment, "about"), section_data(assessment, "about", {"q-aims": "Hijacked"})),
        (
            url("section", assessment, "impacts"),
            section_data(assessment, "impacts", {"impacts-0-evidence": "Hijacked"}),
        ),
        (url("edit_details", assessment), {"title": "Hijacked", "activity_type": "policy"}),
        (url("submit", assessment), {}),
    ]
    return [client.post(path, data).status_code for path, data in changes]


# Owner and collaborators


@pytest.mark.parametrize("who", ["owner", "collaborator"])
@pytest.mark.parametrize("status", EDITABLE)
def test_owner_and_collaborators_edit_a_draft_or_an_assessment_sent_back(
    client, people, assessment, who, status
):
    set_status(assessment, status)
    client.force_login(people[who])
    for name in READ_PAGES:
        assert client.get(url(name, assessment)).status_code == 200
    for name, args in EDIT_PAGES:
        assert client.get(url(name, assessment, *args)).status_code == 200
    response = client.post(
        url("section", assessment, "about"), section_data(assessment, "about", {"q-aims": f"By the {who}"})
    )
    assert response.status_code == 302
    assert assessment.answers.get(question__key="aims").value == f"By the {who}"


@pytest.mark.parametrize("status", NOT_EDITABLE)
def test_the_owner_cannot_change_an_assessment_that_is_not_editable(client, people, assessment, status):
    before = signed_in_at_status(client, people["owner"], assessment, status)
    assert client.get(url("section", assessment, "about")).status_code == 403
    assert client.get(url("edit_details", assessment)).status_code == 403
    assert refused_changes(client, assessment) == [403, 403, 403, 403]
    assert stored_state(assessment) == before
    assert client.get(url("detail", assessment)).status_code == 200


# Everyone else who assesses: read, never change


@pytest.mark.parametrize("who", ["other staff", "approver"])
@pytest.mark.parametrize("status", EVERY_STATUS)
def test_other_staff_and_approvers_read_every_assessment(client, people, assessment, who, status):
    set_status(assessment, status)
    client.force_login(people[who])
    for name in READ_PAGES:
        response = client.get(url(name, assessment))
        assert response.status_code == 200
        assert assessment.reference in response.content.decode()


@pytest.mark.parametrize("who", ["other staff", "approver"])
def test_other_staff_and_approvers_cannot_edit_someone_elses_draft(client, people, assessment, who):
    before = stored_state(assessment)
    client.force_login(people[who])
    for name, args in EDIT_PAGES:
        assert client.get(url(name, assessment, *args)).status_code == 403
    assert refused_changes(client, assessment) == [403, 403, 403, 403]
    assert stored_state(assessment) == before


@pytest.mark.parametrize("who", ["other staff", "approver"])
def test_readers_get_no_links_to_edit(client, people, assessment, who):
    client.force_login(people[who])
    page = client.get(url("detail", assessment)).content.decode()
    assert url("section", assessment, "about") not in page
    assert url("edit_details", assessment) not in page


# The Advisory Board


@pytest.mark.parametrize("status", NOT_SIGNED_OFF)
def test_board_member_gets_404_for_an_assessment_not_signed_off(client, people, assessment, status):
    before = signed_in_at_status(client, people["board member"], assessment, status)
    for name in READ_PAGES:
        assert client.get(url(name, assessment)).status_code == 404
    for name, args in EDIT_PAGES:
        assert client.get(url(name, assessment, *args)).status_code == 404
    assert refused_changes(client, assessment) == [404, 404, 404, 404]
    assert stored_state(assessment) == before


@pytest.mark.parametrize("status", SIGNED_OFF)
def test_board_member_reads_a_signed_off_assessment_but_cannot_change_it(client, people, assessment, status):
    before = signed_in_at_status(client, people["board member"], assessment, status)
    for name in READ_PAGES:
        # The history of the drafts is the team's and the reviewers' (below).
        assert client.get(url(name, assessment)).status_code == (403 if name == "history" else 200)
    assert client.get(url("section", assessment, "about")).status_code == 403
    assert refused_changes(client, assessment) == [403, 403, 403, 403]
    assert stored_state(assessment) == before


def test_an_admin_without_an_assessing_role_gets_404_for_a_draft(client, people, assessment):
    before = stored_state(assessment)
    client.force_login(people["admin without an assessing role"])
    for name in READ_PAGES:
        assert client.get(url(name, assessment)).status_code == 404
    assert refused_changes(client, assessment) == [404, 404, 404, 404]
    assert client.get(reverse("assessments:create")).status_code == 403
    assert stored_state(assessment) == before


def test_a_user_without_a_role_sees_no_assessment_at_all(client, assessment, user_factory):
    set_status(assessment, Assessment.Status.SIGNED_OFF)
    client.force_login(user_factory(username="norole"))
    for name in READ_PAGES:
        assert client.get(url(name, assessment)).status_code == 404
    assert client.get(reverse("assessments:list")).context["page"].paginator.count == 0


# Anonymous visitors and guessed references


def test_anonymous_visitors_are_sent_to_sign_in_from_every_page(client, assessment):
    before = stored_state(assessment)
    pages = [url(name, assessment) for name in READ_PAGES]
    pages += [url(name, assessment, *args) for name, args in EDIT_PAGES]
    pages += [reverse("assessments:list"), reverse("assessments:create")]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.url.startswith(f"{reverse('login')}?next=")
    for status in refused_changes(client, assessment):
        assert status == 302
    assert stored_state(assessment) == before


@pytest.mark.parametrize("who", ["owner", "approver"])
def test_a_guessed_reference_gives_404(client, people, assessment, who):
    client.force_login(people[who])
    missing = assessment.reference[:-4] + "9999"
    for name in READ_PAGES:
        assert client.get(reverse(f"assessments:{name}", args=[missing])).status_code == 404
    assert client.get(reverse("assessments:section", args=[missing, "about"])).status_code == 404
    assert client.post(reverse("assessments:submit", args=[missing])).status_code == 404


def test_a_guessed_reference_of_a_draft_gives_the_board_the_same_404_as_a_missing_one(
    client, people, assessment
):
    client.force_login(people["board member"])
    existing = client.get(url("detail", assessment))
    missing = client.get(reverse("assessments:detail", args=["EIA-2020-0001"]))
    assert existing.status_code == missing.status_code == 404
    assert assessment.title not in existing.content.decode()


# Wrong methods


def test_reading_pages_refuse_post(client, people, assessment):
    before = stored_state(assessment)
    client.force_login(people["owner"])
    for name in READ_PAGES:
        assert client.post(url(name, assessment)).status_code == 405
    assert stored_state(assessment) == before


# Starting a re-assessment of a signed-off assessment


@pytest.mark.parametrize("who", ["owner", "collaborator", "approver"])
def test_the_people_involved_and_approvers_start_a_reassessment(client, people, assessment, who):
    set_status(assessment, Assessment.Status.SIGNED_OFF)
    client.force_login(people[who])
    assert "Start a re-assessment" in client.get(url("detail", assessment)).content.decode()
    response = client.post(url("reassess", assessment))
    new = Assessment.objects.get(previous=assessment)
    assert response.url == url("detail", new)
    assert new.owner == people["owner"]


@pytest.mark.parametrize("who", ["other staff", "board member"])
def test_anyone_else_gets_403_with_the_reason_on_starting_a_reassessment(client, people, assessment, who):
    set_status(assessment, Assessment.Status.SIGNED_OFF)
    client.force_login(people[who])
    assert "Start a re-assessment" not in client.get(url("detail", assessment)).content.decode()
    response = client.post(url("reassess", assessment))
    assert response.status_code == 403
    assert escape(Refused.REASSESS_NOT_INVOLVED) in response.content.decode()
    assert not Assessment.objects.filter(previous=assessment).exists()


def test_an_uninvolved_staff_member_does_not_take_over_when_the_owner_has_left(client, people, assessment):
    set_status(assessment, Assessment.Status.SIGNED_OFF)
    get_user_model().objects.filter(pk=people["owner"].pk).update(is_active=False)
    client.force_login(people["other staff"])
    assert client.post(url("reassess", assessment)).status_code == 403
    assert not Assessment.objects.filter(previous=assessment).exists()


def test_the_service_refuses_an_uninvolved_staff_member(people, assessment):
    set_status(assessment, Assessment.Status.SIGNED_OFF)
    with pytest.raises(PermissionDenied, match=Refused.REASSESS_NOT_INVOLVED):
        lifecycle.assessment_reassess(assessment=assessment, user=people["other staff"])


# What the Advisory Board reads of a signed-off assessment: the record and its lifecycle, not
# the reviewers' comment threads or the history of the drafts

COMMENT = "Name the listening events in Stratford."
REPLY = "Three events, listed in the participation section."
CHANGES_NOTE = "Please add the Sylheti sessions before I sign off."


@pytest.fixture
def reviewed(people, django_capture_on_commit_callbacks):
    """Signed off after a round of comments, a reply and a request for changes."""
    owner, approver = people["owner"], people["approver"]
    assessment = fill_assessment(make_assessment(owner, title="Peer support in Newham"), user=owner)
    services.denormalised_fields_refresh(assessment=assessment)
    with django_capture_on_commit_callbacks(execute=True):
        services.assessment_submit(assessment=assessment, user=owner)
        comment = lifecycle.comment_add(assessment=assessment, user=approver, text=COMMENT)
        lifecycle.assessment_request_changes(assessment=assessment, user=approver, reason=CHANGES_NOTE)
        lifecycle.comment_reply(comment=comment, user=owner, text=REPLY)
        services.assessment_submit(assessment=assessment, user=owner)
        lifecycle.assessment_sign_off(assessment=assessment, user=approver, declaration=True)
    assessment.refresh_from_db()
    return assessment


def test_the_board_gets_403_with_a_reason_for_the_history_of_the_drafts(client, people, reviewed):
    client.force_login(people["board member"])
    response = client.get(url("history", reviewed))
    assert response.status_code == 403
    page = response.content.decode()
    assert escape(Refused.HISTORY_NOT_FOR_THE_BOARD) in page
    assert url("detail", reviewed) in page


@pytest.mark.parametrize("who", ["board member", "admin without an assessing role"])
def test_readers_of_the_record_see_its_lifecycle_but_not_the_review_threads(client, people, reviewed, who):
    client.force_login(people[who])
    page = client.get(url("detail", reviewed)).content.decode()
    assert "Signed off" in page and "Submitted for review" in page and "Changes requested" in page
    for hidden in (COMMENT, REPLY, CHANGES_NOTE, url("history", reviewed)):
        assert escape(hidden) not in page, hidden
    assert client.get(url("history", reviewed)).status_code == 403
    assert client.get(url("check", reviewed)).status_code == 200


@pytest.mark.parametrize("who", ["owner", "other staff", "approver"])
def test_staff_and_approvers_still_read_the_threads_and_the_history(client, people, reviewed, who):
    client.force_login(people[who])
    page = client.get(url("detail", reviewed)).content.decode()
    for shown in (COMMENT, REPLY, CHANGES_NOTE, url("history", reviewed)):
        assert escape(shown) in page, shown
    assert client.get(url("history", reviewed)).status_code == 200


def test_the_boards_page_shows_the_lifecycle_dates_and_its_own_feedback(client, people, reviewed):
    from reporting import services as reporting_services

    reporting_services.feedback_add(
        assessment=reviewed, user=people["board member"], kind="comment", text="How many came?"
    )
    client.force_login(people["board member"])
    page = client.get(reverse("reporting:board_assessment", args=[reviewed.reference])).content.decode()
    for label, day in (
        ("Started", reviewed.created_at),
        ("Submitted for review", reviewed.submitted_at),
        ("Signed off", reviewed.signed_off_at),
    ):
        day = timezone.localtime(day)
        assert label in page
        assert f"{day.day} {day:%B %Y}" in page
    assert "Next review due" in page and f"{reviewed.review_date.day} {reviewed.review_date:%B %Y}" in page
    assert "How many came?" in page
    assert COMMENT not in page and CHANGES_NOTE not in page
