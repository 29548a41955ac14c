from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from assessments import services
from assessments.models import (
    Assessment,
    DutyAim,
    DutyContribution,
    ImpactRating,
    Partner,
    PrincipleAlignment,
)
from assessments.tests.factories import make_assessment
from frameworks.models import FrameworkVersion
from frameworks.scales import ActivityType
from frameworks.services import framework_version_copy, framework_version_publish
from thrive_edi.roles import Role

CREATE_URL = reverse("assessments:create")


def create_data(**changes) -> dict:
    return {
        "title": "Peer support in Newham",
        "activity_type": ActivityType.PROGRAMME,
        "summary": "Weekly groups for young Black men.",
        "new_partners": "",
        "where": ["E09000025"],
        **changes,
    }


def test_staff_see_the_form_to_start_an_assessment(client, staff_user):
    client.force_login(staff_user)
    response = client.get(CREATE_URL)
    assert response.status_code == 200
    assert "Start an assessment" in response.content.decode()


def test_creating_an_assessment_stores_its_details_and_goes_to_its_task_list(
    client, staff_user, approver_user, user_factory
):
    other_staff = user_factory(username="erin", role=Role.STAFF)
    client.force_login(staff_user)
    response = client.post(
        CREATE_URL,
        create_data(collaborators=[other_staff.pk, approver_user.pk], new_partners="Mind in Haringey\n"),
    )
    assessment = Assessment.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("assessments:detail", args=[assessment.reference])
    assert assessment.title == "Peer support in Newham"
    assert assessment.activity_type == ActivityType.PROGRAMME
    assert assessment.summary == "Weekly groups for young Black men."
    assert assessment.owner == staff_user
    assert assessment.status == Assessment.Status.DRAFT
    assert set(assessment.collaborators.all()) == {other_staff, approver_user}
    assert [partner.name for partner in assessment.partners.all()] == ["Mind in Haringey"]


def test_a_new_assessment_gets_the_first_reference_of_the_year(client, staff_user):
    client.force_login(staff_user)
    client.post(CREATE_URL, create_data())
    assert Assessment.objects.get().reference == f"EIA-{timezone.localdate().year}-0001"


def test_references_count_up_within_a_year_and_never_repeat(staff_user):
    first = make_assessment(staff_user)
    second = make_assessment(staff_user)
    first.delete()
    third = make_assessment(staff_user)
    year = timezone.localdate().year
    assert [second.reference, third.reference] == [f"EIA-{year}-0002", f"EIA-{year}-0003"]


def test_each_year_starts_counting_references_from_one(db):
    with transaction.atomic():
        assert services.reference_next(year=2031) == "EIA-2031-0001"
        assert services.reference_next(year=2031) == "EIA-2031-0002"
        assert services.reference_next(year=2032) == "EIA-2032-0001"


def test_a_new_assessment_uses_the_current_framework_version(staff_user):
    assessment = make_assessment(staff_user)
    assert assessment.framework_version == FrameworkVersion.objects.current()


def test_an_assessment_keeps_its_framework_version_when_a_new_one_is_published(staff_user):
    old = FrameworkVersion.objects.current()
    assessment = make_assessment(staff_user)
    new = framework_version_publish(version=framework_version_copy(version=old, label="2030/31"))
    assessment.refresh_from_db()
    assert assessment.framework_version == old
    assert make_assessment(staff_user).framework_version == new


def test_creating_makes_a_rating_per_characteristic_an_alignment_per_principle_and_five_duties(staff_user):
    assessment = make_assessment(staff_user)
    version = assessment.framework_version
    ratings = ImpactRating.objects.filter(assessment=assessment)
    alignments = PrincipleAlignment.objects.filter(assessment=assessment)
    assert ratings.count() == version.characteristics.count() == 24
    assert {r.characteristic_id for r in ratings} == set(version.characteristics.values_list("pk", flat=True))
    assert alignments.count() == version.principles.count() == 8
    assert {a.principle_id for a in alignments} == set(version.principles.values_list("pk", flat=True))
    duties = DutyContribution.objects.filter(assessment=assessment)
    assert sorted(duties.values_list("aim", flat=True)) == sorted(DutyAim.values)
    assert len(DutyAim.values) == 5


def test_typed_partners_are_created_once_ignoring_case_and_spacing(client, staff_user):
    existing = Partner.objects.create(name="Mind in Haringey")
    client.force_login(staff_user)
    client.post(
        CREATE_URL,
        create_data(new_partners="mind in  haringey\nBlack Thrive\n\n  black thrive  \nBLACK THRIVE"),
    )
    assessment = Assessment.objects.get()
    assert Partner.objects.count() == 2
    assert Partner.objects.filter(name__iexact="black thrive").count() == 1
    assert {p.name for p in assessment.partners.all()} == {existing.name, "Black Thrive"}


def test_partners_can_be_chosen_from_the_list(client, staff_user):
    partner = Partner.objects.create(name="Hackney CVS")
    client.force_login(staff_user)
    client.post(CREATE_URL, create_data(partners=[partner.pk]))
    assert list(Assessment.objects.get().partners.all()) == [partner]
    assert Partner.objects.count() == 1


def test_a_board_member_cannot_be_a_collaborator(client, staff_user, board_user):
    client.force_login(staff_user)
    response = client.post(CREATE_URL, create_data(collaborators=[board_user.pk]))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Assessment.objects.exists()


def test_the_owner_is_not_also_a_collaborator(staff_user):
    assessment = make_assessment(staff_user, collaborators=[staff_user])
    assert not assessment.collaborators.exists()


def test_a_title_is_required(client, staff_user):
    client.force_login(staff_user)
    response = client.post(CREATE_URL, create_data(title=""))
    assert response.status_code == 200
    assert "Enter" in response.content.decode() or "required" in response.content.decode()
    assert not Assessment.objects.exists()


def test_an_unknown_activity_type_is_refused(client, staff_user):
    client.force_login(staff_user)
    response = client.post(CREATE_URL, create_data(activity_type="picnic"))
    assert response.status_code == 200
    assert not Assessment.objects.exists()


def test_board_members_cannot_start_an_assessment(client, board_user):
    client.force_login(board_user)
    assert client.get(CREATE_URL).status_code == 403
    assert client.post(CREATE_URL, create_data()).status_code == 403
    assert not Assessment.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in_instead_of_creating(client, db):
    response = client.post(CREATE_URL, create_data())
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert not Assessment.objects.exists()


def test_the_create_page_refuses_other_methods(client, staff_user):
    client.force_login(staff_user)
    assert client.put(CREATE_URL).status_code == 405


def test_the_owner_changes_the_details_of_a_draft(client, staff_user, user_factory):
    erin = user_factory(username="erin", role=Role.STAFF)
    assessment = make_assessment(staff_user)
    client.force_login(staff_user)
    url = reverse("assessments:edit_details", args=[assessment.reference])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        create_data(
            title="Peer support in Tower Hamlets",
            collaborators=[erin.pk],
            new_partners="Toynbee Hall",
            based_on=services.details_fingerprint(assessment),
        ),
    )
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.title == "Peer support in Tower Hamlets"
    assert list(assessment.collaborators.all()) == [erin]
    assert [p.name for p in assessment.partners.all()] == ["Toynbee Hall"]
    assert assessment.revision == 1
