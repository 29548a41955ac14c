from datetime import date, timedelta

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import (
    LONG_TEXT_MAX,
    Action,
    Answer,
    DutyContribution,
    ImpactRating,
    IntersectionalImpact,
    ParticipationEntry,
    PrincipleAlignment,
    SectionProgress,
)
from assessments.sections import posted_copy
from assessments.tests.factories import (
    answer_of,
    blank_row,
    date_parts,
    fill_assessment,
    impacts_started,
    make_assessment,
    section_data,
    section_url,
)
from assessments.views.assessment import SAVED_MESSAGE
from frameworks.scales import EvidenceConfidence, Impact
from thrive_edi.tests.html_tree import page_tree

# Today's count (an unfrozen version's template is read too): a new query is a decision.
# With the groups the screening marked (one query): whether race may be broken down; and the
# assessment's search document, built in the save's own transaction (five queries).
QUERIES_OF_AN_IMPACT_GRID_SAVE = 26


def test_a_section_page_shows_its_questions_and_the_completed_question(editor, assessment):
    response = editor.get(section_url(assessment, "about"))
    assert response.status_code == 200
    page = response.content.decode()
    for shown in (
        "What should change for Londoners because of this activity?",
        'name="q-aims"',
        "Have you completed this section?",
        'name="revision" value="0"',
    ):
        assert shown in page, shown


def test_an_unknown_section_gives_404(editor, assessment):
    assert editor.get(section_url(assessment, "no-such-section")).status_code == 404


def test_answers_are_stored_typed_by_their_question(editor, assessment):
    review = timezone.localdate() + timedelta(days=200)
    editor.post(
        section_url(assessment, "about"),
        section_data(
            assessment,
            "about",
            {
                "q-aims": "  Fewer crisis admissions.  ",
                "q-stage": "new",
                "q-levels": ["individuals", "communities"],
                "q-rapid": "no",
            },
        ),
    )
    editor.post(
        section_url(assessment, "monitoring"),
        section_data(assessment, "monitoring", date_parts("q-review_date", review)),
    )
    assert answer_of(assessment, "aims") == "Fewer crisis admissions."
    assert answer_of(assessment, "stage") == "new"
    assert answer_of(assessment, "levels") == ["individuals", "communities"]
    assert answer_of(assessment, "rapid") is False
    assert answer_of(assessment, "review_date") == review.isoformat()
    assessment.refresh_from_db()
    assert assessment.review_date == review
    answer = Answer.objects.get(assessment=assessment, question__key="aims")
    assert answer.updated_by == assessment.owner


def test_a_section_page_shows_the_stored_answers(editor, assessment):
    review = date(2027, 3, 27)
    editor.post(
        section_url(assessment, "about"),
        section_data(assessment, "about", {"q-aims": "Fewer crisis admissions.", "q-rapid": "yes"}),
    )
    editor.post(
        section_url(assessment, "monitoring"),
        section_data(assessment, "monitoring", date_parts("q-review_date", review)),
    )
    page = editor.get(section_url(assessment, "about")).content.decode()
    assert "Fewer crisis admissions.</textarea>" in page
    assert 'name="revision" value="1"' in page
    monitoring = editor.get(section_url(assessment, "monitoring")).content.decode()
    assert 'name="q-review_date_2" value="2027"' in monitoring


def test_clearing_an_answer_removes_its_value(editor, assessment):
    editor.post(section_url(assessment, "about"), section_data(assessment, "about", {"q-aims": "Something"}))
    editor.post(section_url(assessment, "about"), section_data(assessment, "about", {"q-aims": ""}))
    assert answer_of(assessment, "aims") is None


def test_a_valid_answer_is_saved_even_when_another_on_the_page_is_too_long(editor, assessment):
    too_long = "x" * (LONG_TEXT_MAX + 1)
    response = editor.post(
        section_url(assessment, "about"),
        section_data(assessment, "about", {"q-aims": too_long, "q-affected": "Young Black men in Newham."}),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert f"Ensure this value has at most {LONG_TEXT_MAX:,}".replace(",", "") in page.replace(",", "")
    assert too_long in page  # what was typed is shown back, not lost
    assert answer_of(assessment, "affected") == "Young Black men in Newham."
    assert answer_of(assessment, "aims") is None


def test_a_too_long_answer_keeps_the_stored_one(editor, assessment):
    editor.post(section_url(assessment, "about"), section_data(assessment, "about", {"q-aims": "First"}))
    editor.post(
        section_url(assessment, "about"),
        section_data(assessment, "about", {"q-aims": "x" * (LONG_TEXT_MAX + 1)}),
    )
    assert answer_of(assessment, "aims") == "First"


def test_an_impossible_date_is_refused_and_the_other_answers_are_saved(editor, assessment):
    response = editor.post(
        section_url(assessment, "monitoring"),
        section_data(
            assessment,
            "monitoring",
            {
                "q-measures": "Uptake by ethnicity.",
                "q-review_date_0": "31",
                "q-review_date_1": "2",
                "q-review_date_2": "2027",
            },
        ),
    )
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert 'value="31"' in response.content.decode()
    assert answer_of(assessment, "measures") == "Uptake by ethnicity."
    assert answer_of(assessment, "review_date") is None


def test_save_and_come_back_later_goes_to_the_task_list_with_a_message(editor, assessment):
    response = editor.post(
        section_url(assessment, "about"),
        section_data(assessment, "about", {"q-aims": "Fewer crises."}, intent="later"),
        follow=True,
    )
    assert response.redirect_chain[0][0] == reverse("assessments:detail", args=[assessment.reference])
    assert SAVED_MESSAGE in response.content.decode()
    assert answer_of(assessment, "aims") == "Fewer crises."


def test_save_and_continue_goes_to_the_next_section(editor, assessment):
    response = editor.post(
        section_url(assessment, "about"), section_data(assessment, "about", intent="continue")
    )
    assert response.status_code == 302
    assert response.url == section_url(assessment, "evidence")
    response = editor.post(
        section_url(assessment, "impacts"), section_data(assessment, "impacts", intent="continue")
    )
    assert response.url == section_url(assessment, "intersectional")


def test_save_and_continue_on_the_last_section_goes_to_check_answers(editor, assessment):
    response = editor.post(
        section_url(assessment, "monitoring"), section_data(assessment, "monitoring", intent="continue")
    )
    assert response.status_code == 302
    assert response.url == reverse("assessments:check", args=[assessment.reference])
    assert SectionProgress.objects.get(section__key="monitoring").revision == 1


def test_each_save_adds_one_to_the_section_and_assessment_revisions(editor, assessment):
    editor.post(section_url(assessment, "about"), section_data(assessment, "about"))
    editor.post(section_url(assessment, "about"), section_data(assessment, "about"))
    assessment.refresh_from_db()
    assert SectionProgress.objects.get(section__key="about").revision == 2
    assert assessment.revision == 2


def test_the_impact_grid_saves_each_characteristic(editor, assessment):
    data = section_data(assessment, "impacts")
    rating_id = int(data["impacts-0-id"][0])
    data.update(
        {
            "impacts-0-impact": Impact.NEGATIVE,
            "impacts-0-evidence": "Census 2021.",
            "impacts-0-confidence": EvidenceConfidence.MEDIUM,
            "impacts-0-data_gap": "yes",
            "impacts-0-data_gap_note": "No local data on trans people.",
            "impacts-0-mitigation": "Peer outreach.",
        }
    )
    editor.post(section_url(assessment, "impacts"), data)
    rating = ImpactRating.objects.get(pk=rating_id)
    assert (rating.impact, rating.evidence, rating.confidence) == ("negative", "Census 2021.", "medium")
    assert rating.data_gap is True
    assert rating.data_gap_note == "No local data on trans people."
    assert rating.mitigation == "Peer outreach."
    assert rating.updated_by == assessment.owner
    assert ImpactRating.objects.filter(assessment=assessment).exclude(impact="").count() == 1


def test_principles_and_duties_are_saved(editor, assessment):
    data = section_data(
        assessment,
        "principles",
        {"principles-0-alignment": "leading", "principles-0-narrative": "Co-designed."},
    )
    editor.post(section_url(assessment, "principles"), data)
    alignment = PrincipleAlignment.objects.get(pk=data["principles-0-id"][0])
    assert (alignment.alignment, alignment.narrative) == ("leading", "Co-designed.")
    data = section_data(
        assessment, "duties", {"duties-2-contribution": "may", "duties-2-narrative": "Mixed groups."}
    )
    editor.post(section_url(assessment, "duties"), data)
    duty = DutyContribution.objects.get(pk=data["duties-2-id"][0])
    assert (duty.contribution, duty.narrative) == ("may", "Mixed groups.")


@pytest.mark.parametrize(
    ("section_key", "model", "needs_impacts"),
    [
        ("intersectional", IntersectionalImpact, True),
        ("participation", ParticipationEntry, False),
        ("actions", Action, True),
    ],
)
def test_add_shows_a_blank_row_to_fill_without_storing_one(
    editor, assessment, section_key, model, needs_impacts
):
    if needs_impacts:
        impacts_started(editor, assessment)
    response = editor.post(
        section_url(assessment, section_key), section_data(assessment, section_key, intent="add")
    )
    assert response.status_code == 302
    assert response.url == f"{section_url(assessment, section_key)}?add=1#{section_key}-row-0"
    assert not model.objects.filter(assessment=assessment).exists()
    page = editor.get(response.url).content.decode()
    assert f'id="{section_key}-row-0"' in page
    assert "There is a problem" not in page
    again = section_data(assessment, section_key, intent="add", adding=True)
    assert f"{section_key}-0-id" in again  # the blank row is on the page, and posted back
    response = editor.post(section_url(assessment, section_key), again)
    assert response.url == f"{section_url(assessment, section_key)}?add=1#{section_key}-row-0"
    assert not model.objects.filter(assessment=assessment).exists()


def test_adding_a_row_to_a_completed_section_keeps_it_completed_and_shows_no_error(
    editor, assessment, staff_user
):
    fill_assessment(assessment, user=staff_user)
    url = section_url(assessment, "participation")
    response = editor.post(url, section_data(assessment, "participation", intent="add", completed="yes"))
    assert response.status_code == 302
    assert response.url == f"{url}?add=1#participation-row-1"
    assert ParticipationEntry.objects.filter(assessment=assessment).count() == 1
    progress = SectionProgress.objects.get(assessment=assessment, section__key="participation")
    assert progress.status == SectionProgress.Status.COMPLETED
    page = editor.get(response.url).content.decode()
    assert 'id="participation-row-1"' in page
    assert 'name="participation-1-who"' in page
    assert "There is a problem" not in page
    assert "govuk-error-message" not in page


def test_a_row_typed_into_the_added_form_is_stored(editor, assessment):
    data = section_data(
        assessment, "participation", {"participation-0-who": "Carers' forum"}, intent="continue", adding=True
    )
    editor.post(section_url(assessment, "participation"), data)
    assert ParticipationEntry.objects.get(assessment=assessment).who == "Carers' forum"


def test_what_is_typed_in_a_row_is_saved_when_another_row_is_added(editor, assessment):
    data = section_data(
        assessment,
        "participation",
        {
            "participation-0-who": "Young people's advisory group",
            "participation-0-how": "Workshops",
            **date_parts("participation-0-when", date(2026, 3, 27)),
            "participation-0-level": "co_produced",
            "participation-0-paid": "yes",
            "participation-0-what_changed": "Evening sessions.",
        },
        intent="add",
        adding=True,
    )
    response = editor.post(section_url(assessment, "participation"), data)
    assert response.url.endswith("?add=1#participation-row-1")
    (first,) = ParticipationEntry.objects.filter(assessment=assessment)
    assert first.who == "Young people's advisory group"
    assert first.when == date(2026, 3, 27)
    assert first.paid is True
    assert first.level == "co_produced"


def test_an_action_is_saved_with_its_characteristics_owner_and_due_date(editor, assessment, staff_user):
    impacts_started(editor, assessment)
    race, disability = assessment.framework_version.characteristics.filter(key__in=["race", "disability"])
    principle = assessment.framework_version.principles.get(key="equity")
    data = section_data(
        assessment,
        "actions",
        {
            "actions-0-issue": "No interpreters.",
            "actions-0-action": "Book interpreters.",
            "actions-0-characteristics": [str(race.pk), str(disability.pk)],
            "actions-0-principle": str(principle.pk),
            "actions-0-owner": str(staff_user.pk),
            **date_parts("actions-0-due_date", date(2027, 6, 1)),
            "actions-0-measure": "Interpreter bookings.",
            "actions-0-status": "in_progress",
        },
        adding=True,
    )
    editor.post(section_url(assessment, "actions"), data)
    action = Action.objects.get()
    assert action.issue == "No interpreters."
    assert set(action.characteristics.all()) == {race, disability}
    assert action.principle == principle
    assert action.owner == staff_user
    assert action.due_date == date(2027, 6, 1)
    assert action.status == Action.Status.IN_PROGRESS


@pytest.mark.parametrize(
    ("section_key", "model", "needs_impacts"),
    [
        ("intersectional", IntersectionalImpact, True),
        ("participation", ParticipationEntry, False),
        ("actions", Action, True),
    ],
)
def test_the_delete_box_removes_a_row(editor, assessment, section_key, model, needs_impacts):
    if needs_impacts:
        impacts_started(editor, assessment)
    blank_row(assessment, section_key)
    blank_row(assessment, section_key)
    _first, second = model.objects.filter(assessment=assessment)
    data = section_data(assessment, section_key, {f"{section_key}-0-DELETE": "on"})
    response = editor.post(section_url(assessment, section_key), data)
    assert response.status_code == 302
    assert list(model.objects.filter(assessment=assessment)) == [second]


def test_fixed_rows_cannot_be_deleted(editor, assessment):
    data = section_data(assessment, "impacts", {"impacts-0-DELETE": "on"})
    editor.post(section_url(assessment, "impacts"), data)
    assert ImpactRating.objects.filter(assessment=assessment).count() == 24


def test_section_pages_refuse_other_methods(editor, assessment):
    assert editor.put(section_url(assessment, "about")).status_code == 405
    assert not SectionProgress.objects.exists()


def test_a_valid_row_is_saved_even_when_another_row_on_the_page_is_too_long(editor, assessment):
    data = section_data(assessment, "impacts")
    too_long = "z" * (LONG_TEXT_MAX + 1)
    data.update({"impacts-0-evidence": too_long, "impacts-1-evidence": "Borough survey"})
    response = editor.post(section_url(assessment, "impacts"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_impacts-0-evidence"' in page
    assert too_long in page
    first, second = (ImpactRating.objects.get(pk=data[f"impacts-{i}-id"][0]) for i in (0, 1))
    assert first.evidence == ""
    assert second.evidence == "Borough survey"


def test_the_page_shown_with_errors_carries_the_new_revision_so_the_next_save_is_no_conflict(
    editor, assessment
):
    response = editor.post(
        section_url(assessment, "about"),
        section_data(assessment, "about", {"q-aims": "x" * (LONG_TEXT_MAX + 1), "q-affected": "Carers"}),
    )
    assert 'name="revision" value="1"' in response.content.decode()
    data = section_data(assessment, "about", {"q-aims": "Shorter"})
    assert data["revision"] == "1"
    assert editor.post(section_url(assessment, "about"), data).status_code == 302
    assert answer_of(assessment, "aims") == "Shorter"
    assert answer_of(assessment, "affected") == "Carers"


def test_the_action_plan_page_reads_a_fixed_number_of_queries_whatever_its_rows(client, staff_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from assessments.tests.factories import add_action, fill_assessment

    assessment = fill_assessment(make_assessment(staff_user), user=staff_user)
    characteristics = list(assessment.framework_version.characteristics.all()[:3])
    add_action(assessment, characteristics=characteristics)
    client.force_login(staff_user)
    url = section_url(assessment, "actions")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for _ in range(15):
        add_action(assessment, characteristics=characteristics)
    with CaptureQueriesContext(connection) as sixteen:
        assert client.get(url).status_code == 200
    assert len(sixteen) == len(one)


def test_saving_the_impact_grid_unchanged_rewrites_no_row(client, staff_user):
    from assessments.models import ImpactRating
    from assessments.tests.factories import fill_assessment

    assessment = fill_assessment(make_assessment(staff_user), user=staff_user)
    ImpactRating.objects.filter(assessment=assessment).update(data_gap=True, data_gap_note="Thin data.")
    client.force_login(staff_user)
    history_before = ImpactRating.history.filter(assessment_id=assessment.pk).count()
    client.post(section_url(assessment, "impacts"), section_data(assessment, "impacts"))
    assert ImpactRating.history.filter(assessment_id=assessment.pk).count() == history_before


def test_a_save_reads_again_only_what_it_changed(client, staff_user, django_assert_max_num_queries):
    from assessments.tests.factories import fill_assessment

    assessment = fill_assessment(make_assessment(staff_user), user=staff_user)
    client.force_login(staff_user)
    client.get(section_url(assessment, "about"))
    data = section_data(assessment, "about", {"q-aims": "Earlier support, where young men already are."})
    with django_assert_max_num_queries(24):  # the search document's build among them
        assert client.post(section_url(assessment, "about"), data).status_code == 302
    assert answer_of(assessment, "aims") == "Earlier support, where young men already are."


def test_saving_the_impact_grid_reads_no_row_twice(client, staff_user, django_assert_max_num_queries):
    """Every row posted is found among those the page read, not looked up again one by one."""
    from assessments.tests.factories import fill_assessment

    assessment = fill_assessment(make_assessment(staff_user), user=staff_user)
    rows = ImpactRating.objects.filter(assessment=assessment).count()
    client.force_login(staff_user)
    client.get(section_url(assessment, "impacts"))
    data = section_data(assessment, "impacts", {"impacts-0-evidence": "Borough survey, 2026."})
    with django_assert_max_num_queries(QUERIES_OF_AN_IMPACT_GRID_SAVE) as captured:
        assert client.post(section_url(assessment, "impacts"), data).status_code == 302
    assert rows > QUERIES_OF_AN_IMPACT_GRID_SAVE // 2  # a query a row would show
    reads = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("SELECT")]
    assert sum('FROM "assessments_impactrating"' in sql for sql in reads) <= 3


def test_a_save_holding_the_assessments_lock_does_not_ask_again_whether_it_is_signed_off(client, staff_user):
    """The save locks the assessment and finds it editable before it writes: no row it stores
    asks again (the rows' own guard, ``AssessmentRow.save``, is for every other writer)."""
    from assessments.tests.factories import fill_assessment

    assessment = fill_assessment(make_assessment(staff_user), user=staff_user)
    client.force_login(staff_user)
    changes = {"impacts-0-evidence": "Ward survey.", "impacts-1-evidence": "GP records."}
    for key, data in [
        ("impacts", section_data(assessment, "impacts", changes)),
        ("about", section_data(assessment, "about", {"q-aims": "Earlier support."})),
    ]:
        with CaptureQueriesContext(connection) as queries:
            assert client.post(section_url(assessment, key), data).status_code == 302
        asked = [
            q["sql"]
            for q in queries.captured_queries
            if q["sql"].startswith('SELECT 1 AS "a" FROM "assessments_assessment"')
            and "signed_off" in q["sql"]
        ]
        assert asked == []
    assert answer_of(assessment, "aims") == "Earlier support."


def test_a_save_validates_only_the_rows_it_changes(client, staff_user):
    """A stored row posted as the page showed it is not validated again; a changed one is, and
    so is a row posted unchanged but for the id of another assessment's row, which is refused."""
    from unittest import mock

    from assessments.forms.grid import ImpactRatingForm
    from assessments.sections import FOREIGN_ROW_MESSAGE
    from assessments.tests.factories import fill_assessment

    assessment = fill_assessment(make_assessment(staff_user), user=staff_user)
    other = fill_assessment(make_assessment(staff_user), user=staff_user)
    client.force_login(staff_user)
    url = section_url(assessment, "impacts")
    cleaned = []
    original = ImpactRatingForm.full_clean

    def counted(form):
        original(form)
        if form.cleaned_data:  # a form left unvalidated has nothing cleaned
            cleaned.append(form.prefix)

    with mock.patch.object(ImpactRatingForm, "full_clean", counted):
        data = section_data(assessment, "impacts", {"impacts-2-evidence": "Ward survey, 2026."})
        assert client.post(url, data).status_code == 302
        assert cleaned == ["impacts-2"]
        cleaned.clear()
        foreign = ImpactRating.objects.filter(assessment=other).first()
        response = client.post(url, section_data(assessment, "impacts", {"impacts-0-id": str(foreign.pk)}))
        assert cleaned == ["impacts-0"]
    assert response.status_code == 200 and FOREIGN_ROW_MESSAGE in response.content.decode()
    (row_id,) = data["impacts-2-id"]
    assert ImpactRating.objects.get(pk=row_id).evidence == "Ward survey, 2026."


def test_an_action_offers_each_combination_by_the_name_its_author_gave_it(editor, assessment):
    impacts_started(editor, assessment)
    combination = IntersectionalImpact.objects.create(assessment=assessment, description="Older carers")
    combination.characteristics.set(
        assessment.framework_version.characteristics.filter(key__in=["age", "sex"])
    )
    tree = page_tree(editor.get(f"{section_url(assessment, 'actions')}?add=1").content.decode())
    (box,) = tree.find_all("input", name="actions-0-intersectional_impacts")
    (label,) = [label for label in tree.find_all("label") if label.attrs.get("for") == box.attrs["id"]]
    assert label.text == "Older carers"


def test_a_copy_of_the_posted_data_is_the_one_django_makes_and_changes_apart_from_it():
    posted = QueryDict("impacts-0-evidence=Survey+%26+interviews&q-aims=a&q-aims=b", mutable=False)
    copied = posted_copy(posted)
    assert dict(copied.lists()) == dict(posted.copy().lists()) and copied.encoding == posted.encoding
    copied["impacts-0-evidence"] = "Changed"
    copied.appendlist("q-aims", "c")
    assert posted["impacts-0-evidence"] == "Survey & interviews" and posted.getlist("q-aims") == ["a", "b"]
    assert posted_copy({"revision": "3"}) == {"revision": "3"}


def test_a_section_saved_in_progress_is_not_held_to_its_rules(client, staff_user):
    """Saved to come back to later, the grid's rows are read once: the rules, which only a
    section to be marked completed must meet, do not read them again."""
    assessment = make_assessment(staff_user)
    client.force_login(staff_user)
    data = section_data(assessment, "impacts", {"impacts-0-evidence": "A survey by ward."})
    with CaptureQueriesContext(connection) as queries:
        response = client.post(section_url(assessment, "impacts"), data)
    assert response.status_code == 302
    reads = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")]
    assert sum('FROM "assessments_impactrating"' in sql for sql in reads) == 1
    completed = section_data(assessment, "impacts", completed="yes")
    with CaptureQueriesContext(connection) as queries:
        response = client.post(section_url(assessment, "impacts"), completed)
    assert response.status_code == 200  # the rules hold it back: every impact is still to rate
    reads = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")]
    assert sum('FROM "assessments_impactrating"' in sql for sql in reads) == 2
