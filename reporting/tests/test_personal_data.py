"""A person's data across the apps: exported in full, erased from live data, frozen records kept."""

import io
import json

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from assessments import lifecycle, services
from assessments.tests.factories import add_action, fill_assessment, make_assessment
from reporting.services import feedback_add
from thrive_edi.roles import Role
from thrive_edi.tests.factories import UserFactory

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
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="There is no user"):
        call_command("personal_data", "export", "nobody@example.org")
