"""What the Pledge progress report holds about a person: the narrative they wrote, exported; on
erasure, the report's page names the pseudonym while the signed document keeps its names."""

import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from assessments.snapshots import fingerprint
from pledges import services
from pledges.models import PledgeReport
from pledges.periods import FinancialYear
from pledges.tests.factories import make_pledge
from reporting.tests.pdf_checks import comparable, pdftotext
from thrive_edi.roles import Role

pytestmark = pytest.mark.django_db

YEAR = 2026
PERIOD = FinancialYear(YEAR)
FIRST = "Peer workers from Black-led organisations ran every session."
SECOND = "Peer workers from Black-led organisations ran every session, with paid interpreters."


def export(user) -> dict:
    out = io.StringIO()
    call_command("personal_data", "export", user.get_username(), stdout=out)
    return json.loads(out.getvalue())


def test_the_export_holds_the_narrative_she_wrote_and_each_earlier_wording(staff_user, approver_user):
    version = make_pledge(commitments=1)
    for text in (FIRST, SECOND):
        services.report_narrative_save(
            period=PERIOD, user=staff_user, pledge_id=version.pledge_id, number=1, part="did", text=text
        )
    services.report_narrative_save(
        period=PERIOD,
        user=approver_user,
        pledge_id=version.pledge_id,
        number=1,
        part="outcomes",
        text="Not hers.",
    )

    data = export(staff_user)

    [narrative] = data["pledge_report_narratives"]
    assert narrative["report"] == "Pledge progress report 2026/27"
    assert (narrative["pledge"], narrative["commitment"], narrative["part"]) == (
        "Example pledge",
        1,
        "What we did",
    )
    assert narrative["text"] == SECOND
    assert [wording["text"] for wording in data["pledge_report_narrative_wordings"]] == [FIRST, SECOND]
    assert "Not hers." not in json.dumps(data)
    assert data["pledge_reports_signed_off"] == []


def test_after_erasure_the_report_page_names_the_pseudonym_and_the_signed_document_keeps_its_names(
    client, staff_user, user_factory
):
    version = make_pledge(commitments=1)
    services.report_narrative_save(
        period=PERIOD, user=staff_user, pledge_id=version.pledge_id, number=1, part="did", text=FIRST
    )
    signer = user_factory(username="zokonkwo", role=Role.APPROVER, first_name="Zuleika", last_name="Okonkwo")
    report = services.report_sign_off(period=PERIOD, user=signer)
    assert [item["signed_off_at"] for item in export(signer)["pledge_reports_signed_off"]]
    document = report.document
    client.force_login(staff_user)
    page = reverse("pledges:report", args=[YEAR])
    assert "Okonkwo" in client.get(page).content.decode()

    call_command("personal_data", "erase", "zokonkwo", "--yes", stdout=io.StringIO())

    html = client.get(page).content.decode()
    assert "Okonkwo" not in html and "Zuleika" not in html
    assert f"Former staff member {signer.pk}" in html
    report = PledgeReport.objects.get(pk=report.pk)
    assert report.document == document and fingerprint(report.document) == report.sha256
    pdf = client.get(reverse("pledges:report_pdf", args=[YEAR]))
    assert comparable("Okonkwo") in comparable(pdftotext(pdf.content))  # the signed record keeps it
