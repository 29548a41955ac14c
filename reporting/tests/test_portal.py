import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from assessments.models import Assessment
from assessments.tests.factories import fill_assessment, make_assessment
from reporting.models import BoardFeedback, BoardPack
from thrive_edi.roles import Role


@pytest.mark.django_db
@pytest.mark.parametrize("fixture", ["board_user", "approver_user", "admin_user_with_role"])
def test_the_board_approvers_and_admins_reach_the_portal_and_pdfs(client, request, fixture, signed_off):
    client.force_login(request.getfixturevalue(fixture))
    page = client.get(reverse("reporting:portal"))
    assert page.status_code == 200
    assert signed_off.reference in page.content.decode()
    response = client.get(reverse("reporting:assessment_pdf", args=[signed_off.reference]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="{signed_off.reference}-v1.pdf"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


@pytest.mark.django_db
def test_staff_do_not_get_the_portal(client, staff_user):
    client.force_login(staff_user)
    assert client.get(reverse("reporting:portal")).status_code == 403


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("reporting:portal"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.django_db
def test_board_members_cannot_reach_drafts(client, board_user, staff_user):
    draft = make_assessment(staff_user)
    client.force_login(board_user)
    for url in (
        reverse("assessments:detail", args=[draft.reference]),
        reverse("assessments:check", args=[draft.reference]),
        reverse("reporting:board_assessment", args=[draft.reference]),
        reverse("reporting:assessment_pdf", args=[draft.reference]),
    ):
        assert client.get(url).status_code == 404
    assert draft.reference not in client.get(reverse("reporting:portal")).content.decode()


@pytest.mark.django_db
def test_board_members_edit_nothing_but_their_feedback(client, board_user, signed_off):
    client.force_login(board_user)
    section_url = reverse("assessments:section", args=[signed_off.reference, "about"])
    assert client.post(section_url, {"q-aims": "x"}).status_code in (403, 404)
    assert client.post(reverse("assessments:reassess", args=[signed_off.reference])).status_code == 403
    response = client.post(
        reverse("reporting:feedback_add", args=[signed_off.reference]),
        {"kind": "recommendation", "text": "Report outcomes by ethnicity to the board each quarter."},
    )
    assert response.status_code == 302
    feedback = BoardFeedback.objects.get(assessment=signed_off)
    assert feedback.author == board_user and feedback.kind == "recommendation"
    assert (
        client.post(reverse("reporting:feedback_respond", args=[feedback.pk]), {"response": "x"}).status_code
        == 403
    )


@pytest.mark.django_db
def test_owners_respond_and_both_appear_on_the_assessment(client, board_user, staff_user, signed_off):
    feedback = BoardFeedback.objects.create(
        assessment=signed_off, author=board_user, text="Publish the data."
    )
    client.force_login(staff_user)
    client.post(
        reverse("reporting:feedback_respond", args=[feedback.pk]), {"response": "Published in March."}
    )
    feedback.refresh_from_db()
    assert feedback.response == "Published in March." and feedback.responded_by == staff_user
    page = client.get(reverse("assessments:detail", args=[signed_off.reference])).content.decode()
    assert "Publish the data." in page and "Published in March." in page


@pytest.mark.django_db
def test_board_feedback_appears_in_the_pdf_of_the_reassessment(
    client, board_user, staff_user, signed_off, sign_off, user_factory
):
    from assessments import lifecycle

    BoardFeedback.objects.create(
        assessment=signed_off,
        author=board_user,
        text="Involve older Bangladeshi women.",
        response="Sessions in Sylheti added.",
        responded_by=staff_user,
    )
    new = lifecycle.assessment_reassess(assessment=signed_off, user=staff_user)
    second = user_factory(username="erin", role=Role.APPROVER)
    new = sign_off(fill_assessment(new, user=staff_user), approver=second)
    client.force_login(board_user)
    data = b"".join(client.get(reverse("reporting:assessment_pdf", args=[new.reference])).streaming_content)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert "Involve older Bangladeshi women." in " ".join(text.split())
    assert "Sessions in Sylheti added." in " ".join(text.split())


@pytest.mark.django_db
def test_a_board_pack_holds_the_chosen_assessments_behind_a_cover_and_is_kept(
    client, board_user, staff_user, sign_off, signed_off, django_capture_on_commit_callbacks
):
    second = sign_off(fill_assessment(make_assessment(staff_user, title="Second"), user=staff_user))
    client.force_login(board_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reporting:pack_create"),
            {
                "title": "December meeting",
                "meeting_date_0": "10",
                "meeting_date_1": "12",
                "meeting_date_2": "2026",
                "assessments": [signed_off.pk, second.pk],
            },
        )
    assert response.status_code == 302
    pack = BoardPack.objects.get()
    assert pack.status == BoardPack.Status.READY
    response = client.get(reverse("reporting:pack_pdf", args=[pack.pk]))
    data = b"".join(response.streaming_content)
    reader = PdfReader(io.BytesIO(data))
    cover = " ".join(reader.pages[0].extract_text().split())
    assert "December meeting" in cover and signed_off.reference in cover and second.reference in cover
    top_level = [item.title for item in reader.outline if not isinstance(item, list)]
    assert top_level[-2:] == [f"{a.reference}: {a.title}" for a in (signed_off, second)]
    assert "December meeting" in client.get(reverse("reporting:packs")).content.decode()


@pytest.mark.django_db
def test_a_board_pack_of_nothing_or_of_drafts_is_refused(client, board_user, staff_user):
    draft = make_assessment(staff_user)
    client.force_login(board_user)
    client.post(
        reverse("reporting:pack_create"),
        {"title": "X", "meeting_date_0": "10", "meeting_date_1": "12", "meeting_date_2": "2026"},
    )
    client.post(
        reverse("reporting:pack_create"),
        {
            "title": "X",
            "meeting_date_0": "10",
            "meeting_date_1": "12",
            "meeting_date_2": "2026",
            "assessments": [draft.pk],
        },
    )
    response = client.post(
        reverse("reporting:pack_create"),
        {
            "title": "X",
            "meeting_date_0": "10",
            "meeting_date_1": "12",
            "meeting_date_2": "2026",
            "assessments": ["abc"],
        },
    )
    assert response.status_code == 200
    assert "Tick only signed-off assessments" in response.content.decode()
    assert not BoardPack.objects.exists()


@pytest.mark.django_db
def test_portal_filters_by_a_characteristic_rated_negative(
    client, board_user, staff_user, sign_off, signed_off
):
    from assessments.models import ImpactRating

    negative = fill_assessment(make_assessment(staff_user, title="Negative for race"), user=staff_user)
    ImpactRating.objects.filter(assessment=negative, characteristic__key="race").update(impact="negative")
    from assessments.tests.factories import add_action

    add_action(negative, characteristics=negative.framework_version.characteristics.filter(key="race"))
    ImpactRating.objects.filter(assessment=negative, characteristic__key="race").update(
        mitigation="Outreach."
    )
    sign_off(negative)
    client.force_login(board_user)
    page = client.get(reverse("reporting:portal"), {"negative_for": "race"}).content.decode()
    assert negative.reference in page and signed_off.reference not in page


@pytest.mark.django_db
def test_the_portal_has_a_fixed_number_of_queries(
    client, board_user, staff_user, signed_off, django_assert_num_queries
):
    client.force_login(board_user)
    client.get(reverse("reporting:portal"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("reporting:portal"))
    for index in range(12):
        assessment = make_assessment(staff_user, title=f"Bulk {index}")
        Assessment.objects.filter(pk=assessment.pk).update(status="signed_off")
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("reporting:portal"))
    assert len(many) == len(few)


@pytest.mark.django_db
def test_demo_data_has_pdfs_a_board_pack_and_feedback(settings, django_capture_on_commit_callbacks):
    from django.core.management import call_command

    from reporting.models import RenderedPdf

    settings.DEBUG = True
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo")
    call_command("load_demo")
    published = Assessment.objects.filter(status__in=Assessment.FROZEN_STATUSES)
    assert RenderedPdf.objects.filter(status="ready").count() == published.count() == 3
    assert BoardPack.objects.get().status == BoardPack.Status.READY
    assert BoardFeedback.objects.count() == 2


@pytest.mark.django_db
def test_a_changed_response_keeps_the_earlier_one_in_the_history(client, board_user, staff_user, signed_off):
    feedback = BoardFeedback.objects.create(
        assessment=signed_off, author=board_user, text="Publish the data."
    )
    client.force_login(staff_user)
    url = reverse("reporting:feedback_respond", args=[feedback.pk])
    client.post(url, {"response": "Published in March."})
    client.post(url, {"response": "Published in March, and again in June."})
    responses = list(feedback.history.order_by("history_date").values_list("response", flat=True))
    assert responses[-2:] == ["Published in March.", "Published in March, and again in June."]


@pytest.mark.django_db
def test_board_pack_creation_is_limited_per_person(client, board_user, settings, signed_off):
    from assessments.tests.test_dates import typed
    from thrive_edi.throttling import RATE_LIMITED_TITLE

    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "board_pack": "2/h"}
    client.force_login(board_user)
    form = {"title": "X", "assessments": [signed_off.pk], **typed("meeting_date", "10", "12", "2026")}
    for _ in range(2):
        response = client.post(reverse("reporting:pack_create"), form)
        assert response.status_code == 302
    refused = client.post(reverse("reporting:pack_create"), form)
    assert refused.status_code == 429
    assert RATE_LIMITED_TITLE in refused.content.decode()
    assert BoardPack.objects.count() == 2


@pytest.mark.django_db
def test_the_meeting_date_is_three_boxes_and_a_wrong_one_is_shown_beside_it_with_what_was_typed(
    client, board_user, signed_off
):
    from assessments.tests.test_dates import assert_date_input, assert_real_date_message_beside, typed

    client.force_login(board_user)
    assert_date_input(client.get(reverse("reporting:portal")).content.decode(), "meeting_date")
    response = client.post(
        reverse("reporting:pack_create"),
        {
            "title": "December meeting",
            "assessments": [signed_off.pk],
            **typed("meeting_date", "31", "2", "2027"),
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert_real_date_message_beside(page, "meeting_date")
    assert 'value="December meeting"' in page
    assert "govuk-error-summary" in page
    assert not BoardPack.objects.exists()


@pytest.mark.django_db
def test_the_signed_off_filters_take_a_uk_date_in_a_text_box(client, board_user, signed_off):
    client.force_login(board_user)
    page = client.get(reverse("reporting:portal")).content.decode()
    assert 'type="date"' not in page
    day = signed_off.signed_off_at.date()
    shown = client.get(reverse("reporting:portal"), {"signed_off_from": day.strftime("%d/%m/%Y")})
    assert signed_off.reference in shown.content.decode()


@pytest.mark.django_db
def test_a_date_filter_that_is_not_a_real_date_is_shown_beside_its_box(client, board_user, signed_off):
    client.force_login(board_user)
    response = client.get(reverse("reporting:portal"), {"signed_off_from": "31/02/2027"})
    assert response.status_code == 200
    assert "Enter a real date. For example, 27/3/2027" in response.content.decode()


@pytest.mark.django_db
def test_a_pdf_that_could_not_be_made_is_said_so_in_the_list_not_offered_for_download(
    client, board_user, signed_off
):
    from reporting.models import RenderedPdf
    from reporting.services import PDF_NOT_MADE_MESSAGE

    download = reverse("reporting:assessment_pdf", args=[signed_off.reference])
    client.force_login(board_user)
    assert download in client.get(reverse("reporting:portal")).content.decode()

    RenderedPdf.objects.filter(snapshot__assessment=signed_off).update(status=RenderedPdf.Status.FAILED)
    page = client.get(reverse("reporting:portal")).content.decode()
    assert download not in page
    assert PDF_NOT_MADE_MESSAGE in page
