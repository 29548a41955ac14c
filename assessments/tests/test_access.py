"""Who may read and change an assessment: each role, on reading pages and on every change."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from assessments import lifecycle
from assessments.models import Assessment
from assessments.refusals import REASSESS_NOT_INVOLVED_REFUSAL
from assessments.tests.factories import (
    fill_assessment,
    make_assessment,
    section_data,
    stored_state,
)
from thrive_edi.roles import Role

READ_PAGES = ["detail", "check", "history"]
EDIT_PAGES = [("section", ["about"]), ("section", ["impacts"]), ("edit_details", [])]
EVERY_STATUS = list(Assessment.Status)


def url(name: str, assessment, *args) -> str:
    return reverse(f"assessments:{name}", args=[assessment.reference, *args])


@pytest.fixture
def people(staff_user, approver_user, board_user, admin_user_with_role, user_factory):
    return {
        "owner": staff_user,
        "collaborator": user_factory(username="erin", role=Role.STAFF),
        "other staff": user_factory(username="frank", role=Role.STAFF),
        "approver": approver_user,
        "board member": board_user,
        "admin without an assessing role": admin_user_with_role,
    }


@pytest.fixture
def assessment(people):
    return fill_assessment(
        make_assessment(people["owner"], collaborators=[people["collaborator"]]), user=people["owner"]
    )


def set_status(assessment, status) -> None:
    fields = {"status": status}
    if status in Assessment.PUBLISHED_STATUSES and hasattr(Assessment, "signed_off_by"):
        # A published assessment was signed off by someone: its pages say who, and when.
        approver = get_user_model().objects.get(username="bob")
        fields.update(signed_off_by=approver, signed_off_at=timezone.now())
    Assessment.objects.filter(pk=assessment.pk).update(**fields)
    assessment.refresh_from_db()


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
@pytest.mark.parametrize("status", [Assessment.Status.DRAFT, Assessment.Status.CHANGES_REQUESTED])
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


@pytest.mark.parametrize(
    "status",
    [
        Assessment.Status.IN_REVIEW,
        Assessment.Status.SIGNED_OFF,
        Assessment.Status.SUPERSEDED,
        Assessment.Status.WITHDRAWN,
    ],
)
def test_the_owner_cannot_change_an_assessment_that_is_not_editable(client, people, assessment, status):
    set_status(assessment, status)
    before = stored_state(assessment)
    client.force_login(people["owner"])
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


@pytest.mark.parametrize(
    "status",
    [
        Assessment.Status.DRAFT,
        Assessment.Status.IN_REVIEW,
        Assessment.Status.CHANGES_REQUESTED,
        Assessment.Status.WITHDRAWN,
    ],
)
def test_board_member_gets_404_for_an_assessment_not_signed_off(client, people, assessment, status):
    set_status(assessment, status)
    before = stored_state(assessment)
    client.force_login(people["board member"])
    for name in READ_PAGES:
        assert client.get(url(name, assessment)).status_code == 404
    for name, args in EDIT_PAGES:
        assert client.get(url(name, assessment, *args)).status_code == 404
    assert refused_changes(client, assessment) == [404, 404, 404, 404]
    assert stored_state(assessment) == before


@pytest.mark.parametrize("status", [Assessment.Status.SIGNED_OFF, Assessment.Status.SUPERSEDED])
def test_board_member_reads_a_signed_off_assessment_but_cannot_change_it(client, people, assessment, status):
    set_status(assessment, status)
    before = stored_state(assessment)
    client.force_login(people["board member"])
    for name in READ_PAGES:
        assert client.get(url(name, assessment)).status_code == 200
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
    assert escape(REASSESS_NOT_INVOLVED_REFUSAL) in response.content.decode()
    assert not Assessment.objects.filter(previous=assessment).exists()


def test_an_uninvolved_staff_member_does_not_take_over_when_the_owner_has_left(client, people, assessment):
    set_status(assessment, Assessment.Status.SIGNED_OFF)
    get_user_model().objects.filter(pk=people["owner"].pk).update(is_active=False)
    client.force_login(people["other staff"])
    assert client.post(url("reassess", assessment)).status_code == 403
    assert not Assessment.objects.filter(previous=assessment).exists()


def test_the_service_refuses_an_uninvolved_staff_member(people, assessment):
    set_status(assessment, Assessment.Status.SIGNED_OFF)
    with pytest.raises(PermissionDenied, match=REASSESS_NOT_INVOLVED_REFUSAL):
        lifecycle.assessment_reassess(assessment=assessment, user=people["other staff"])
