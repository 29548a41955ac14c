"""A person's data across the apps: exported in full, erased from live data, frozen records kept."""

import hashlib
import io
import json
import logging

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.test import RequestFactory
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from openpyxl import load_workbook

from assessments import lifecycle, services
from assessments.models import Snapshot
from assessments.snapshots import fingerprint
from assessments.tests.factories import add_action, fill_assessment, make_assessment
from places.london import LONDON_WIDE
from reporting.exports import DATASETS
from reporting.models import RenderedPdf
from reporting.services import feedback_add
from thrive_edi.roles import Role
from thrive_edi.tests.factories import TEST_PASSWORD, UserFactory

FULL_NAME = "Zuleika Okonkwo-Brannigan"
COMMENT = "The Tamil translation of the leaflet is missing."
HER_ROLES = (Role.STAFF, Role.APPROVER, Role.BOARD)
FEEDBACK = "Ask the Tower Hamlets youth forum before the next review."


@pytest.fixture
def zuleika(db):
    """Programme staff, approver and board member at once: she authors, comments and gives feedback."""
    first, last = FULL_NAME.split(" ")
    user = UserFactory(username="zokonkwo", email="z.okonkwo@example.org", first_name=first, last_name=last)
    user.groups.add(*Group.objects.filter(name__in=[role.group_name for role in HER_ROLES]))
    return user


@pytest.fixture
def her_record(zuleika, staff_user, approver_user, sign_off):
    """Her signed-off assessment with an action she owns and her board feedback on it; her comment
    on Alice's assessment in review; Alice's draft she collaborates on."""
    owned = fill_assessment(make_assessment(zuleika, title="Bereavement cafés in Lewisham"), user=zuleika)
    action = add_action(owned, owner=zuleika, action="Run a Saturday café.")
    owned = sign_off(owned, approver=approver_user)
    # As the request middleware records it when she follows the action up on its page.
    action.progress_notes, action._history_user = "First café held.", zuleika
    action.save()
    feedback_add(assessment=owned, user=zuleika, kind="comment", text=FEEDBACK)

    reviewed = fill_assessment(make_assessment(staff_user, title="Peer support in Newham"), user=staff_user)
    services.assessment_submit(assessment=reviewed, user=staff_user)
    lifecycle.comment_add(assessment=reviewed, user=zuleika, text=COMMENT)

    collaborating = make_assessment(staff_user, title="Walking groups in Enfield", collaborators=[zuleika])
    return {"owned": owned, "reviewed": reviewed, "collaborating": collaborating}


def export(identifier: str) -> dict:
    out = io.StringIO()
    call_command("personal_data", "export", identifier, stdout=out)
    return json.loads(out.getvalue())


def test_the_export_holds_her_account_roles_authored_content_comments_and_feedback(zuleika, her_record):
    data = export("zokonkwo")

    assert data["account"]["email"] == "z.okonkwo@example.org"
    assert (data["account"]["first_name"], data["account"]["last_name"]) == tuple(FULL_NAME.split(" "))
    assert set(data["roles"]) == {role.group_name for role in HER_ROLES}
    assert [a["reference"] for a in data["assessments_owned"]] == [her_record["owned"].reference]
    collaborating = [a["reference"] for a in data["assessments_collaborating"]]
    assert collaborating == [her_record["collaborating"].reference]
    assert data["answers_saved"]
    assert {answer["assessment"] for answer in data["answers_saved"]} == {her_record["owned"].reference}
    assert [action["action"] for action in data["actions_owned"]] == ["Run a Saturday café."]
    assert [(c["assessment"], c["text"]) for c in data["review_comments"]] == [
        (her_record["reviewed"].reference, COMMENT)
    ]
    assert [(f["assessment"], f["text"]) for f in data["board_feedback"]] == [
        (her_record["owned"].reference, FEEDBACK)
    ]
    assert [(line["record"], line["change"]) for line in data["history"]] == [("action", "changed")]
    assert "log store" in data["audit_log"]


def test_the_export_finds_a_person_by_email_and_writes_to_a_file(zuleika, her_record, tmp_path):
    target = tmp_path / "zuleika.json"
    call_command("personal_data", "export", "Z.Okonkwo@example.org", "--output", str(target))
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["account"]["username"] == "zokonkwo"
    assert data["board_feedback"][0]["text"] == FEEDBACK


def test_the_export_of_an_unknown_person_says_so(db):
    with pytest.raises(CommandError, match="There is no user"):
        call_command("personal_data", "export", "nobody@example.org")


def erase(identifier: str) -> str:
    out = io.StringIO()
    call_command("personal_data", "erase", identifier, "--yes", stdout=out)
    return out.getvalue()


def live_pages(client, record) -> dict[str, bytes]:
    """Every page and export that names people, as an approver who may read them all sees it."""
    urls = [
        reverse("home"),
        reverse("assessments:list"),
        reverse("reporting:dashboard"),
        reverse("reporting:portal"),
        reverse("reporting:board_assessment", args=[record["owned"].reference]),
        reverse("assessments:review", args=[record["reviewed"].reference]),
    ]
    for assessment in record.values():
        urls += [
            reverse("assessments:detail", args=[assessment.reference]),
            reverse("assessments:history", args=[assessment.reference]),
        ]
    for assessment in (record["reviewed"], record["collaborating"]):
        urls.append(reverse("reporting:export_assessment", args=[assessment.reference]))
    urls += [
        reverse("reporting:export_table", args=[name, kind]) for name in DATASETS for kind in ("csv", "xlsx")
    ]
    pages = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        content = b"".join(response.streaming_content) if response.streaming else response.content
        if url.endswith("xlsx"):
            workbook = load_workbook(io.BytesIO(content), read_only=True)
            content = " ".join(
                str(cell) for sheet in workbook for row in sheet.iter_rows(values_only=True) for cell in row
            ).encode()
        pages[url] = content
    return pages


def named_in(pages: dict[str, bytes]) -> list[str]:
    parts = [part.lower().encode() for part in (*FULL_NAME.split(" "), "zokonkwo")]
    return [url for url, content in pages.items() if any(part in content.lower() for part in parts)]


def test_after_erasure_her_name_is_on_no_live_page_or_export(client, zuleika, her_record, user_factory):
    reader = user_factory(username="yusuf", role=Role.APPROVER, first_name="Yusuf")
    client.force_login(reader)
    assert named_in(live_pages(client, her_record))  # the pages do name her before

    erase("zokonkwo")

    assert named_in(live_pages(client, her_record)) == []
    pseudonym = f"Former staff member {zuleika.pk}"
    detail = client.get(reverse("assessments:detail", args=[her_record["owned"].reference]))
    assert pseudonym in detail.content.decode()


def test_after_erasure_she_cannot_sign_in_and_her_sessions_and_devices_are_gone(client, zuleika, her_record):
    device = TOTPDevice.objects.create(user=zuleika, name="Authenticator app", confirmed=True)
    client.force_login(zuleika)
    assert client.get(reverse("assessments:list")).status_code == 200
    assert Session.objects.exists()

    erase("z.okonkwo@example.org")

    assert not Session.objects.exists()
    assert client.get(reverse("assessments:list")).status_code == 302
    zuleika.refresh_from_db()
    for username in ("zokonkwo", zuleika.username):
        request = RequestFactory().post(reverse("login"))
        assert authenticate(request, username=username, password=TEST_PASSWORD) is None
    assert not zuleika.is_active
    assert not zuleika.has_usable_password()
    assert "okonkwo" not in f"{zuleika.username} {zuleika.email}".lower()
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    assert not zuleika.groups.exists()


def test_after_erasure_every_signed_off_record_keeps_its_names_and_matches_its_fingerprints(
    zuleika, her_record
):
    before = {s.pk: s.document for s in Snapshot.objects.all()}
    assert FULL_NAME in before[her_record["owned"].snapshot.pk]  # the frozen record names her

    erase("zokonkwo")

    snapshots = list(Snapshot.objects.select_related("pdf"))
    assert {s.pk: s.document for s in snapshots} == before
    for snapshot in snapshots:
        assert fingerprint(snapshot.document) == snapshot.sha256
        assert snapshot.pdf.status == RenderedPdf.Status.READY
        with snapshot.pdf.file.open("rb") as stored:
            assert hashlib.sha256(stored.read()).hexdigest() == snapshot.pdf.sha256


def test_erasure_is_logged_without_her_name(zuleika, her_record, caplog):
    with caplog.at_level(logging.INFO, logger="thrive_edi.security"):
        erase("zokonkwo")
    [line] = [record for record in caplog.records if record.getMessage() == "personal_data_erased"]
    assert line.user_id == zuleika.pk
    assert line.username == f"former-staff-{zuleika.pk}"
    assert "okonkwo" not in str(vars(line)).lower()


def test_erasure_asks_for_confirmation_and_changes_nothing_without_it(zuleika, her_record):
    with pytest.raises(CommandError, match="--yes"):
        call_command("personal_data", "erase", "zokonkwo", stdin=io.StringIO("no\n"))
    zuleika.refresh_from_db()
    assert zuleika.is_active
    assert zuleika.get_full_name() == FULL_NAME


def test_erasure_goes_ahead_when_yes_is_typed(zuleika, her_record):
    out = io.StringIO()
    call_command("personal_data", "erase", "zokonkwo", stdin=io.StringIO("yes\n"), stdout=out)
    zuleika.refresh_from_db()
    assert zuleika.get_full_name() == f"Former staff member {zuleika.pk}"
    assert f"User {zuleika.pk} erased" in out.getvalue()


def test_her_screening_is_in_her_export_and_names_her_on_no_live_page_once_she_is_erased(
    client, zuleika, approver_user
):
    from django.test import Client

    from assessments.models import Assessment

    her = Client()
    her.force_login(zuleika)
    her.post(
        reverse("assessments:create"),
        {"title": "Reprint of the café leaflet", "activity_type": "campaign", "where": [LONDON_WIDE]},
    )
    assessment = Assessment.objects.get(title="Reprint of the café leaflet")
    justification = "The same leaflet, reprinted: nothing changes for anyone."
    answers = {
        "who": "Visitors to the cafés.", "changes": "no", "reach": "few", "crisis": "no",
        "decision": "none", "justification": justification, "intent": "send",
    }  # fmt: skip
    assert her.post(reverse("assessments:screening", args=[assessment.reference]), answers).status_code == 302

    (saved,) = export("zokonkwo")["screenings_saved"]
    assert saved["assessment"] == assessment.reference
    assert {"question": "Why is this the right decision?", "answer": justification} in saved["answers"]
    assert ("screening", "changed") in [
        (line["record"], line["change"]) for line in export("zokonkwo")["history"]
    ]

    client.force_login(approver_user)
    urls = [
        reverse(name, args=[assessment.reference])
        for name in ("assessments:screening_confirm", "assessments:detail", "assessments:history")
    ]
    pages = {url: client.get(url).content for url in urls}
    assert named_in(pages) == urls  # each names her before

    erase("zokonkwo")

    assert named_in({url: client.get(url).content for url in urls}) == []
    (kept,) = export(f"former-staff-{zuleika.pk}")["screenings_saved"]
    assert kept["assessment"] == assessment.reference
