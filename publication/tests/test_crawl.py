"""Nothing unpublished is reachable anonymously: every public page, followed link by link from
the register (and its PDFs, feed and open data), is searched for what must never show."""

import re
from urllib.parse import urljoin, urlparse

import pytest
from django.urls import reverse

from assessments import lifecycle
from assessments.services import assessment_submit
from publication import services
from publication.models import Publication
from publication.tests.factories import SUMMARY, published, signed_off, summarised
from reporting.models import BoardFeedback
from reporting.services import feedback_add as board_feedback_add
from reporting.tests.pdf_checks import pdftotext
from thrive_edi.roles import Role

pytestmark = pytest.mark.django_db

HIDDEN = {
    "comment": "Internal: the evidence from the borough panel looks thin.",
    "board": "Board view: consider the respite budget for carers.",
    "pending": "Pending feedback that nobody has moderated.",
    "rejected": "Rejected feedback with a rude word.",
    "withdrawn": "Withdrawn summary text about the old timetable.",
    "refused": "Summary text of an assessment not to be published.",
    "draft_title": "Draft never signed off",
    "undecided_title": "Signed off but not decided",
    "draft_summary": "Draft summary words nobody may read.",
}


@pytest.fixture
def world(user_factory):
    owner = user_factory(username="zq-owner", role=Role.STAFF, first_name="Zebedee", last_name="Quillharrow")
    approver = user_factory(
        username="zq-approver", role=Role.APPROVER, first_name="Ottoline", last_name="Brackwater"
    )
    board = user_factory(username="zq-board", role=Role.BOARD, first_name="Perpetua", last_name="Stonebridge")

    shown = summarised(owner, title="Shown assessment")
    assessment_submit(assessment=shown, user=owner)
    lifecycle.comment_add(assessment=shown, user=approver, text=HIDDEN["comment"])
    lifecycle.assessment_sign_off(assessment=shown, user=approver, declaration=True)
    shown.refresh_from_db()
    services.publication_decide(assessment=shown, user=approver, decision=Publication.Decision.SUMMARY)
    board_feedback_add(assessment=shown, user=board, kind=BoardFeedback.Kind.COMMENT, text=HIDDEN["board"])
    services.feedback_add(
        assessment=shown, text=HIDDEN["pending"], name="Nadia Pendleworth", email="np@example.org"
    )
    rejected = services.feedback_add(assessment=shown, text=HIDDEN["rejected"])
    services.feedback_moderate(feedback=rejected, user=approver, status="rejected")
    approved = services.feedback_add(
        assessment=shown, text="Shown feedback.", name="Iolanthe Marchbank", email="im@example.org"
    )
    services.feedback_moderate(feedback=approved, user=owner, status="approved", answer="Shown answer.")

    withdrawn = published(
        owner, approver, title="Withdrawn assessment", summary={**SUMMARY, "activity": HIDDEN["withdrawn"]}
    )
    services.publication_withdraw(
        publication=withdrawn.publication, user=approver, reason="Figures were wrong."
    )

    refused = signed_off(
        summarised(owner, title="Refused assessment", summary={**SUMMARY, "activity": HIDDEN["refused"]}),
        owner=owner,
        approver=approver,
    )
    services.publication_decide(
        assessment=refused,
        user=approver,
        decision=Publication.Decision.NOT_PUBLISHED,
        reason="It names people.",
    )
    draft = summarised(
        owner, title=HIDDEN["draft_title"], summary={**SUMMARY, "activity": HIDDEN["draft_summary"]}
    )
    undecided = signed_off(summarised(owner, title=HIDDEN["undecided_title"]), owner=owner, approver=approver)
    people = [owner, approver, board]
    names = [p.first_name for p in people] + [p.last_name for p in people] + [p.username for p in people]
    names += ["Nadia Pendleworth", "np@example.org", "Iolanthe Marchbank", "im@example.org"]
    return {
        "shown": shown,
        "withdrawn": withdrawn,
        "refused": refused,
        "draft": draft,
        "undecided": undecided,
        "names": names,
    }


LINK = re.compile(r'href="([^"#]+)')


def crawl(client) -> dict[str, str]:
    """Every page reachable from the register without signing in, as text."""
    start = [
        reverse("publication:register"),
        reverse("publication:feed"),
        reverse("publication:csv"),
        reverse("publication:json"),
    ]
    seen, pending, texts = set(), list(start), {}
    while pending:
        path = pending.pop()
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        assert response.status_code in (200, 404), (path, response.status_code)
        if response.status_code != 200:
            continue
        body = b"".join(response) if response.streaming else response.content
        if response["Content-Type"] == "application/pdf":
            texts[path] = pdftotext(body)
            continue
        text = body.decode("utf-8")
        texts[path] = text
        for link in LINK.findall(text):
            url = urlparse(urljoin(f"http://testserver{path}", link.replace("&amp;", "&")))
            if url.netloc == "testserver" and url.path.startswith("/register/"):
                pending.append(url.path + (f"?{url.query}" if url.query else ""))
    return texts


def test_no_public_page_holds_anything_unpublished_or_any_staff_name(client, world):
    texts = crawl(client)
    shown = world["shown"].reference
    assert f"/register/{shown}/" in texts and f"/register/{shown}/easy-read.pdf" in texts
    assert any(path.endswith("summary.pdf") for path in texts)
    assert "Shown feedback." in texts[f"/register/{shown}/"]
    for path, text in texts.items():
        for label, secret in HIDDEN.items():
            assert secret not in text, f"{label} is on {path}"
        for name in world["names"]:
            assert not re.search(rf"\b{re.escape(name)}\b", text), f"{name} is on {path}"
    # What is listed of a decision not to publish and of a withdrawal: title, date and reason.
    register = texts["/register/"]
    assert "Refused assessment" in register and "It names people." in register
    assert "Figures were wrong." in texts[f"/register/{world['withdrawn'].reference}/"]


def test_every_page_of_an_unpublished_assessment_answers_404(client, world):
    for key in ("refused", "draft", "undecided"):
        reference = world[key].reference
        for name in (
            "summary",
            "easy_read",
            "summary_pdf",
            "easy_read_pdf",
            "full_pdf",
            "feedback",
            "feedback_sent",
        ):
            assert client.get(reverse(f"publication:{name}", args=[reference])).status_code == 404, (
                key,
                name,
            )
    # The full PDF only where the approver published it.
    assert client.get(reverse("publication:full_pdf", args=[world["shown"].reference])).status_code == 404
    for name in ("easy_read", "summary_pdf", "easy_read_pdf", "full_pdf", "feedback"):
        assert (
            client.get(reverse(f"publication:{name}", args=[world["withdrawn"].reference])).status_code == 404
        )
