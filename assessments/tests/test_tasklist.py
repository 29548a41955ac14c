import re
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments import services
from assessments.models import (
    Action,
    Answer,
    Assessment,
    ImpactRating,
    IntersectionalImpact,
    ParticipationEntry,
    ReviewComment,
    SectionProgress,
)
from assessments.rules import REVIEW_DATE_QUESTION
from assessments.tests.factories import (
    SECTION_KEYS,
    add_action,
    fill_assessment,
    make_assessment,
    section_data,
    section_url,
    statuses,
)
from assessments.views.assessment import CANNOT_START_MESSAGE
from frameworks.scales import Impact


def test_the_task_list_shows_every_section_of_the_template_in_order(client, staff_user):
    assessment = make_assessment(staff_user)
    client.force_login(staff_user)
    response = client.get(reverse("assessments:detail", args=[assessment.reference]))
    assert [task.section.key for task in response.context["tasks"]] == SECTION_KEYS
    assert list(statuses(client, assessment)) == SECTION_KEYS


def test_each_section_links_to_its_page_as_reverse_makes_it(client, staff_user):
    assessment = fill_assessment(make_assessment(staff_user), user=staff_user)
    client.force_login(staff_user)
    page = client.get(reverse("assessments:detail", args=[assessment.reference])).content.decode()
    links = re.findall(r'href="([^"]+)" aria-describedby="task-([\w-]+)-status"', page)
    assert links == [
        (reverse("assessments:section", args=[assessment.reference, key]), key) for key in SECTION_KEYS
    ]


def test_a_new_assessment_has_nothing_started_and_two_sections_waiting_for_the_impacts(client, staff_user):
    assessment = make_assessment(staff_user)
    client.force_login(staff_user)
    shown = statuses(client, assessment)
    assert shown.pop("intersectional") == "Cannot start yet"
    assert shown.pop("actions") == "Cannot start yet"
    assert set(shown.values()) == {"Not started"}


def test_a_section_that_cannot_start_yet_sends_the_user_back_to_the_task_list(client, staff_user):
    assessment = make_assessment(staff_user)
    client.force_login(staff_user)
    for key in ("intersectional", "actions"):
        response = client.get(section_url(assessment, key), follow=True)
        assert response.redirect_chain[-1][0] == reverse("assessments:detail", args=[assessment.reference])
        assert CANNOT_START_MESSAGE in response.content.decode()
    response = client.post(
        section_url(assessment, "actions"),
        {"revision": "0", "intent": "add", "actions-TOTAL_FORMS": "0", "actions-INITIAL_FORMS": "0"},
    )
    assert response.status_code == 302
    assert not Action.objects.exists()
    assert not SectionProgress.objects.exists()


def test_saving_the_impacts_once_lets_the_dependent_sections_start(client, staff_user):
    assessment = make_assessment(staff_user)
    client.force_login(staff_user)
    client.post(section_url(assessment, "impacts"), section_data(assessment, "impacts"))
    shown = statuses(client, assessment)
    assert shown["impacts"] == "In progress"
    assert shown["intersectional"] == "Not started"
    assert shown["actions"] == "Not started"
    assert client.get(section_url(assessment, "actions")).status_code == 200


def test_saving_a_section_without_saying_it_is_complete_marks_it_in_progress(client, staff_user):
    assessment = make_assessment(staff_user)
    fill_assessment(assessment, user=staff_user)
    SectionProgress.objects.all().delete()
    client.force_login(staff_user)
    client.post(section_url(assessment, "about"), section_data(assessment, "about", completed="no"))
    assert statuses(client, assessment)["about"] == "In progress"
    assert SectionProgress.objects.get().status == SectionProgress.Status.IN_PROGRESS


def test_a_valid_section_the_user_says_is_complete_is_completed(client, staff_user):
    assessment = make_assessment(staff_user)
    fill_assessment(assessment, user=staff_user)
    SectionProgress.objects.all().delete()
    client.force_login(staff_user)
    response = client.post(
        section_url(assessment, "about"), section_data(assessment, "about", completed="yes")
    )
    assert response.status_code == 302
    assert statuses(client, assessment)["about"] == "Completed"
    assert SectionProgress.objects.get().status == SectionProgress.Status.COMPLETED


def test_an_incomplete_section_the_user_says_is_complete_stays_in_progress_with_what_is_missing(
    client, staff_user
):
    assessment = make_assessment(staff_user)
    client.force_login(staff_user)
    response = client.post(
        section_url(assessment, "about"),
        section_data(assessment, "about", {"q-aims": "Fewer crises."}, completed="yes"),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("govuk-error-summary__title") == 1
    assert "Answer the question: Who is affected, directly or indirectly?" in page
    assert SectionProgress.objects.get().status == SectionProgress.Status.IN_PROGRESS
    assert statuses(client, assessment)["about"] == "In progress"


def test_a_completed_section_falls_back_to_in_progress_when_it_is_no_longer_valid(client, staff_user):
    assessment = make_assessment(staff_user)
    fill_assessment(assessment, user=staff_user)
    client.force_login(staff_user)
    assert statuses(client, assessment)["actions"] == "Completed"
    # A negative impact now needs an action that the completed action plan does not have.
    rating = ImpactRating.objects.filter(assessment=assessment).first()
    data = section_data(assessment, "impacts")
    index = next(i for i in range(24) if data[f"impacts-{i}-id"] == [str(rating.pk)])
    changes = {
        f"impacts-{index}-impact": Impact.NEGATIVE,
        f"impacts-{index}-mitigation": "Outreach through faith groups.",
    }
    client.post(section_url(assessment, "impacts"), {**data, **changes, "completed": "yes"})
    shown = statuses(client, assessment)
    assert shown["impacts"] == "Completed"
    assert shown["actions"] == "In progress"
    assert SectionProgress.objects.get(section__key="actions").status == SectionProgress.Status.COMPLETED


def test_the_task_list_reads_a_fixed_number_of_queries_whatever_the_number_of_rows(client, staff_user):
    def rows(assessment, count):
        characteristics = list(assessment.framework_version.characteristics.all()[:2])
        for index in range(count):
            combination = IntersectionalImpact.objects.create(
                assessment=assessment, impact=Impact.NEGATIVE, evidence=f"Evidence {index}"
            )
            combination.characteristics.set(characteristics)
            add_action(
                assessment,
                characteristics=characteristics,
                combinations=[combination],
                issue=f"Issue {index}",
            )
        ParticipationEntry.objects.bulk_create(
            ParticipationEntry(
                assessment=assessment,
                who=f"Group {index}",
                how="Workshop",
                when=timezone.localdate() - timedelta(days=index),
                level="consulted",
                paid=True,
            )
            for index in range(count)
        )

    small, large = make_assessment(staff_user), make_assessment(staff_user, title="Large")
    fill_assessment(small, user=staff_user)
    fill_assessment(large, user=staff_user)
    rows(small, 1)
    rows(large, 30)
    client.force_login(staff_user)
    client.get(reverse("assessments:detail", args=[small.reference]))  # warm caches (sessions, content types)

    def count(assessment, page="detail"):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(f"assessments:{page}", args=[assessment.reference]))
        assert response.status_code == 200
        return len(queries)

    assert count(small) == count(large)
    assert count(small, "check") == count(large, "check")
    assert Action.objects.filter(assessment=large).count() == 30


def test_a_submitted_assessment_shows_its_recorded_progress_without_reading_its_answers(client, staff_user):
    assessment = services.assessment_submit(
        assessment=fill_assessment(make_assessment(staff_user), user=staff_user), user=staff_user
    )
    client.force_login(staff_user)
    with CaptureQueriesContext(connection) as captured:
        shown = statuses(client, assessment)
    assert shown == dict.fromkeys(SECTION_KEYS, "Completed")
    read = " ".join(query["sql"] for query in captured.captured_queries)
    assert "assessments_sectionprogress" in read
    assert "assessments_answer" not in read and "assessments_impactrating" not in read


def test_a_submitted_assessment_stays_completed_when_a_rule_would_now_refuse_it(client, staff_user):
    """Its rules were met when it was submitted; a date passing since does not reopen it."""
    assessment = services.assessment_submit(
        assessment=fill_assessment(make_assessment(staff_user), user=staff_user), user=staff_user
    )
    # As if the review date had passed since: the rule on it would refuse it today.
    Answer.objects.filter(assessment=assessment, question__key=REVIEW_DATE_QUESTION).update(
        value=(timezone.localdate() - timedelta(days=1)).isoformat()
    )
    client.force_login(staff_user)
    assert set(statuses(client, assessment).values()) == {"Completed"}


def test_a_never_submitted_draft_does_not_ask_for_review_comments(client, staff_user):
    assessment = make_assessment(staff_user)
    client.force_login(staff_user)
    for url in (
        reverse("assessments:detail", args=[assessment.reference]),
        section_url(assessment, "about"),
    ):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        assert not any("assessments_reviewcomment" in q["sql"] for q in captured.captured_queries), url


def test_the_rules_are_checked_only_for_sections_marked_completed(client, staff_user):
    """Only a section marked completed can be held back by its rules; the others' rows are not read."""
    assessment = make_assessment(staff_user)
    client.force_login(staff_user)
    client.post(section_url(assessment, "impacts"), section_data(assessment, "impacts"))
    with CaptureQueriesContext(connection) as captured:
        shown = statuses(client, assessment)
    assert shown["impacts"] == "In progress"
    read = " ".join(query["sql"] for query in captured.captured_queries)
    for table in ("assessments_answer", "assessments_impactrating", "assessments_action"):
        assert table not in read


def test_review_comments_and_their_replies_cost_the_same_queries_however_many(
    client, staff_user, approver_user
):
    assessment = make_assessment(staff_user)
    Assessment.objects.filter(pk=assessment.pk).update(
        status=Assessment.Status.CHANGES_REQUESTED, submitted_at=timezone.now()
    )

    def comment(text, parent=None):
        return ReviewComment.objects.create(
            assessment=assessment,
            author=approver_user if parent is None else staff_user,
            text=text,
            parent=parent,
        )

    comment("Which listening events informed this?")
    client.force_login(staff_user)
    url = reverse("assessments:detail", args=[assessment.reference])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for number in range(4):
        first = comment(f"Question {number}")
        comment(f"Answer {number}", parent=first)
        comment(f"More on {number}", parent=first)
    with CaptureQueriesContext(connection) as many:
        page = client.get(url).content.decode()
    assert "More on 3" in page and "Answer 0" in page
    assert len(many) == len(few)


def test_a_signed_off_assessment_shows_its_signer_and_fingerprint_without_reading_the_snapshot_document(
    client, staff_user, signed_off, approver_user
):
    client.force_login(staff_user)
    with CaptureQueriesContext(connection) as captured:
        page = client.get(reverse("assessments:detail", args=[signed_off.reference])).content.decode()
    assert f'<code class="thrive-fingerprint">{signed_off.snapshot.sha256}</code>' in page
    assert f"By {approver_user.get_full_name() or approver_user.username} on" in page
    read = [query["sql"] for query in captured.captured_queries]
    assert not any('"assessments_snapshot"."document"' in sql for sql in read)
    assert sum('"assessments_snapshot"' in sql for sql in read) == 1


def test_a_draft_task_list_does_not_look_for_a_signer_or_a_snapshot(client, staff_user):
    assessment = make_assessment(staff_user)
    client.force_login(staff_user)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("assessments:detail", args=[assessment.reference])).status_code == 200
    assert not any('"assessments_snapshot"' in query["sql"] for query in captured.captured_queries)


def test_every_section_with_an_open_review_comment_says_so_on_the_task_list(
    client, staff_user, approver_user
):
    assessment = make_assessment(staff_user)
    Assessment.objects.filter(pk=assessment.pk).update(
        status=Assessment.Status.CHANGES_REQUESTED, submitted_at=timezone.now()
    )
    sections = {s.key: s for s in assessment.framework_version.sections.all()}
    first, second, resolved = SECTION_KEYS[0], SECTION_KEYS[2], SECTION_KEYS[3]
    for key in (first, second, resolved):
        ReviewComment.objects.create(
            assessment=assessment, author=approver_user, section=sections[key], text=f"About {key}?"
        )
    ReviewComment.objects.filter(section=sections[resolved]).update(
        resolved_at=timezone.now(), resolved_by=approver_user
    )
    client.force_login(staff_user)
    page = client.get(reverse("assessments:detail", args=[assessment.reference])).content.decode()
    hinted = {
        key
        for key, row in re.findall(r'href="[^"]*/sections/([\w-]+)/"(.*?)</li>', page, re.S)
        if "Has review comments" in row
    }
    assert hinted == {first, second}
