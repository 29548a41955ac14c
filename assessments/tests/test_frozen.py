"""A signed-off assessment is frozen: every path that could change it is refused."""

import json
from datetime import date

import pytest
from django.db import transaction
from django.urls import reverse

from assessments import lifecycle, services
from assessments.models import (
    ASSESSMENT_ROW_MODELS,
    Action,
    Answer,
    Assessment,
    AssessmentRow,
    FrozenAssessmentError,
    IntersectionalImpact,
    Snapshot,
)
from assessments.snapshots import fingerprint
from assessments.tests.factories import (
    SECTION_KEYS,
    add_action,
    fill_assessment,
    post_follow_up,
    section_data,
    section_url,
)


def refused(change) -> None:
    """The change raises FrozenAssessmentError; its own savepoint keeps the test's transaction usable."""
    with pytest.raises(FrozenAssessmentError), transaction.atomic():
        change()


def database_state(assessment):
    """Every stored value of the assessment and its rows, to compare before and after."""
    state = {"assessment": list(Assessment.objects.filter(pk=assessment.pk).values())}
    for model in ASSESSMENT_ROW_MODELS:
        state[model.__name__] = list(model.objects.filter(assessment=assessment).order_by("pk").values())
    state["snapshot"] = list(Snapshot.objects.filter(assessment=assessment).values())
    state["characteristics"] = sorted(
        IntersectionalImpact.characteristics.through.objects.filter(
            intersectionalimpact__assessment=assessment
        ).values_list("pk", flat=True)
    )
    return state


@pytest.fixture
def signed_off(assessment, staff_user, sign_off):
    """The staff user's draft, filled in, with an action, submitted and signed off."""
    fill_assessment(assessment, user=staff_user)
    add_action(assessment)
    return sign_off(assessment)


@pytest.mark.django_db
def test_the_snapshot_fingerprint_recomputed_from_its_json_matches(signed_off):
    snapshot = signed_off.snapshot
    assert fingerprint(snapshot.document) == snapshot.sha256
    assert json.loads(snapshot.document)["assessment"]["reference"] == signed_off.reference


@pytest.mark.django_db
@pytest.mark.parametrize("section_key", SECTION_KEYS)
def test_every_section_page_refuses_changes_and_leaves_the_database_unchanged(
    signed_off, staff_user, client, section_key
):
    before = database_state(signed_off)
    data = section_data(signed_off, section_key, {"q-aims": "Changed after sign-off"})
    client.force_login(staff_user)
    assert client.get(section_url(signed_off, section_key)).status_code == 403
    assert client.post(section_url(signed_off, section_key), data).status_code == 403
    assert database_state(signed_off) == before


def assert_posts_refused(client, signed_off, names, data) -> None:
    """Posting ``data`` to each named page of the assessment is refused, and nothing stored changes."""
    before = database_state(signed_off)
    for name in names:
        response = client.post(reverse(f"assessments:{name}", args=[signed_off.reference]), data)
        assert response.status_code == 403
    assert database_state(signed_off) == before


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["edit_details", "submit", "withdraw"])
def test_other_pages_refuse_changes(signed_off, staff_user, client, name):
    client.force_login(staff_user)
    assert_posts_refused(
        client, signed_off, [name], {"title": "New title", "activity_type": "policy", "reason": "x"}
    )


@pytest.mark.django_db
def test_review_pages_refuse_a_second_sign_off_or_request_for_changes(signed_off, user_factory, client):
    from thrive_edi.roles import Role

    client.force_login(user_factory(username="fola", role=Role.APPROVER))
    assert_posts_refused(
        client,
        signed_off,
        ["sign_off", "request_changes", "comment_add"],
        {"declaration": "on", "reason": "x", "text": "x"},
    )


@pytest.mark.django_db
def test_the_service_layer_refuses_every_edit(signed_off, staff_user):
    before = database_state(signed_off)
    with pytest.raises(Exception):
        services.assessment_update_details(
            assessment=signed_off,
            user=staff_user,
            title="x",
            activity_type="policy",
            summary="",
            collaborators=[],
            partners=[],
        )
    with pytest.raises(Exception):
        services.assessment_submit(assessment=signed_off, user=staff_user)
    with pytest.raises(Exception):
        lifecycle.assessment_withdraw(assessment=signed_off, user=staff_user, reason="x")
    assert database_state(signed_off) == before


@pytest.mark.django_db
@pytest.mark.parametrize("model", ASSESSMENT_ROW_MODELS)
def test_the_model_layer_refuses_saving_deleting_and_bulk_changes_of_rows(signed_off, model):
    before = database_state(signed_off)
    row = model.objects.filter(assessment=signed_off).first()
    field = (
        "value"
        if model is Answer
        else next(
            f.name
            for f in model._meta.concrete_fields
            if f.get_internal_type() in ("TextField", "CharField") and f.name != "status"
        )
    )
    setattr(row, field, "changed")
    refused(row.save)
    refused(model.objects.get(pk=row.pk).delete)
    refused(lambda: model.objects.filter(assessment=signed_off).update(**{field: "changed"}))
    refused(model.objects.filter(assessment=signed_off).delete)
    refused(
        lambda: model.objects.create(
            assessment=signed_off, **({"question": row.question} if model is Answer else {})
        )
    )
    assert database_state(signed_off) == before


@pytest.mark.django_db
def test_the_model_layer_refuses_changing_links_and_the_assessment_itself(signed_off):
    before = database_state(signed_off)
    combination = IntersectionalImpact.objects.filter(assessment=signed_off).first()
    action = Action.objects.filter(assessment=signed_off).first()
    refused(combination.characteristics.clear)
    refused(lambda: action.characteristics.add(signed_off.framework_version.characteristics.first()))
    refused(signed_off.collaborators.clear)
    signed_off.title = "Renamed"
    refused(signed_off.save)
    refused(lambda: Assessment.objects.filter(pk=signed_off.pk).update(title="Renamed"))
    refused(Assessment.objects.get(pk=signed_off.pk).delete)
    assert database_state(signed_off) == before


@pytest.mark.django_db
def test_the_snapshot_never_changes(signed_off):
    snapshot = Snapshot.objects.get(assessment=signed_off)
    snapshot.document = "{}"
    with pytest.raises(FrozenAssessmentError):
        snapshot.save()
    with pytest.raises(FrozenAssessmentError):
        Snapshot.objects.filter(pk=snapshot.pk).update(document="{}")
    with pytest.raises(FrozenAssessmentError):
        snapshot.delete()
    with pytest.raises(FrozenAssessmentError):
        Snapshot.objects.all().delete()
    assert fingerprint(Snapshot.objects.get(pk=snapshot.pk).document) == snapshot.sha256


@pytest.mark.django_db
def test_assessments_have_no_admin_pages_that_could_change_them(signed_off, admin_user_with_role, client):
    client.force_login(admin_user_with_role)
    for name in ("assessment", "answer", "impactrating", "snapshot", "action"):
        assert client.get(f"/admin/assessments/{name}/").status_code == 404


@pytest.mark.django_db
def test_actions_stay_updatable_after_sign_off_outside_the_snapshot(signed_off, staff_user, client):
    action = Action.objects.filter(assessment=signed_off).first()
    document = signed_off.snapshot.document
    client.force_login(staff_user)
    response = post_follow_up(
        client, action, status="in_progress", progress_notes="Outreach started.", due_date=date(2030, 3, 1)
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.status, action.progress_notes, str(action.due_date)) == (
        "in_progress",
        "Outreach started.",
        "2030-03-01",
    )
    assert action.history.first().progress_notes == "Outreach started."
    assert Snapshot.objects.get(assessment=signed_off).document == document
    action.action = "Rewritten after sign-off"
    with pytest.raises(FrozenAssessmentError):
        action.save()


@pytest.mark.django_db
def test_links_changed_from_the_other_side_are_refused_too(signed_off, staff_user, user_factory):
    from thrive_edi.roles import Role

    before = database_state(signed_off)
    outsider = user_factory(username="gita", role=Role.STAFF)
    combination = IntersectionalImpact.objects.filter(assessment=signed_off).first()
    refused(lambda: outsider.collaborating_on.add(signed_off))
    refused(lambda: combination.actions.add(Action.objects.filter(assessment=signed_off).first()))
    assert database_state(signed_off) == before


@pytest.mark.django_db
def test_a_signed_off_assessment_cannot_be_thawed(signed_off):
    refused(lambda: Assessment.objects.filter(pk=signed_off.pk).update(status=Assessment.Status.DRAFT))
    signed_off.status = Assessment.Status.DRAFT
    refused(signed_off.save)
    assert Assessment.objects.get(pk=signed_off.pk).status == Assessment.Status.SIGNED_OFF


def test_the_list_of_row_models_names_every_kind_of_row_an_assessment_records():
    from assessments.models import Screening

    # The screening is one record per assessment, not a kind of row: it is frozen with the
    # assessment and is the first section of its snapshot, but has no rows to list.
    assert set(ASSESSMENT_ROW_MODELS) | {Screening} == set(AssessmentRow.__subclasses__())
