"""Places on the reporting side: the dashboard's map and its table, filters by place on the
dashboard, the board portal and the exports, and the same counts everywhere."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from assessments.models import Assessment
from outcomes.tests.factories import predicted_assessment, signed_off_review
from places.models import LocalAuthority
from reporting.portfolio import portfolio_recount
from reporting.tests.factories import CAMDEN, HACKNEY, NEWHAM, place, portfolio
from reporting.tests.reading import SVG, csv_rows, table_url, xlsx_rows
from thrive_edi.roles import Role

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("reporting:dashboard")


@pytest.fixture
def spread(staff_user):
    """Signed-off assessments: 3 in Newham, 2 in Newham and Hackney, 1 in Camden, 4 London-wide,
    2 nowhere; 2 superseded ones in Newham and a draft in Newham, which the dashboard leaves out."""
    place(portfolio(staff_user, 3, title="Newham"), NEWHAM)
    place(portfolio(staff_user, 2, title="Both"), NEWHAM, HACKNEY)
    place(portfolio(staff_user, 1, title="Camden"), CAMDEN)
    portfolio(staff_user, 4, title="London", london_wide=True)
    portfolio(staff_user, 2, title="Nowhere")
    place(portfolio(staff_user, 2, title="Old", status=Assessment.Status.SUPERSEDED), NEWHAM)
    place(portfolio(staff_user, 1, title="Draft", status=Assessment.Status.DRAFT), NEWHAM)
    portfolio_recount()


def independent_counts() -> dict[str, int]:
    """Counted from the rows, one assessment at a time, apart from the code under test."""
    counts: dict[str, int] = {}
    for assessment in Assessment.objects.filter(status="signed_off").prefetch_related("local_authorities"):
        keys = (
            ["london"] if assessment.london_wide else [a.gss_code for a in assessment.local_authorities.all()]
        )
        for key in keys:
            counts[key] = counts.get(key, 0) + 1
    return counts


def shown_on_map(response) -> dict[str, int]:
    figures = response.context["figures"].places
    counts = {tile.gss_code: tile.count for tile in figures.tiles if tile.count}
    if figures.london_wide:
        counts["london"] = figures.london_wide
    return counts


def test_the_map_counts_the_latest_signed_off_assessments_in_each_borough(client, board_user, spread):
    client.force_login(board_user)
    response = client.get(DASHBOARD)
    assert shown_on_map(response) == independent_counts() == {NEWHAM: 5, HACKNEY: 2, CAMDEN: 1, "london": 4}


def test_the_map_is_an_svg_image_of_33_squares_each_showing_its_number(client, board_user, spread):
    client.force_login(board_user)
    page = client.get(DASHBOARD).content.decode()
    start = page.index('<svg xmlns="http://www.w3.org/2000/svg" class="thrive-chart" id="chart-places"')
    svg = ET.fromstring(page[start : page.index("</svg>", start) + len("</svg>")])
    assert svg.get("role") == "img" and svg.get("aria-describedby") == "about-places"
    assert svg.find(f"{SVG}title").text == "Signed-off assessments by local authority"
    tiles = svg.findall(f"{SVG}g")
    assert len(tiles) == 33
    numbers = {tile.find(f"{SVG}title").text: tile.findall(f"{SVG}text")[1].text for tile in tiles}
    assert numbers["Newham: 5"] == "5" and numbers["Camden: 1"] == "1" and numbers["Sutton: 0"] == "0"
    assert len({tile.find(f"{SVG}rect").get("fill") for tile in tiles}) > 1  # shaded by count


def test_the_table_beside_the_map_gives_the_same_numbers_and_london_wide_apart(client, board_user, spread):
    client.force_login(board_user)
    page = client.get(DASHBOARD).content.decode()
    table = page[page.index('id="table-places"') : page.index("</table>", page.index('id="table-places"'))]
    assert table.count('<tr class="govuk-table__row">') == 1 + 1 + 33  # header, London-wide, boroughs
    assert "4 London-wide assessments, counted apart from the squares" in " ".join(page.split()).replace(
        '<span class="govuk-heading-l govuk-!-display-inline">4</span>', "4"
    )


def test_filtering_the_dashboard_by_a_borough_counts_it_with_the_london_wide_ones(client, board_user, spread):
    client.force_login(board_user)
    response = client.get(DASHBOARD, {"place": HACKNEY})
    expected = Assessment.objects.filter(status="signed_off", title__startswith=("Both")).count() + 4
    assert response.context["figures"].assessment_count == expected == 6
    assert shown_on_map(response) == {NEWHAM: 2, HACKNEY: 2, "london": 4}
    assert f'href="{reverse("reporting:exports")}?place={HACKNEY}"' in response.content.decode()


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_exports_filtered_by_a_borough_hold_what_the_dashboard_counts(
    client, board_user, spread, file_format
):
    client.force_login(board_user)
    figures = client.get(DASHBOARD, {"place": NEWHAM}).context["figures"]
    response = client.get(table_url("assessments", file_format), {"place": NEWHAM})
    rows = csv_rows(response) if file_format == "csv" else xlsx_rows(response)
    header, rows = rows[0], rows[1:]
    status = header.index("Status")
    signed_off = [row for row in rows if row[status] == "Signed off"]
    assert len(signed_off) == figures.assessment_count == 3 + 2 + 4
    # The board reads superseded versions too: they are in the export, marked so.
    assert sum(row[status] == "Superseded" for row in rows) == 2
    where, codes = header.index("Where it takes place"), header.index("GSS codes")
    assert {(row[where], row[codes] or "") for row in signed_off} == {
        ("Newham", NEWHAM),
        ("Hackney; Newham", f"{HACKNEY}; {NEWHAM}"),
        ("London-wide", ""),
    }


def test_the_exports_page_offers_the_filter_and_links_the_downloads_to_it(client, staff_user, spread):
    client.force_login(staff_user)
    page = client.get(reverse("reporting:exports"), {"place": CAMDEN}).content.decode()
    assert f"{table_url('assessments', 'csv')}?place={CAMDEN}" in page
    assert "The downloads hold 5 assessments" in page  # Camden's one and the four London-wide


def test_an_export_with_an_unknown_place_goes_back_to_the_page_that_says_so(client, staff_user, spread):
    client.force_login(staff_user)
    response = client.get(table_url("assessments", "csv"), {"place": "E09999999"}, follow=True)
    assert response.status_code == 200
    assert "There is a problem with the filter" in response.content.decode()


def test_the_board_portal_filters_by_place(client, board_user, spread):
    client.force_login(board_user)
    response = client.get(reverse("reporting:portal"), {"place": "london"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "London 0" in page and "Newham 0" not in page and "Camden 0" not in page


def test_the_framework_items_of_both_kinds_read_in_one_query_are_those_read_one_kind_at_a_time(
    django_assert_num_queries,
):
    from frameworks.models import Characteristic, Principle
    from reporting.filters import framework_items, framework_items_of_both

    with django_assert_num_queries(1):
        both = framework_items_of_both()
    assert both == {
        "characteristics": framework_items(Characteristic),
        "principles": framework_items(Principle),
    }


def test_filtering_the_dashboard_by_a_borough_counts_only_its_outcome_reviews(
    client, staff_user, user_factory, sign_off
):
    other_approver = user_factory(username="erin", role=Role.APPROVER)

    newham = predicted_assessment(staff_user, title="Newham", negative=("age",), positive=("sex",))
    camden = predicted_assessment(staff_user, title="Camden", negative=("age",), positive=())
    newham.local_authorities.set(LocalAuthority.objects.filter(gss_code=NEWHAM))
    camden.local_authorities.set(LocalAuthority.objects.filter(gss_code=CAMDEN))
    newham, camden = sign_off(newham), sign_off(camden)
    signed_off_review(newham, staff_user, other_approver, {"age": "worse", "sex": "better"})
    signed_off_review(camden, staff_user, other_approver, {"age": "as_expected"})
    client.force_login(staff_user)

    def shown(response):
        return {
            (row.name, row.direction): (row.better, row.as_expected, row.worse, row.not_known)
            for row in response.context["outcomes"]
        }

    assert shown(client.get(DASHBOARD)) == {
        ("Age", "negative"): (0, 1, 1, 0),
        ("Sex", "positive"): (1, 0, 0, 0),
    }
    response = client.get(DASHBOARD, {"place": NEWHAM})
    assert response.context["figures"].assessment_count == 1
    assert shown(response) == {("Age", "negative"): (0, 0, 1, 0), ("Sex", "positive"): (1, 0, 0, 0)}
    assert 'id="outcomes-table"' in response.content.decode()
    assert shown(client.get(DASHBOARD, {"place": CAMDEN})) == {("Age", "negative"): (0, 1, 0, 0)}
