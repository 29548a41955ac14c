"""Parts of the pages of signed-off assessments, kept in the cache: the same HTML as rendered
plainly, read from the cache after the first request, and never kept for an assessment that
can still change."""

from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments import evidence, fragments, lifecycle, screening, services
from assessments.fragments import kept_fragment_key
from assessments.models import Answer, Assessment, Evidence, ReviewComment
from assessments.selectors import assessment_content, assessment_template, version_characteristics
from assessments.summary import assessment_summary
from assessments.tests.factories import (
    add_action,
    detail_page,
    fill_assessment,
    make_assessment,
    post_follow_up,
    section_data,
    section_url,
    statuses,
)
from frameworks.models import FrameworkVersion
from frameworks.scales import ActivityType, Impact
from frameworks.services import framework_version_freeze
from thrive_edi.roles import Role
from thrive_edi.tests.factories import UserFactory

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
    assert kept_fragment_key("check-answers", draft) is None
    _check_page(client, draft)
    Answer.objects.filter(assessment=draft, question__key="affected").update(
        value="Changed since the last look"
    )
    assert "Changed since the last look" in _check_page(client, draft)[0]


def test_a_new_sign_off_time_is_a_new_key(signed_off):
    key = kept_fragment_key("check-answers", signed_off)
    signed_off.signed_off_at = signed_off.signed_off_at.replace(
        microsecond=(signed_off.signed_off_at.microsecond + 1) % 10**6
    )
    assert key and kept_fragment_key("check-answers", signed_off) not in (None, key)


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


def _record_of(page: str) -> str:
    return page.split('<dl class="govuk-summary-list">', 1)[1].split("Evidence files and links", 1)[0]


def test_a_signed_off_assessments_record_is_drawn_once_then_read_from_the_cache(client, staff_user, sign_off):
    draft = fill_assessment(make_assessment(staff_user), user=staff_user)
    draft.partners.create(name="Newham Carers Network")
    # As people type it: Bengali, Tamil, an emoji and a character HTML must escape.
    draft.partners.create(name="বাংলা কেয়ারার্স & தமிழ் நண்பர்கள் 🌱")
    signed_off = sign_off(draft)
    client.force_login(staff_user)
    first, first_queries = detail_page(client, signed_off)
    again, again_queries = detail_page(client, signed_off)
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
        assert ("Has review comments" in _record_of(detail_page(client, signed_off)[0])) is hinted


def test_a_draft_record_is_drawn_afresh_at_every_request(client, staff_user):
    draft = make_assessment(staff_user)
    client.force_login(staff_user)
    assert "Newham Carers Network" not in detail_page(client, draft)[0]
    draft.partners.create(name="Newham Carers Network")
    assert "Newham Carers Network" in detail_page(client, draft)[0]


def test_superseding_draws_the_record_again(client, staff_user, signed_off):
    client.force_login(staff_user)
    assert "Signed off</strong>" in _record_of(detail_page(client, signed_off)[0])
    signed_off.status = Assessment.Status.SUPERSEDED
    signed_off.save()
    assert "Superseded</strong>" in _record_of(detail_page(client, signed_off)[0])


def test_following_up_an_action_after_sign_off_shows_on_the_kept_pages(client, staff_user, sign_off):
    """The answers and the history of a signed-off assessment are kept, but an action's progress
    is still followed up: the follow-up is a change the next request sees."""
    filled = fill_assessment(make_assessment(staff_user), user=staff_user)
    action = add_action(filled, owner=staff_user)
    signed_off = sign_off(filled)
    client.force_login(staff_user)
    history = reverse("assessments:history", args=[signed_off.reference])
    assert "Done" not in _check_page(client, signed_off)[0]
    before = client.get(history).content.decode()
    response = post_follow_up(
        client, action, status="done", progress_notes="Every venue booked.", due_date=date(2030, 3, 1)
    )
    assert response.status_code == 302
    assert "Done" in _check_page(client, signed_off)[0]
    after = client.get(history).content.decode()
    assert "Every venue booked." not in before and "Every venue booked." in after


def _task_list(client, assessment) -> tuple[dict[str, str], str]:
    """Each section's status on the task list page, and the SQL the page ran."""
    with CaptureQueriesContext(connection) as queries:
        shown = statuses(client, assessment)
    return shown, " ".join(query["sql"] for query in queries.captured_queries)


def _frozen_version(assessment):
    framework_version_freeze(version=assessment.framework_version)
    return Assessment.objects.select_related("framework_version").get(pk=assessment.pk)


def test_an_editable_assessments_sections_are_kept_until_its_content_changes(client, staff_user):
    draft = _frozen_version(fill_assessment(make_assessment(staff_user), user=staff_user))
    client.force_login(staff_user)
    first, first_sql = _task_list(client, draft)
    again, again_sql = _task_list(client, draft)
    assert first == again and set(first.values()) == {"Completed"}
    assert "assessments_answer" in first_sql and "assessments_impactrating" in first_sql
    for table in ("assessments_answer", "assessments_impactrating", "assessments_sectionprogress"):
        assert table not in again_sql
    # A negative impact now needs an action the completed action plan does not have.
    data = section_data(draft, "impacts")
    changes = {"impacts-0-impact": Impact.NEGATIVE, "impacts-0-mitigation": "Outreach through faith groups."}
    client.post(section_url(draft, "impacts"), {**data, **changes, "completed": "yes"})
    after, after_sql = _task_list(client, draft)
    assert after["impacts"] == "Completed" and after["actions"] == "In progress"
    assert "assessments_impactrating" in after_sql


def _key(assessment) -> str | None:
    fresh = Assessment.objects.get(pk=assessment.pk)
    return kept_fragment_key("record", fresh, assessment_template(fresh))


def test_every_write_to_an_editable_assessment_changes_where_its_parts_are_kept(client, staff_user):
    owner = staff_user
    draft = _frozen_version(make_assessment(owner))
    screened = services.assessment_create(
        owner=owner, title="A new youth programme", activity_type=ActivityType.PROGRAMME, screening=True
    )
    action = add_action(draft, owner=owner)
    client.force_login(owner)

    def section_saved():
        response = client.post(section_url(draft, "about"), section_data(draft, "about"))
        assert response.status_code == 302

    writes = [
        ("its details", draft, lambda: services.assessment_update_details(
            assessment=draft, user=owner, title="Renamed", activity_type=ActivityType.PROGRAMME,
            summary="", collaborators=[], partners=[],
        )),
        ("its screening", screened, lambda: screening.screening_save(
            assessment=screened, user=owner, who="Young Londoners.", changes=True, changes_note="",
            groups=version_characteristics(screened.framework_version_id)[:2], reach="london",
            crisis=False, decision="full", justification="",
        )),
        ("an action's follow-up", draft, lambda: lifecycle.action_follow_up(
            action=action, user=owner, status="in_progress", progress_notes="Started.",
            due_date=date(2030, 3, 1),
        )),
        ("a section's save", draft, section_saved),
        ("evidence added", draft, lambda: evidence.evidence_link_add(
            assessment=draft, user=owner, title="Borough survey", url="https://example.org/survey"
        )),
        ("evidence removed", draft, lambda: evidence.evidence_delete(
            item=Evidence.objects.filter(assessment=draft).get(), user=owner
        )),
    ]  # fmt: skip
    for what, assessment, write in writes:
        before = _key(assessment)
        write()
        assert before is not None and _key(assessment) not in (None, before), what


def test_nothing_of_an_editable_assessment_is_kept_while_its_version_can_change(staff_user):
    draft = make_assessment(staff_user)
    FrameworkVersion.objects.filter(pk=draft.framework_version_id).update(frozen_at=None)
    draft = Assessment.objects.select_related("framework_version").get(pk=draft.pk)
    assert kept_fragment_key("record", draft, assessment_template(draft)) is None
    assert kept_fragment_key("record", draft) is None  # nor where the caller gives no template


def test_an_editable_assessments_parts_are_kept_under_todays_date(staff_user, monkeypatch):
    """The rules on a review date depend on today's date."""
    draft = _frozen_version(make_assessment(staff_user))
    today = _key(draft)
    tomorrow = timezone.localdate() + timedelta(days=1)
    monkeypatch.setattr(fragments.timezone, "localdate", lambda: tomorrow)
    assert _key(draft) not in (None, today)


def _section_page(client, assessment, key: str) -> tuple[str, str]:
    """A section's page and the SQL it ran."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(section_url(assessment, key))
    assert response.status_code == 200
    return response.content.decode(), " ".join(query["sql"] for query in queries.captured_queries)


def _fields(page: str) -> str:
    """The section's fields as the page draws them (the form without its CSRF token)."""
    return page.split('name="revision"')[1].split('class="govuk-button-group"')[0]


# What people paste: Bengali and Tamil, an emoji, markup and a bullet from a Word list.
TYPED = "• জরিপ by ward & <b>ward</b> panels, தமிழ் speakers 🙂"
TYPED_DRAWN = "• জরিপ by ward &amp; &lt;b&gt;ward&lt;/b&gt; panels, தமிழ் speakers 🙂"


def test_a_section_page_is_kept_until_the_assessment_changes(client, staff_user):
    draft = _frozen_version(fill_assessment(make_assessment(staff_user), user=staff_user))
    client.force_login(staff_user)
    first, first_sql = _section_page(client, draft, "impacts")
    again, again_sql = _section_page(client, draft, "impacts")
    assert (
        _fields(first) == _fields(again)
        and 'id="completed" name="completed" type="radio" value="yes" checked' in again
    )
    assert "assessments_impactrating" in first_sql and "assessments_impactrating" not in again_sql
    changes = {"impacts-0-evidence": TYPED}
    response = client.post(section_url(draft, "impacts"), {**section_data(draft, "impacts"), **changes})
    assert response.status_code == 302
    after, after_sql = _section_page(client, draft, "impacts")
    assert TYPED_DRAWN in _fields(after) and TYPED_DRAWN not in _fields(again)
    # Saved without saying it is complete: no longer shown as completed.
    assert 'value="no" checked' in after and "assessments_impactrating" in after_sql


def test_a_section_whose_forms_list_people_is_drawn_at_every_request(client, staff_user):
    draft = fill_assessment(make_assessment(staff_user), user=staff_user)
    add_action(draft, owner=staff_user)
    draft = _frozen_version(draft)
    client.force_login(staff_user)
    _section_page(client, draft, "actions")
    UserFactory(username="newcomer", role=Role.STAFF, first_name="Nadia", last_name="Newcomer")
    page, sql = _section_page(client, draft, "actions")
    assert "Nadia Newcomer" in page and "assessments_action" in sql


def test_an_editable_assessments_parts_leave_the_cache_within_a_day(client, staff_user, settings):
    """Kept under today's date, they are never read after midnight: the cache lets them go."""
    draft = _frozen_version(fill_assessment(make_assessment(staff_user), user=staff_user))
    client.force_login(staff_user)
    statuses(client, draft)
    assert settings.CACHES["default"]["BACKEND"].endswith("DatabaseCache")  # the tests' cache
    table = settings.CACHES["default"]["LOCATION"]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT cache_key, expires FROM {table}")
        kept = {key: expires for key, expires in cursor.fetchall() if ":editable:record" in key}
    assert kept
    for expires in kept.values():
        assert timezone.now() < expires <= timezone.now() + timedelta(days=1)


def test_reopening_a_completed_section_to_add_a_row_shows_the_blank_row(client, staff_user):
    """The page with a row being added is kept apart from the page without one."""
    draft = _frozen_version(fill_assessment(make_assessment(staff_user), user=staff_user))
    client.force_login(staff_user)
    plain, _ = _section_page(client, draft, "participation")
    response = client.get(f"{section_url(draft, 'participation')}?add=1")
    assert response.status_code == 200
    adding = response.content.decode()
    assert 'id="participation-row-1"' in adding and 'id="participation-row-1"' not in plain
    again, _ = _section_page(client, draft, "participation")
    assert _fields(again) == _fields(plain)


def test_a_signed_off_assessments_signature_and_timeline_are_read_once(client, staff_user, sign_off):
    """Its signer, fingerprint, comments and events are read at the first request only; the
    page shows the same, the signer's name in Bengali as typed."""
    signed_off = sign_off(fill_assessment(make_assessment(staff_user), user=staff_user))
    client.force_login(staff_user)
    detail_page(client, signed_off)  # kept with the signer's name as it was
    signer = signed_off.signed_off_by
    signer.first_name, signer.last_name = "রহিমা", "Begum & Co"
    signer.save()  # a new name: what was kept is read again
    first, first_queries = detail_page(client, signed_off)
    again, again_queries = detail_page(client, signed_off)
    for page in (first, again):
        assert "By রহিমা Begum &amp; Co on" in page
        assert signed_off.snapshot.sha256 in page
        assert "<strong>Signed off</strong> by রহিমা Begum &amp; Co" in page
        assert "Start a re-assessment" in page
    read_once = ("assessments_reviewcomment", "assessments_assessmentevent", "assessments_snapshot")
    assert all(any(table in sql for sql in first_queries) for table in read_once)
    assert not any(table in sql for sql in again_queries for table in read_once)


def test_a_reassessment_started_and_withdrawn_shows_on_the_kept_page(client, staff_user, sign_off):
    signed_off = sign_off(fill_assessment(make_assessment(staff_user), user=staff_user))
    client.force_login(staff_user)
    detail_page(client, signed_off)  # kept
    response = client.post(reverse("assessments:reassess", args=[signed_off.reference]))
    assert response.status_code == 302
    reassessment = Assessment.objects.get(previous=signed_off)
    page = detail_page(client, signed_off)[0]
    assert "Re-assessment started" in page
    assert f'Version 2 is <a class="govuk-link" href="/assessments/{reassessment.reference}/">' in page
    assert "Start a re-assessment" not in page
    lifecycle.assessment_withdraw(assessment=reassessment, user=staff_user, reason="Started by mistake.")
    page = detail_page(client, signed_off)[0]
    assert "Version 2 is" not in page
    assert "Start a re-assessment" in page


def test_the_kept_signature_knows_the_collaborators(client, staff_user, sign_off):
    """Whether a reader may start a re-assessment depends on whether they collaborate on it,
    read with the kept signature: a collaborator may, another member of staff may not."""
    collaborator = UserFactory(username="collaborator", role=Role.STAFF)
    other = UserFactory(username="other-staff", role=Role.STAFF)
    draft = fill_assessment(make_assessment(staff_user, collaborators=[collaborator]), user=staff_user)
    signed_off = sign_off(draft)
    for reader, may_reassess in ((collaborator, True), (other, False), (collaborator, True)):
        client.force_login(reader)
        page, queries = detail_page(client, signed_off)
        assert ("Start a re-assessment" in page) is may_reassess
    assert not any("assessment_collaborators" in sql for sql in queries)  # the last, kept


def test_a_sign_in_keeps_what_is_kept_and_a_new_name_does_not(staff_user):
    mark = lambda: cache.get(fragments.KEPT_MARK_KEY)  # noqa: E731
    fragments.kept_fragments_forget()
    before = mark()
    staff_user.last_login = timezone.now()
    staff_user.save(update_fields=["last_login"])
    assert mark() == before
    staff_user.last_name = "Okonkwo-Smith"
    staff_user.save(update_fields=["last_name"])
    assert mark() not in (before, None)
