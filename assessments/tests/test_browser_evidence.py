"""Evidence and "none applies" in a real browser checked by axe-core: a link added, an
executable called a PDF refused with what was typed kept, a PDF uploaded and listed."""

import hashlib

import pytest

from assessments.models import Evidence, NoneApplies, ParticipationEntry
from assessments.tests.factories import fill_assessment, make_assessment
from assessments.uploads import TYPE_MESSAGE
from thrive_edi.tests.factories import TEST_PASSWORD
from thrive_edi.tests.two_factor import sign_in_in_browser

pytestmark = pytest.mark.browser

SURVEY = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 120


def test_a_link_is_added_an_executable_refused_and_a_pdf_uploaded(
    live_server, page, axe_check, staff_user, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    assessment = make_assessment(staff_user)
    sign_in_in_browser(page, live_server.url, staff_user, TEST_PASSWORD)
    page.goto(f"{live_server.url}/assessments/{assessment.reference}/sections/evidence/")
    page.get_by_role("link", name="Add or remove evidence files and links").click()
    page.wait_for_load_state()
    axe_check(page)

    page.get_by_label("Title", exact=True).fill("Census 2021 ethnic groups")
    page.get_by_label("Web address").fill("https://www.ons.gov.uk/census")
    page.get_by_role("button", name="Add the link").click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name="Census 2021 ethnic groups (link)").is_visible()
    axe_check(page)

    page.locator("[name='file-file']").set_input_files(
        {"name": "survey.pdf", "mimeType": "application/pdf", "buffer": ELF}
    )
    page.locator("[name='file-title']").fill("Borough survey 2025")
    page.get_by_role("button", name="Upload the file").click()
    page.wait_for_load_state()
    assert TYPE_MESSAGE in page.locator(".govuk-error-summary").inner_text()
    assert page.locator("[name='file-title']").input_value() == "Borough survey 2025"
    axe_check(page)

    page.locator("[name='file-file']").set_input_files(
        {"name": "survey.pdf", "mimeType": "application/pdf", "buffer": SURVEY}
    )
    page.get_by_role("button", name="Upload the file").click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name="Borough survey 2025 (download the file)").is_visible()
    assert hashlib.sha256(SURVEY).hexdigest() in page.locator("main").inner_text()
    axe_check(page)
    assert Evidence.objects.filter(assessment=assessment).count() == 2


def test_no_participation_yet_is_chosen_with_its_reason_and_date(live_server, page, axe_check, staff_user):
    assessment = fill_assessment(make_assessment(staff_user), user=staff_user)
    ParticipationEntry.objects.filter(assessment=assessment).delete()
    sign_in_in_browser(page, live_server.url, staff_user, TEST_PASSWORD)
    page.goto(f"{live_server.url}/assessments/{assessment.reference}/sections/participation/")
    page.get_by_label("No one has taken part yet").check()
    page.get_by_label("Why has no one taken part yet, and who will?").fill(
        "The steering group meets next month."
    )
    axe_check(page)
    when = page.get_by_role("group", name="When will people take part")
    when.get_by_label("Day").fill("1")
    when.get_by_label("Month").fill("6")
    when.get_by_label("Year").fill("2030")
    page.locator("#completed").check()
    page.get_by_role("button", name="Save and come back later").click()
    page.wait_for_load_state()
    axe_check(page)
    choice = NoneApplies.objects.get(assessment=assessment)
    assert choice.expected_on.isoformat() == "2030-06-01" and choice.action.due_date == choice.expected_on
