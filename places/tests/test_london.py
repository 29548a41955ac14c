"""London's reference data: loaded on a fresh install, right, and kept by admins."""

import pytest
from django.urls import reverse

from places.london import load_london
from places.models import IntegratedCareSystem, LocalAuthority
from places.tiles import grid_size, tile_positions

pytestmark = pytest.mark.django_db

MEMBERS = {
    "North Central London": {"Barnet", "Camden", "Enfield", "Haringey", "Islington"},
    "North East London": {
        "Barking and Dagenham",
        "City of London",
        "Hackney",
        "Havering",
        "Newham",
        "Redbridge",
        "Tower Hamlets",
        "Waltham Forest",
    },
    "North West London": {
        "Brent",
        "Ealing",
        "Hammersmith and Fulham",
        "Harrow",
        "Hillingdon",
        "Hounslow",
        "Kensington and Chelsea",
        "Westminster",
    },
    "South East London": {"Bexley", "Bromley", "Greenwich", "Lambeth", "Lewisham", "Southwark"},
    "South West London": {
        "Croydon",
        "Kingston upon Thames",
        "Merton",
        "Richmond upon Thames",
        "Sutton",
        "Wandsworth",
    },
}


def test_a_fresh_database_holds_the_33_local_authorities_with_their_gss_codes():
    codes = sorted(LocalAuthority.objects.values_list("gss_code", flat=True))
    assert codes == [f"E09{n:06d}" for n in range(1, 34)]
    assert LocalAuthority.objects.get(gss_code="E09000001").name == "City of London"
    assert LocalAuthority.objects.get(gss_code="E09000033").name == "Westminster"


def test_each_integrated_care_system_groups_its_own_local_authorities():
    found = {
        system.name: set(system.local_authorities.values_list("name", flat=True))
        for system in IntegratedCareSystem.objects.all()
    }
    assert found == MEMBERS


def test_loading_again_adds_nothing_and_keeps_what_admins_renamed():
    LocalAuthority.objects.filter(gss_code="E09000007").update(name="London Borough of Camden")
    assert load_london() == 0
    assert LocalAuthority.objects.count() == 33
    assert LocalAuthority.objects.get(gss_code="E09000007").name == "London Borough of Camden"


def test_every_local_authority_has_a_square_of_its_own_on_the_map():
    positions = tile_positions()
    assert set(positions) == set(LocalAuthority.objects.values_list("gss_code", flat=True))
    assert len(set(positions.values())) == 33
    rows, columns = grid_size()
    assert all(0 <= row < rows and 0 <= column < columns for row, column in positions.values())


def test_admins_see_and_change_local_authorities(client, admin_user_with_role):
    client.force_login(admin_user_with_role)
    camden = LocalAuthority.objects.get(gss_code="E09000007")
    assert "Camden" in client.get(reverse("admin:places_localauthority_changelist")).content.decode()
    url = reverse("admin:places_localauthority_change", args=[camden.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"gss_code": "E09000007", "name": "Camden Town", "ics": camden.ics_id})
    assert response.status_code == 302
    camden.refresh_from_db()
    assert camden.name == "Camden Town"


def test_admins_cannot_give_a_code_that_is_not_a_london_gss_code(client, admin_user_with_role):
    client.force_login(admin_user_with_role)
    camden = LocalAuthority.objects.get(gss_code="E09000007")
    url = reverse("admin:places_localauthority_change", args=[camden.pk])
    response = client.post(url, {"gss_code": "W06000015", "name": "Camden", "ics": camden.ics_id})
    assert response.status_code == 200
    assert "Enter a GSS code of a London local authority" in response.content.decode()


def test_staff_cannot_open_the_admin_pages(client, staff_user):
    client.force_login(staff_user)
    response = client.get(reverse("admin:places_localauthority_changelist"))
    assert response.status_code in (302, 403)
