"""Pledge versions and their commitments, kept by admins; work linked to the commitments it serves."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import escape

from assessments.models import Assessment
from assessments.tests.factories import add_action, make_assessment
from pledges import services
from pledges.admin import COPY_ACTION_LABEL
from pledges.models import (
    ActionCommitment,
    AssessmentCommitment,
    Commitment,
    FrozenPledgeError,
    PledgeVersion,
)
from pledges.permissions import Refused
from pledges.tests.factories import make_pledge
from thrive_edi.roles import Role

pytestmark = pytest.mark.django_db


# Versions: drafted, published, frozen.


def test_a_published_versions_text_never_changes_whichever_way_it_is_tried():
    version = make_pledge(commitments=2)
    commitment = version.commitments.first()
    commitment.text = "Changed."
    with pytest.raises(FrozenPledgeError):
        commitment.save()
    with pytest.raises(FrozenPledgeError):
        Commitment.objects.filter(version=version).update(text="Changed in bulk.")
    with pytest.raises(FrozenPledgeError):
        Commitment.objects.create(
            version=version, number=9, name="Added", text="Added.", starts_on=datetime.date(2026, 4, 1)
        )
    with pytest.raises(FrozenPledgeError):
        commitment.delete()
    version.introduction = "Changed."
    with pytest.raises(FrozenPledgeError):
        version.save()
    with pytest.raises(FrozenPledgeError):
        PledgeVersion.objects.filter(pk=version.pk).update(label="Changed")
    assert set(Commitment.objects.values_list("text", flat=True)) == {version.commitments.first().text}


def test_a_new_version_copies_the_commitments_and_publishing_it_retires_the_old_one():
    version = make_pledge(commitments=2)
    draft = services.pledge_version_copy(version=version)
    assert draft.is_draft and draft.label == "1 (copy)"
    assert list(draft.commitments.values_list("number", "name")) == list(
        version.commitments.values_list("number", "name")
    )
    changed = draft.commitments.get(number=2)
    changed.text = "Example commitment: reworded in the new version."
    changed.save()
    services.pledge_version_publish(version=draft)
    version.refresh_from_db()
    assert version.status == PledgeVersion.Status.RETIRED
    assert list(Commitment.objects.current()) == list(draft.commitments.order_by("number"))
    with pytest.raises(ValidationError):
        services.pledge_version_publish(version=draft)


def test_an_empty_version_is_not_published():
    version = make_pledge(commitments=1)
    empty = PledgeVersion.objects.create(pledge=version.pledge, label="empty")
    with pytest.raises(ValidationError):
        services.pledge_version_publish(version=empty)


def test_admins_see_a_published_version_read_only_and_copy_it(client, admin_user_with_role):
    version = make_pledge(commitments=1)
    client.force_login(admin_user_with_role)
    change = reverse("admin:pledges_pledgeversion_change", args=[version.pk])
    response = client.get(change)
    assert response.status_code == 200
    assert 'name="label"' not in response.content.decode()
    response = client.post(
        reverse("admin:pledges_pledgeversion_changelist"),
        {"action": "copy_versions", "_selected_action": [version.pk]},
    )
    assert response.status_code == 302
    assert PledgeVersion.objects.filter(copied_from=version, status="draft").exists()
    assert COPY_ACTION_LABEL in client.get(reverse("admin:pledges_pledgeversion_changelist")).content.decode()


def test_staff_without_the_admin_role_have_no_pledge_admin(client, staff_user):
    client.force_login(staff_user)
    response = client.get(reverse("admin:pledges_pledgeversion_changelist"))
    assert response.status_code == 302


# Links from work to commitments.


def commitments_url(assessment):
    return reverse("pledges:assessment_commitments", args=[assessment.reference])


def test_the_owner_links_an_assessment_and_an_action_to_commitments(client, staff_user, user_factory):
    version = make_pledge(commitments=3)
    first, second, third = version.commitments.order_by("number")
    assessment = make_assessment(staff_user)
    action = add_action(assessment)
    client.force_login(staff_user)
    assert client.get(commitments_url(assessment)).status_code == 200
    response = client.post(
        commitments_url(assessment), {"commitments": [first.pk, second.pk], f"action-{action.pk}": [third.pk]}
    )
    assert response.status_code == 302
    assert set(AssessmentCommitment.objects.values_list("commitment", flat=True)) == {first.pk, second.pk}
    assert list(ActionCommitment.objects.values_list("action", "commitment")) == [(action.pk, third.pk)]
    page = client.get(reverse("assessments:detail", args=[assessment.reference])).content.decode()
    assert "Commitments it serves" in page and commitments_url(assessment) in page
    reader = user_factory(username="reader", role=Role.STAFF)
    client.force_login(reader)
    listed = client.get(commitments_url(assessment)).content.decode()
    assert first.name in listed and second.name in listed and "Save the commitments" not in listed
    client.force_login(staff_user)
    response = client.post(commitments_url(assessment), {})
    assert response.status_code == 302
    assert not AssessmentCommitment.objects.exists() and not ActionCommitment.objects.exists()


def test_a_commitment_of_a_retired_version_cannot_be_chosen(client, staff_user):
    version = make_pledge(commitments=1)
    old = version.commitments.get()
    services.pledge_version_publish(version=services.pledge_version_copy(version=version))
    assessment = make_assessment(staff_user)
    client.force_login(staff_user)
    response = client.post(commitments_url(assessment), {"commitments": [old.pk]})
    assert response.status_code == 400
    assert not AssessmentCommitment.objects.exists()
    with pytest.raises(ValidationError):
        services.commitments_link(assessment=assessment, user=staff_user, commitments=[old])


def test_someone_not_on_the_assessment_cannot_change_its_commitments(client, staff_user, user_factory):
    version = make_pledge(commitments=1)
    assessment = make_assessment(staff_user)
    outsider = user_factory(username="mallory", role=Role.STAFF)
    client.force_login(outsider)
    response = client.post(commitments_url(assessment), {"commitments": [version.commitments.get().pk]})
    assert response.status_code == 403
    assert escape(Refused.NOT_ON_THE_ASSESSMENT) in response.content.decode()
    assert not AssessmentCommitment.objects.exists()


def test_the_board_gets_404_for_a_draft_and_anonymous_people_sign_in(client, staff_user, board_user):
    assessment = make_assessment(staff_user)
    client.force_login(board_user)
    assert client.get(commitments_url(assessment)).status_code == 404
    client.logout()
    assert client.get(commitments_url(assessment)).status_code == 302


def test_an_approver_links_signed_off_work_but_withdrawn_work_stays_as_it_was(
    client, staff_user, approver_user
):
    version = make_pledge(commitments=1)
    commitment = version.commitments.get()
    signed = make_assessment(staff_user, status=Assessment.Status.SIGNED_OFF)
    client.force_login(approver_user)
    assert client.post(commitments_url(signed), {"commitments": [commitment.pk]}).status_code == 302
    assert AssessmentCommitment.objects.filter(assessment=signed).exists()
    withdrawn = make_assessment(staff_user, title="Withdrawn work", status=Assessment.Status.WITHDRAWN)
    response = client.post(commitments_url(withdrawn), {"commitments": [commitment.pk]})
    assert response.status_code == 403
    assert not AssessmentCommitment.objects.filter(assessment=withdrawn).exists()


def test_the_commitments_page_refuses_put(client, staff_user):
    assessment = make_assessment(staff_user)
    client.force_login(staff_user)
    assert client.put(commitments_url(assessment)).status_code == 405


def test_the_demo_loads_an_example_pledge_whose_text_says_it_is_an_example(
    settings, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    settings.DEBUG = True
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo")
    call_command("load_demo")
    commitments = Commitment.objects.current()
    assert commitments.count() == 3
    assert all(
        c.name.startswith("Example commitment") and c.text.startswith("Example commitment")
        for c in commitments
    )
    assert AssessmentCommitment.objects.exists()
