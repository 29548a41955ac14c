"""Parts of the pages of signed-off assessments, kept in the cache: the same HTML as rendered
plainly, read from the cache after the first request, and never kept for an assessment that
can still change."""

from datetime import date

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.fragments import frozen_fragment_key
from assessments.models import Answer, Assessment, ReviewComment
from assessments.selectors import assessment_content
from assessments.summary import assessment_summary
from assessments.tests.factories import add_action, date_parts, fill_assessment, make_assessment

pytestmark = pytest.mark.django_db


def _check_page(client, assessment) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("assessments:check", args=[assessment.reference]))
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_a_signed_off_assessments_answers_are_the_plain_rendering_read_from_the_cache(
    client, staff_user, signed_off
):
    client.force_login(staff_user)
    first, first_queries = _check_page(client, signed_off)
    again, again_queries = _check_page(client, signed_off)
    plain = render_to_string(
        "assessments/_summary_sections.html",
        {
            "assessment": signed_off,
            "summary": assessment_summary(assessment_content(signed_off)),
            "may_edit": False,
        },
    )
    assert plain.strip() and plain in first and plain in again
    assert again_queries < first_queries


def test_a_draft_is_rendered_afresh_at_every_request(client, staff_user):
    draft = fill_assessment(make_assessment(staff_user), user=staff_user)
    client.force_login(staff_user)
    assert frozen_fragment_key("check-answers", draft) is None
    _check_page(client, draft)
    Answer.objects.filter(assessment=draft, question__key="affected").update(
        value="Changed since the last look"
    )
    assert "Changed since the last look" in _check_page(client, draft)[0]


def test_a_new_sign_off_time_is_a_new_key(signed_off):
    key = frozen_fragment_key("check-answers", signed_off)
    signed_off.signed_off_at = signed_off.signed_off_at.replace(
        microsecond=(signed_off.signed_off_at.microsecond + 1) % 10**6
    )
    assert key and frozen_fragment_key("check-answers", signed_off) not in (None, key)


def test_a_signed_off_assessments_history_is_read_from_the_cache_until_it_changes(
    client, staff_user, signed_off
):
    client.force_login(staff_user)
    url = reverse("assessments:history", args=[signed_off.reference])
    first = client.get(url).content.decode()
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url).content.decode()
    changes = first.split("History of changes</h1>")[1].split("</main>")[0]
    assert "By " in changes and changes in again
    assert not any("historical" in query["sql"].lower() for query in queries.captured_queries)
    signed_off.review_date = signed_off.review_date  # any save is a change the history records
    signed_off.save()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    assert any("historical" in query["sql"].lower() for query in queries.captured_queries)


def _detail_page(client, assessment) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("assessments:detail", args=[assessment.reference]))
    assert response.status_code == 200
    return response.content.decode(), [query["sql"] for query in queries.captured_queries]


def _record_of(page: str) -> str:
    return page.split('<dl class="govuk-summary-list">', 1)[1].split("Evidence files and links", 1)[0]


def test_a_signed_off_assessments_record_is_drawn_once_then_read_from_the_cache(client, staff_user, sign_off):
    draft = fill_assessment(make_assessment(staff_user), user=staff_user)
    draft.partners.create(name="Newham Carers Network")
    # As people type it: Bengali, Tamil, an emoji and a character HTML must escape.
    draft.partners.create(name="বাংলা কেয়ারার্স & தமிழ் நண்பர்கள் 🌱")
    signed_off = sign_off(draft)
    client.force_login(staff_user)
    first, first_queries = _detail_page(client, signed_off)
    again, again_queries = _detail_page(client, signed_off)
    record = _record_of(first)
    assert "Newham Carers Network" in record and "Completed" in record
    assert "বাংলা কেয়ারার্স &amp; தமிழ் நண்பர்கள் 🌱" in record and "& த" not in record
    assert record == _record_of(again)
    assert any("sectionprogress" in sql for sql in first_queries)
    assert not any("sectionprogress" in sql or "assessment_partners" in sql for sql in again_queries)
    assert len(again_queries) < len(first_queries)


def test_the_kept_record_shows_review_comments_only_to_those_who_read_the_workings(
    client, staff_user, approver_user, board_user, signed_off
):
    """What depends on the reader names the kept part: the board member, who does not read
    the team's comments, is not shown the hint kept for the owner, nor the owner theirs."""
    section = signed_off.framework_version.sections.order_by("order").first()
    ReviewComment.objects.create(
        assessment=signed_off, section=section, author=approver_user, text="Say more."
    )
    for reader, hinted in ((staff_user, True), (board_user, False), (staff_user, True), (board_user, False)):
        client.force_login(reader)
        assert ("Has review comments" in _record_of(_detail_page(client, signed_off)[0])) is hinted


def test_a_draft_record_is_drawn_afresh_at_every_request(client, staff_user):
    draft = make_assessment(staff_user)
    client.force_login(staff_user)
    assert "Newham Carers Network" not in _detail_page(client, draft)[0]
    draft.partners.create(name="Newham Carers Network")
    assert "Newham Carers Network" in _detail_page(client, draft)[0]


def test_superseding_draws_the_record_again(client, staff_user, signed_off):
    client.force_login(staff_user)
    assert "Signed off</strong>" in _record_of(_detail_page(client, signed_off)[0])
    signed_off.status = Assessment.Status.SUPERSEDED
    signed_off.save()
    assert "Superseded</strong>" in _record_of(_detail_page(client, signed_off)[0])


def test_following_up_an_action_after_sign_off_shows_on_the_kept_pages(client, staff_user, sign_off):
    """The answers and the history of a signed-off assessment are kept, but an action's progress
    is still followed up: the follow-up is a change the next request sees."""
    filled = fill_assessment(make_assessment(staff_user), user=staff_user)
    action = add_action(filled, owner=staff_user)
    signed_off = sign_off(filled)
    client.force_login(staff_user)
    check = reverse("assessments:check", args=[signed_off.reference])
    history = reverse("assessments:history", args=[signed_off.reference])
    assert "Done" not in _check_page(client, signed_off)[0]
    before = client.get(history).content.decode()
    response = client.post(
        reverse("assessments:action_follow_up", args=[signed_off.reference, action.pk]),
        {"status": "done", "progress_notes": "Every venue booked.", **date_parts("due_date", date(2030, 3, 1))},
    )
    assert response.status_code == 302
    assert "Done" in _check_page(client, signed_off)[0]
    after = client.get(history).content.decode()
    assert "Every venue booked." not in before and "Every venue booked." in after
