"""The Pledge progress report's pages: reading, narrative, sign-off, publication, its PDF."""

import io
import itertools
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from assessments.forms import DeclarationForm
from assessments.snapshots import fingerprint
from pledges import services
from pledges.forms import DECLARATION_MESSAGE, PUBLISH_MESSAGE
from pledges.models import PledgeReport, ReportNarrative
from pledges.periods import FinancialYear
from pledges.permissions import Refused
from pledges.presentation import report_html
from pledges.selectors import report_draft
from pledges.tests.factories import make_pledge, seed_record
from reporting.tests.pdf_checks import (
    characters_outside_the_page,
    comparable,
    fonts_with_custom_encoding,
    header_cell_scopes,
    missing_glyphs,
    pdftotext,
)
from thrive_edi.roles import Role

pytestmark = pytest.mark.django_db

YEAR = 2026
PERIOD = FinancialYear(YEAR)
NARRATIVE = "Peer workers from Black-led organisations ran every session."


@pytest.fixture
def version(staff_user, approver_user, board_user):
    version = make_pledge(commitments=2)
    seed_record(staff_user, approver_user, board_user, list(version.commitments.order_by("number")), count=7)
    return version


def narrative_url(version, number=1, part="did"):
    return reverse("pledges:narrative", args=[YEAR, version.pledge_id, number, part])


def test_the_report_page_shows_each_commitment_with_its_figures_and_charts(client, staff_user, version):
    client.force_login(staff_user)
    response = client.get(reverse("pledges:report", args=[YEAR]))
    assert response.status_code == 200
    html = response.content.decode()
    document = report_draft(PERIOD)
    assert "Pledge progress report 2026/27" in html
    for commitment in document["pledges"][0]["commitments"]:
        assert f'id="commitment-{commitment["key"]}"' in html
        for item in commitment["activities"]:
            assert f'href="{item["url"]}"' in html
    # Three charts of the figures, and one of each table by place, each above its table.
    assert [table["slug"] for table in document["tables"]] == ["places", "screening-places"]
    assert html.count('role="img"') == 3 + 2
    assert "Screenings signed off in the year, by where the activity takes place" in html
    screened = document["totals"]["screenings_signed_off"]
    assert f'data-figure="Screenings signed off">{screened}<' in html
    total = document["totals"]["assessments_signed_off"]
    assert f'data-figure="Assessments signed off">{total}<' in html
    assert "No outcome review of this work was signed off in the year." in html  # none seeded


def test_the_report_defaults_to_the_current_financial_year(client, staff_user):
    client.force_login(staff_user)
    response = client.get(reverse("pledges:index"))
    assert response.url == reverse("pledges:report", args=[FinancialYear.current().year])
    response = client.get(reverse("pledges:index"), {"year": "2024"})
    assert response.url == reverse("pledges:report", args=[2024])


def test_a_year_out_of_range_is_not_found(client, staff_user):
    client.force_login(staff_user)
    assert client.get(reverse("pledges:report", args=[1999])).status_code == 404


def test_anonymous_people_are_sent_to_sign_in(client):
    response = client.get(reverse("pledges:report", args=[YEAR]))
    assert response.status_code == 302 and "/sign-in/" in response.url


def test_the_board_reads_the_report_but_writes_no_narrative(client, board_user, version):
    client.force_login(board_user)
    assert client.get(reverse("pledges:report", args=[YEAR])).status_code == 200
    response = client.post(narrative_url(version), {"text": NARRATIVE})
    assert response.status_code == 403
    assert not ReportNarrative.objects.exists()


def test_staff_add_narrative_to_a_part_and_it_shows_on_the_page_and_in_the_pdf(client, staff_user, version):
    client.force_login(staff_user)
    assert client.get(narrative_url(version, 2, "challenges")).status_code == 200
    response = client.post(narrative_url(version, 2, "challenges"), {"text": NARRATIVE})
    assert response.status_code == 302
    stored = ReportNarrative.objects.get()
    assert (stored.number, stored.part, stored.text, stored.updated_by) == (
        2,
        "challenges",
        NARRATIVE,
        staff_user,
    )
    assert NARRATIVE in client.get(reverse("pledges:report", args=[YEAR])).content.decode()
    pdf = client.get(reverse("pledges:report_pdf", args=[YEAR])).content
    assert comparable(NARRATIVE) in comparable(pdftotext(pdf))


def test_narrative_too_long_is_refused_with_a_message_and_kept(client, staff_user, version):
    client.force_login(staff_user)
    text = "x" * 10001
    response = client.post(narrative_url(version), {"text": text})
    assert response.status_code == 400
    assert "10,000 characters" in response.content.decode()
    assert text in response.content.decode()
    assert not ReportNarrative.objects.exists()


def test_an_unknown_part_or_commitment_is_not_found(client, staff_user, version):
    client.force_login(staff_user)
    assert client.get(narrative_url(version, 1, "gossip")).status_code == 404
    assert client.get(narrative_url(version, 9, "did")).status_code == 404


def test_the_narrative_page_refuses_put(client, staff_user, version):
    client.force_login(staff_user)
    assert client.put(narrative_url(version)).status_code == 405


def test_only_an_approver_signs_off(client, staff_user, approver_user, version):
    client.force_login(staff_user)
    assert client.post(reverse("pledges:sign_off", args=[YEAR]), {"declaration": "on"}).status_code == 403
    client.force_login(approver_user)
    response = client.post(reverse("pledges:sign_off", args=[YEAR]), {})
    assert response.status_code == 400
    assert not PledgeReport.objects.filter(status=PledgeReport.Status.SIGNED_OFF).exists()
    response = client.post(reverse("pledges:sign_off", args=[YEAR]), {"declaration": "on"})
    assert response.status_code == 302
    report = PledgeReport.objects.get(year=YEAR)
    assert report.is_signed_off and report.signed_off_by == approver_user
    assert report.sha256 == fingerprint(report.document)


@pytest.mark.parametrize(
    ("step", "message", "signed_first"),
    [("pledges:sign_off", DECLARATION_MESSAGE, False), ("pledges:publish", PUBLISH_MESSAGE, True)],
)
def test_the_report_is_signed_off_and_published_with_the_declaration_assessments_use(
    client, approver_user, version, step, message, signed_first
):
    if signed_first:
        services.report_sign_off(period=PERIOD, user=approver_user)
    client.force_login(approver_user)
    response = client.post(reverse(step, args=[YEAR]), {"confirm": "on"})
    assert response.status_code == 400
    assert isinstance(response.context["form"], DeclarationForm)
    assert response.context["form"].errors["declaration"] == [message]


def test_narrative_edits_after_sign_off_are_refused(client, staff_user, approver_user, version):
    services.report_narrative_save(
        period=PERIOD, user=staff_user, pledge_id=version.pledge_id, number=1, part="did", text=NARRATIVE
    )
    report = services.report_sign_off(period=PERIOD, user=approver_user)
    with pytest.raises(PermissionDenied, match=re.escape(Refused.SIGNED_OFF)):
        services.report_narrative_save(
            period=PERIOD, user=staff_user, pledge_id=version.pledge_id, number=1, part="did", text="Changed."
        )
    narrative = ReportNarrative.objects.get()
    narrative.text = "Changed behind the service's back."
    with pytest.raises(PermissionDenied):
        narrative.save()
    client.force_login(staff_user)
    response = client.post(narrative_url(version), {"text": "Changed through the page."})
    assert response.status_code == 403
    assert Refused.SIGNED_OFF in response.content.decode()
    assert ReportNarrative.objects.get().text == NARRATIVE
    report.refresh_from_db()
    assert report.sha256 == fingerprint(report.document)


def test_the_signed_report_keeps_what_the_record_said_at_sign_off(
    client, staff_user, approver_user, board_user, version
):
    report = services.report_sign_off(period=PERIOD, user=approver_user)
    before = client_figure(client, staff_user)
    seed_record(staff_user, approver_user, board_user, list(version.commitments.all()), count=7)
    assert report_draft(PERIOD)["totals"]["assessments_signed_off"] > int(before)
    assert client_figure(client, staff_user) == before
    PledgeReport.objects.filter(pk=report.pk).update(document=report.document.replace("Example", "Altered"))
    response = client.get(reverse("pledges:report", args=[YEAR]))
    assert response.status_code == 409
    assert "failed its integrity check" in response.content.decode()
    assert client.get(reverse("pledges:report_pdf", args=[YEAR])).status_code == 409


def client_figure(client, user) -> str:
    client.force_login(user)
    html = client.get(reverse("pledges:report", args=[YEAR])).content.decode()
    return re.search(r'data-figure="Assessments signed off">(\d+)<', html).group(1)


def test_a_signed_report_is_published_on_the_register_for_anyone(client, approver_user, version):
    public = reverse("pledges:public_report", args=[YEAR])
    assert client.get(public).status_code == 404
    services.report_sign_off(period=PERIOD, user=approver_user)
    assert client.get(public).status_code == 404
    client.force_login(approver_user)
    assert client.post(reverse("pledges:publish", args=[YEAR]), {}).status_code == 400
    assert client.post(reverse("pledges:publish", args=[YEAR]), {"declaration": "on"}).status_code == 302
    client.logout()
    response = client.get(public)
    assert response.status_code == 200
    assert "Pledge progress report 2026/27" in response.content.decode()
    assert "/assessments/" not in response.content.decode()  # no links into the staff pages
    public_pdf = client.get(reverse("pledges:public_report_pdf", args=[YEAR]))
    assert public_pdf["Content-Type"] == "application/pdf"
    assert approver_user.first_name not in pdftotext(public_pdf.content)
    register = client.get(reverse("publication:register")).content.decode()
    assert public in register


def test_an_unsigned_report_cannot_be_published(client, approver_user, version):
    client.force_login(approver_user)
    response = client.post(reverse("pledges:publish", args=[YEAR]), {"declaration": "on"})
    assert response.status_code == 403
    assert Refused.NOT_SIGNED_OFF in response.content.decode()


def test_the_pdf_is_tagged_titled_in_english_and_every_header_cell_has_a_scope(client, staff_user, version):
    client.force_login(staff_user)
    with missing_glyphs() as missing:
        response = client.get(reverse("pledges:report_pdf", args=[YEAR]))
    assert not missing
    data = response.content
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]
    assert str(root["/Lang"]).lower() == "en-gb"
    assert reader.metadata.title == "Pledge progress report 2026/27"
    assert not fonts_with_custom_encoding(data)
    assert not characters_outside_the_page(data)
    scopes = header_cell_scopes(data)
    assert scopes and None not in scopes
    text = comparable(pdftotext(data))
    for commitment in report_draft(PERIOD)["pledges"][0]["commitments"]:
        assert comparable(commitment["name"]) in text
        for item in commitment["activities"]:
            assert comparable(item["reference"]) in text


def test_the_pdfs_headings_come_in_order(version):
    html = report_html(report_draft(PERIOD), "")
    levels = [int(level) for level in re.findall(r"<h([1-6])[ >]", html)]
    assert levels[0] == 1
    assert all(later - earlier <= 1 for earlier, later in itertools.pairwise(levels))


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_report_page_and_its_pdf_read_a_fixed_number_of_queries(
    client, staff_user, approver_user, board_user, user_factory
):
    version = make_pledge(commitments=3)
    commitments = list(version.commitments.all())
    seed_record(staff_user, approver_user, board_user, commitments, count=3)
    reader = user_factory(username="reader", role=Role.STAFF)
    client.force_login(reader)
    page, pdf = reverse("pledges:report", args=[YEAR]), reverse("pledges:report_pdf", args=[YEAR])
    _queries(client, page)  # sessions and caches settle
    small = (_queries(client, page), _queries(client, pdf))
    seed_record(staff_user, approver_user, board_user, commitments, count=14)
    assert report_draft(PERIOD)["totals"]["assessments_signed_off"] >= 8
    assert (_queries(client, page), _queries(client, pdf)) == small


def test_an_approver_who_wrote_narrative_cannot_sign_the_report_off(
    client, approver_user, user_factory, version
):
    services.report_narrative_save(
        period=PERIOD, user=approver_user, pledge_id=version.pledge_id, number=1, part="did", text=NARRATIVE
    )
    client.force_login(approver_user)
    page = client.get(reverse("pledges:report", args=[YEAR])).content.decode()
    assert reverse("pledges:sign_off", args=[YEAR]) not in page
    assert Refused.WROTE_NARRATIVE in page
    for response in (
        client.get(reverse("pledges:sign_off", args=[YEAR])),
        client.post(reverse("pledges:sign_off", args=[YEAR]), {"declaration": "on"}),
    ):
        assert response.status_code == 403
        assert Refused.WROTE_NARRATIVE in response.content.decode()
    with pytest.raises(PermissionDenied, match=re.escape(Refused.WROTE_NARRATIVE)):
        services.report_sign_off(period=PERIOD, user=approver_user)
    assert not PledgeReport.objects.get(year=YEAR).is_signed_off

    other = user_factory(username="erin", role=Role.APPROVER, first_name="Erin")
    client.force_login(other)
    assert (
        reverse("pledges:sign_off", args=[YEAR])
        in client.get(reverse("pledges:report", args=[YEAR])).content.decode()
    )
    assert client.post(reverse("pledges:sign_off", args=[YEAR]), {"declaration": "on"}).status_code == 302
    report = PledgeReport.objects.get(year=YEAR)
    assert report.is_signed_off and report.signed_off_by == other


def test_an_approver_whose_narrative_was_rewritten_by_someone_else_still_may_not_sign_off(
    staff_user, approver_user, version
):
    for author, text in ((approver_user, NARRATIVE), (staff_user, f"{NARRATIVE} Reworded.")):
        services.report_narrative_save(
            period=PERIOD, user=author, pledge_id=version.pledge_id, number=1, part="did", text=text
        )
    with pytest.raises(PermissionDenied, match=re.escape(Refused.WROTE_NARRATIVE)):
        services.report_sign_off(period=PERIOD, user=approver_user)
