"""Exports: what each role may download, what the files hold, and what they cost."""

import hashlib
import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import Action, Assessment
from assessments.tests.factories import make_assessment
from frameworks.scales import ActivityType, Decision, EvidenceConfidence, Impact
from reporting.exports import CSV_CONTENT_TYPE, JSON_CONTENT_TYPE, XLSX_CONTENT_TYPE, guard
from reporting.tests.factories import portfolio, rate, take_through_sign_off
from reporting.tests.reading import body, csv_rows, table_url, xlsx_rows
from reporting.views.insight import UNKNOWN_REFERENCE_MESSAGE

EXPORTS = reverse("reporting:exports")


def download(client, user, dataset: str, file_format: str) -> list[list]:
    client.force_login(user)
    response = client.get(table_url(dataset, file_format))
    assert response.status_code == 200
    return csv_rows(response) if file_format == "csv" else xlsx_rows(response)


@pytest.fixture
def draft_and_signed_off(staff_user):
    draft = portfolio(staff_user, 1, status=Assessment.Status.DRAFT, title="Draft work")
    signed = portfolio(staff_user, 1, title="Signed work", decision=Decision.ADJUST)
    return Assessment.objects.get(pk=draft[0]), Assessment.objects.get(pk=signed[0])


@pytest.mark.django_db
def test_the_assessments_csv_holds_a_row_per_assessment_with_its_labels(
    client, staff_user, draft_and_signed_off
):
    draft, signed = draft_and_signed_off
    rows = download(client, staff_user, "assessments", "csv")
    assert rows[0] == [
        "Reference",
        "Title",
        "Activity type",
        "Status",
        "Owner",
        "Framework version",
        "Decision",
        "Review date",
        "Submitted",
        "Signed off",
        "Where it takes place",
        "GSS codes",
    ]
    by_reference = {row[0]: row for row in rows[1:]}
    assert set(by_reference) == {draft.reference, signed.reference}
    row = by_reference[signed.reference]
    version = signed.framework_version
    assert row[1:7] == [
        "Signed work 0",
        "Programme",
        "Signed off",
        "Alice User",
        f"{version.name} {version.label}",
        version.label_for("decisions", Decision.ADJUST),
    ]
    assert row[7] == signed.review_date.isoformat()
    assert row[9] == timezone.localtime(signed.signed_off_at).strftime("%Y-%m-%d %H:%M")
    assert by_reference[draft.reference][3] == "Draft"


@pytest.mark.django_db
def test_the_assessments_workbook_holds_the_same_rows_with_real_dates(
    client, staff_user, draft_and_signed_off
):
    _, signed = draft_and_signed_off
    rows = download(client, staff_user, "assessments", "xlsx")
    assert rows[0][0] == "Reference" and len(rows) == 3
    row = next(row for row in rows if row[0] == signed.reference)
    assert row[7].date() == signed.review_date
    signed_off = timezone.localtime(signed.signed_off_at).replace(
        tzinfo=None
    )  # local time, as people read it
    assert abs(row[9] - signed_off) < timedelta(seconds=1)


@pytest.mark.django_db
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_impact_ratings_hold_a_row_per_characteristic_with_the_versions_wording(
    client, staff_user, file_format
):
    pks = portfolio(staff_user, 1, status=Assessment.Status.DRAFT)
    rate(
        pks,
        "race",
        impact=Impact.NEGATIVE,
        confidence=EvidenceConfidence.LOW,
        data_gap=True,
        evidence="=cmd|'/C calc'!A0",
    )
    assessment = Assessment.objects.get(pk=pks[0])
    rows = download(client, staff_user, "impacts", file_format)
    assert rows[0] == ["Reference", "Characteristic", "Impact", "Confidence", "Data gap", "Evidence"]
    assert len(rows) == 1 + assessment.framework_version.characteristics.count()
    race = next(row for row in rows if row[1] == "Race")
    version = assessment.framework_version
    assert race == [
        assessment.reference,
        "Race",
        version.label_for("impact", Impact.NEGATIVE),
        version.label_for("evidence_confidence", EvidenceConfidence.LOW),
        "Yes",
        "'=cmd|'/C calc'!A0",
    ]
    assert rows[1][1] == "Age"  # protected characteristics first, in the version's order


@pytest.mark.django_db
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_actions_hold_their_owner_due_date_status_and_characteristics(client, staff_user, file_format):
    pks = portfolio(staff_user, 1, status=Assessment.Status.DRAFT)
    action = Action.objects.get(assessment=pks[0])
    Action.objects.filter(pk=action.pk).update(status=Action.Status.IN_PROGRESS)
    rows = download(client, staff_user, "actions", file_format)
    assert rows[0] == ["Reference", "Issue", "Action", "Owner", "Due date", "Status", "Characteristics"]
    due = action.due_date.isoformat() if file_format == "csv" else rows[1][4]
    assert rows[1] == [
        Assessment.objects.get(pk=pks[0]).reference,
        "An issue.",
        "An action.",
        "Alice User",
        due,
        "In progress",
        "Age",
    ]
    if file_format == "xlsx":
        assert due.date() == action.due_date


@pytest.mark.django_db
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_board_members_export_only_signed_off_assessments(
    client, board_user, draft_and_signed_off, file_format
):
    _, signed = draft_and_signed_off
    for dataset in ("assessments", "impacts", "actions"):
        references = {row[0] for row in download(client, board_user, dataset, file_format)[1:]}
        assert references == {signed.reference}, dataset


@pytest.mark.django_db
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_cells_that_a_spreadsheet_would_run_start_with_a_quote(client, staff_user, file_format):
    titles = ["=1+2", "+SUM(A1)", "-2+3", "@cmd", "\tTab", "Plain = text"]
    for title in titles:
        portfolio(staff_user, 1, title=title, status=Assessment.Status.DRAFT)
    rows = download(client, staff_user, "assessments", file_format)
    exported = sorted(row[1] for row in rows[1:])
    assert exported == sorted(["'=1+2 0", "'+SUM(A1) 0", "'-2+3 0", "'@cmd 0", "'\tTab 0", "Plain = text 0"])


def test_guard_leaves_everything_but_formula_like_text_alone():
    assert guard("=A1") == "'=A1"
    assert guard("Ann") == "Ann"
    assert guard(None) is None
    assert guard(3) == 3


@pytest.mark.django_db
def test_control_characters_in_text_do_not_break_the_workbook(client, staff_user):
    portfolio(staff_user, 1, title="Bell\x07 and null", status=Assessment.Status.DRAFT)
    rows = download(client, staff_user, "assessments", "xlsx")
    assert rows[1][1] == "Bell and null 0"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("dataset", "file_format", "content_type"),
    [
        ("assessments", "csv", CSV_CONTENT_TYPE),
        ("impacts", "xlsx", XLSX_CONTENT_TYPE),
        ("actions", "csv", CSV_CONTENT_TYPE),
    ],
)
def test_downloads_are_attachments_named_after_their_table_and_the_day(
    client, staff_user, dataset, file_format, content_type
):
    client.force_login(staff_user)
    response = client.get(table_url(dataset, file_format))
    assert response["Content-Type"] == content_type
    today = timezone.localdate().isoformat()
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="thrive-edi-{dataset}-{today}.{file_format}"'
    )


@pytest.mark.django_db
def test_csv_starts_with_a_byte_order_mark_for_spreadsheet_programs(client, staff_user):
    client.force_login(staff_user)
    assert body(client.get(table_url("assessments", "csv"))).startswith("\ufeffReference".encode())


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/exports/answers.csv", "/exports/assessments.pdf", "/exports/assessments.CSV"]
)
def test_unknown_tables_and_formats_are_not_found(client, staff_user, url):
    client.force_login(staff_user)
    assert client.get(url).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [EXPORTS, "/exports/assessments.csv", "/exports/actions.xlsx", "/exports/assessments/EIA-2099-0001.json"],
)
def test_anonymous_users_are_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
@pytest.mark.parametrize("url", [EXPORTS, "/exports/assessments.csv", "/exports/impacts.xlsx"])
def test_a_user_without_a_role_is_refused(client, user_factory, url):
    client.force_login(user_factory(username="eve"))
    assert client.get(url).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("url", [EXPORTS, "/exports/assessments.csv", "/exports/assessments.xlsx"])
def test_exports_refuse_post(client, staff_user, url):
    client.force_login(staff_user)
    assert client.post(url).status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize("dataset", ["assessments", "impacts", "actions"])
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_an_export_takes_the_same_number_of_queries_for_3_and_60_assessments(
    client, staff_user, django_assert_num_queries, dataset, file_format
):
    client.force_login(staff_user)
    client.get(EXPORTS)  # the first request of a session reads what later ones have cached
    portfolio(staff_user, 3)
    read_rows = csv_rows if file_format == "csv" else xlsx_rows
    with CaptureQueriesContext(connection) as small:
        rows = len(read_rows(client.get(table_url(dataset, file_format))))
    portfolio(staff_user, 57, status=Assessment.Status.DRAFT)
    with django_assert_num_queries(len(small)):
        more = len(read_rows(client.get(table_url(dataset, file_format))))
    assert more > rows


@pytest.mark.django_db
def test_a_signed_off_assessment_downloads_as_its_snapshot_byte_for_byte(
    client, staff_user, approver_user, board_user
):
    assessment = take_through_sign_off(staff_user, approver_user)
    client.force_login(board_user)
    response = client.get(reverse("reporting:export_assessment", args=[assessment.reference]))
    assert response.status_code == 200
    assert response["Content-Type"] == JSON_CONTENT_TYPE
    assert response["Content-Disposition"] == f'attachment; filename="{assessment.reference}-v1.json"'
    assert response.content == assessment.snapshot.document.encode("utf-8")
    assert hashlib.sha256(response.content).hexdigest() == assessment.snapshot.sha256


@pytest.mark.django_db
def test_a_draft_downloads_as_it_stands_in_the_snapshots_shape(client, staff_user):
    draft = make_assessment(staff_user, title="<b>Peer support</b>", activity_type=ActivityType.SERVICE)
    client.force_login(staff_user)
    response = client.get(reverse("reporting:export_assessment", args=[draft.reference]))
    document = json.loads(response.content)
    assert document["assessment"]["reference"] == draft.reference
    assert document["assessment"]["title"] == "<b>Peer support</b>"
    assert document["assessment"]["status"] == {"key": "draft", "label": "Draft"}
    assert document["assessment"]["signed_off_at"] is None
    assert document["assessment"]["activity_type"]["key"] == ActivityType.SERVICE
    assert [section["key"] for section in document["sections"]]
    assert len(document["ratings"]) == draft.framework_version.characteristics.count()


@pytest.mark.django_db
def test_board_members_get_404_for_a_draft_and_everyone_for_an_unknown_reference(
    client, staff_user, board_user
):
    draft = make_assessment(staff_user)
    client.force_login(board_user)
    assert client.get(reverse("reporting:export_assessment", args=[draft.reference])).status_code == 404
    client.force_login(staff_user)
    assert client.get(reverse("reporting:export_assessment", args=["EIA-1999-0001"])).status_code == 404


@pytest.mark.django_db
def test_the_exports_page_lists_every_download(client, board_user, draft_and_signed_off):
    client.force_login(board_user)
    response = client.get(EXPORTS)
    assert response.status_code == 200
    for dataset in ("assessments", "impacts", "actions"):
        for file_format in ("csv", "xlsx"):
            assert f'href="{table_url(dataset, file_format)}"' in response.text
    assert "The downloads hold 1 assessment:" in response.text
    assert "your role reads signed-off assessments only" in response.text
    assert f'href="{reverse("reporting:dashboard")}"' in response.text


@pytest.mark.django_db
def test_a_reference_entered_on_the_exports_page_leads_to_its_json(client, board_user, draft_and_signed_off):
    draft, signed = draft_and_signed_off
    client.force_login(board_user)
    response = client.get(EXPORTS, {"reference": f" {signed.reference.lower()} "})
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:export_assessment", args=[signed.reference])
    refused = client.get(EXPORTS, {"reference": draft.reference})
    assert refused.status_code == 200
    assert UNKNOWN_REFERENCE_MESSAGE in refused.text
    assert refused.text.count(UNKNOWN_REFERENCE_MESSAGE) == 2  # in the summary and by the field


@pytest.mark.django_db
def test_a_reference_with_a_null_character_is_simply_not_found(client, staff_user):
    client.force_login(staff_user)
    response = client.get(EXPORTS, {"reference": "EIA-2026\x00-0001"})
    assert response.status_code == 200
    assert UNKNOWN_REFERENCE_MESSAGE in response.text
    assert client.get("/exports/assessments/EIA-2026%00-0001.json").status_code == 404
