"""Hostile input: markup, tampered forms, rows of other assessments, over-long text, nonsense."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments.forms import MAX_ROWS
from assessments.models import (
    LONG_TEXT_MAX,
    SHORT_TEXT_MAX,
    TITLE_MAX,
    Action,
    Assessment,
    ImpactRating,
    IntersectionalImpact,
    ParticipationEntry,
    Partner,
    PrincipleAlignment,
)
from assessments.sections import FOREIGN_ROW_MESSAGE
from assessments.tests.factories import (
    add_action,
    blank_row,
    date_parts,
    fill_assessment,
    impacts_started,
    make_assessment,
    section_data,
    section_url,
    stored_state,
)
from assessments.views.assessment import ROWS_FULL_MESSAGE
from frameworks.models import FrameworkVersion
from frameworks.services import framework_version_copy
from thrive_edi.roles import Role

SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"


@pytest.fixture
def other(user_factory):
    """Someone else's assessment, with rows of every kind."""
    erin = user_factory(username="erin", role=Role.STAFF)
    other = fill_assessment(make_assessment(erin, title="Erin's assessment"), user=erin)
    add_action(other, characteristics=list(other.framework_version.characteristics.all()[:1]))
    return other


def add_row(client, assessment, section_key) -> None:
    blank_row(assessment, section_key)


def assert_unescaped_markup_absent(page: str) -> None:
    assert SCRIPT not in page
    assert "<script>alert" not in page
    assert "<img src=x" not in page


# Markup is shown as text everywhere


def test_markup_in_answers_and_rows_is_shown_escaped_on_every_page(editor, staff_user, assessment):
    Assessment.objects.filter(pk=assessment.pk).update(title=SCRIPT)
    fill_assessment(assessment, user=staff_user)
    editor.post(section_url(assessment, "about"), section_data(assessment, "about", {"q-aims": SCRIPT}))
    editor.post(
        section_url(assessment, "impacts"),
        section_data(assessment, "impacts", {"impacts-0-evidence": SCRIPT}),
    )
    editor.post(
        section_url(assessment, "participation"),
        section_data(assessment, "participation", {"participation-0-who": SCRIPT}),
    )
    add_action(assessment, issue=SCRIPT)
    assert assessment.answers.get(question__key="aims").value == SCRIPT
    pages = [
        section_url(assessment, "about"),
        section_url(assessment, "impacts"),
        section_url(assessment, "participation"),
        section_url(assessment, "actions"),
        reverse("assessments:detail", args=[assessment.reference]),
        reverse("assessments:check", args=[assessment.reference]),
        reverse("assessments:history", args=[assessment.reference]),
        reverse("assessments:list") + "?scope=all",
    ]
    for path in pages:
        page = editor.get(path).content.decode()
        assert_unescaped_markup_absent(page)
        assert ESCAPED in page, path


def test_markup_typed_in_a_conflict_is_shown_escaped(staff_user, user_factory):
    erin = user_factory(username="erin", role=Role.STAFF)
    assessment = make_assessment(staff_user, collaborators=[erin])
    alice, other = Client(), Client()
    alice.force_login(staff_user)
    other.force_login(erin)
    stale = section_data(assessment, "about", {"q-aims": SCRIPT})
    alice.post(section_url(assessment, "about"), section_data(assessment, "about", {"q-aims": "Alice"}))
    response = other.post(section_url(assessment, "about"), stale)
    assert response.status_code == 409
    page = response.content.decode()
    assert_unescaped_markup_absent(page)
    assert ESCAPED in page


def test_markup_in_an_error_shown_back_is_escaped(editor, assessment):
    response = editor.post(
        section_url(assessment, "about"),
        section_data(assessment, "about", {"q-aims": SCRIPT + "x" * LONG_TEXT_MAX}),
    )
    page = response.content.decode()
    assert "There is a problem" in page
    assert_unescaped_markup_absent(page)


# Rows of other assessments and other framework versions


def test_a_rating_of_another_assessment_is_refused_and_left_unchanged(editor, assessment, other):
    before = stored_state(other)
    foreign = ImpactRating.objects.filter(assessment=other).first()
    data = section_data(
        assessment,
        "impacts",
        {"impacts-0-id": str(foreign.pk), "impacts-0-evidence": "Overwritten", "impacts-1-evidence": "Mine"},
    )
    response = editor.post(section_url(assessment, "impacts"), data)
    assert response.status_code == 200
    assert FOREIGN_ROW_MESSAGE in response.content.decode()
    assert stored_state(other) == before
    assert not ImpactRating.objects.filter(evidence="Overwritten").exists()
    assert ImpactRating.objects.filter(assessment=assessment, evidence="Mine").count() == 1


@pytest.mark.parametrize(
    ("section_key", "model", "field"),
    [
        ("principles", PrincipleAlignment, "narrative"),
        ("intersectional", IntersectionalImpact, "evidence"),
        ("participation", ParticipationEntry, "who"),
        ("actions", Action, "issue"),
    ],
)
def test_rows_of_another_assessment_are_refused_and_left_unchanged(
    editor, assessment, other, section_key, model, field
):
    impacts_started(editor, assessment)
    if section_key != "principles":
        add_row(editor, assessment, section_key)
    before = stored_state(other)
    foreign = model.objects.filter(assessment=other).first()
    data = section_data(
        assessment,
        section_key,
        {f"{section_key}-0-id": str(foreign.pk), f"{section_key}-0-{field}": "Overwritten"},
    )
    response = editor.post(section_url(assessment, section_key), data)
    assert response.status_code == 200
    assert FOREIGN_ROW_MESSAGE in response.content.decode()
    assert stored_state(other) == before
    assert not model.objects.filter(**{field: "Overwritten"}).exists()


@pytest.mark.parametrize("section_key", ["intersectional", "participation", "actions"])
def test_a_row_of_another_assessment_cannot_be_deleted(editor, assessment, other, section_key):
    impacts_started(editor, assessment)
    before = stored_state(other)
    model = {"intersectional": IntersectionalImpact, "participation": ParticipationEntry, "actions": Action}
    foreign = model[section_key].objects.filter(assessment=other).first()
    data = section_data(
        assessment,
        section_key,
        {
            f"{section_key}-TOTAL_FORMS": "1",
            f"{section_key}-INITIAL_FORMS": "1",
            f"{section_key}-0-id": str(foreign.pk),
            f"{section_key}-0-DELETE": "on",
        },
    )
    response = editor.post(section_url(assessment, section_key), data)
    assert response.status_code == 200
    assert stored_state(other) == before


def test_a_characteristic_of_another_framework_version_is_refused_on_an_action(editor, assessment):
    draft = framework_version_copy(version=FrameworkVersion.objects.current(), label="2030/31")
    foreign = draft.characteristics.get(key="race")
    own = assessment.framework_version.characteristics.get(key="race")
    impacts_started(editor, assessment)
    add_row(editor, assessment, "actions")
    data = section_data(
        assessment, "actions", {"actions-0-characteristics": [str(foreign.pk)], "actions-0-issue": "Typed"}
    )
    response = editor.post(section_url(assessment, "actions"), data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    action = Action.objects.get(assessment=assessment)
    assert list(action.characteristics.all()) == []
    assert action.issue == "Typed"  # what is valid in the row is kept
    assert not Action.characteristics.through.objects.filter(characteristic=foreign).exists()
    data = section_data(assessment, "actions", {"actions-0-characteristics": [str(own.pk)]})
    assert editor.post(section_url(assessment, "actions"), data).status_code == 302
    assert list(action.characteristics.all()) == [own]


def test_a_principle_of_another_framework_version_is_refused_on_an_action(editor, assessment):
    draft = framework_version_copy(version=FrameworkVersion.objects.current(), label="2030/31")
    foreign = draft.principles.get(key="equity")
    impacts_started(editor, assessment)
    add_row(editor, assessment, "actions")
    data = section_data(assessment, "actions", {"actions-0-principle": str(foreign.pk)})
    response = editor.post(section_url(assessment, "actions"), data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert Action.objects.get(assessment=assessment).principle is None


def test_a_characteristic_of_another_framework_version_is_refused_on_a_combination(editor, assessment):
    draft = framework_version_copy(version=FrameworkVersion.objects.current(), label="2030/31")
    foreign = list(draft.characteristics.values_list("pk", flat=True)[:2])
    impacts_started(editor, assessment)
    add_row(editor, assessment, "intersectional")
    data = section_data(
        assessment, "intersectional", {"intersectional-0-characteristics": [str(p) for p in foreign]}
    )
    assert editor.post(section_url(assessment, "intersectional"), data).status_code == 200
    assert not IntersectionalImpact.characteristics.through.objects.filter(
        characteristic__in=foreign
    ).exists()


def test_a_combination_of_another_assessment_cannot_be_linked_to_an_action(editor, assessment, other):
    impacts_started(editor, assessment)
    add_row(editor, assessment, "actions")
    foreign = IntersectionalImpact.objects.get(assessment=other)
    data = section_data(assessment, "actions", {"actions-0-intersectional_impacts": [str(foreign.pk)]})
    assert editor.post(section_url(assessment, "actions"), data).status_code == 200
    assert not foreign.actions.filter(assessment=assessment).exists()


def test_an_action_cannot_be_given_to_someone_who_does_not_assess(editor, assessment, board_user):
    impacts_started(editor, assessment)
    add_row(editor, assessment, "actions")
    data = section_data(assessment, "actions", {"actions-0-owner": str(board_user.pk)})
    assert editor.post(section_url(assessment, "actions"), data).status_code == 200
    assert Action.objects.get(assessment=assessment).owner is None


# Over-long text


def test_an_over_long_title_is_refused_with_a_clear_message(editor):
    response = editor.post(
        reverse("assessments:create"), {"title": "x" * (TITLE_MAX + 1), "activity_type": "programme"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert f"Ensure this value has at most {TITLE_MAX} characters (it has {TITLE_MAX + 1})." in page
    assert not Assessment.objects.exists()


def test_an_over_long_title_is_refused_when_changing_the_details(editor, assessment):
    response = editor.post(
        reverse("assessments:edit_details", args=[assessment.reference]),
        {"title": "x" * (TITLE_MAX + 1), "activity_type": "programme"},
    )
    assert response.status_code == 200
    assert f"Ensure this value has at most {TITLE_MAX} characters" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.title == "Peer support in Newham"


def test_an_over_long_partner_name_is_refused(editor):
    response = editor.post(
        reverse("assessments:create"), {"title": "T", "activity_type": "programme", "new_partners": "p" * 201}
    )
    assert "A partner&#x27;s name can be up to 200 characters long." in response.content.decode()
    assert not Partner.objects.exists()
    assert not Assessment.objects.exists()


@pytest.mark.parametrize(
    ("section_key", "field", "limit"),
    [
        ("about", "q-aims", LONG_TEXT_MAX),
        ("impacts", "impacts-0-evidence", LONG_TEXT_MAX),
        ("principles", "principles-0-narrative", LONG_TEXT_MAX),
        ("participation", "participation-0-who", SHORT_TEXT_MAX),
    ],
)
def test_over_long_answers_are_refused_with_a_clear_message(editor, assessment, section_key, field, limit):
    if section_key == "participation":
        add_row(editor, assessment, "participation")
    before = stored_state(assessment)
    response = editor.post(
        section_url(assessment, section_key),
        section_data(assessment, section_key, {field: "y" * (limit + 1)}),
    )
    assert response.status_code == 200
    assert (
        f"Ensure this value has at most {limit} characters (it has {limit + 1})." in response.content.decode()
    )
    after = stored_state(assessment)
    assert "y" * (limit + 1) not in repr(after)
    assert {k: v for k, v in after.items() if k not in ("SectionProgress", "Assessment")} == {
        k: v for k, v in before.items() if k not in ("SectionProgress", "Assessment")
    }


# Tampered management forms


@pytest.mark.parametrize("section_key", ["intersectional", "participation", "actions"])
@pytest.mark.parametrize("total", [str(MAX_ROWS + 1), "100000000"])
def test_a_tampered_total_above_the_maximum_creates_no_rows(editor, assessment, section_key, total):
    impacts_started(editor, assessment)
    add_row(editor, assessment, section_key)
    data = section_data(assessment, section_key, {f"{section_key}-TOTAL_FORMS": total})
    response = editor.post(section_url(assessment, section_key), data)
    assert response.status_code == 200
    assert f"Please submit at most {MAX_ROWS} forms." in response.content.decode()
    model = {"intersectional": IntersectionalImpact, "participation": ParticipationEntry, "actions": Action}
    assert model[section_key].objects.filter(assessment=assessment).count() == 1


def test_a_tampered_total_on_a_fixed_grid_creates_no_ratings(editor, assessment):
    data = section_data(assessment, "impacts", {"impacts-TOTAL_FORMS": "30", "impacts-25-evidence": "Extra"})
    editor.post(section_url(assessment, "impacts"), data)
    assert ImpactRating.objects.filter(assessment=assessment).count() == 24


def test_adding_rows_stops_at_the_maximum(editor, assessment):
    ParticipationEntry.objects.bulk_create(ParticipationEntry(assessment=assessment) for _ in range(MAX_ROWS))
    response = editor.post(
        section_url(assessment, "participation"),
        section_data(assessment, "participation", intent="add"),
        follow=True,
    )
    assert ROWS_FULL_MESSAGE in response.content.decode()
    assert ParticipationEntry.objects.filter(assessment=assessment).count() == MAX_ROWS
    data = section_data(assessment, "participation", {"participation-0-who": "Still saved"})
    assert editor.post(section_url(assessment, "participation"), data).status_code == 302
    assert ParticipationEntry.objects.filter(who="Still saved").count() == 1


@pytest.mark.parametrize(
    "changes",
    [
        {"participation-TOTAL_FORMS": "abc"},
        {"participation-TOTAL_FORMS": "-5"},
        {"participation-INITIAL_FORMS": "7"},
        {"participation-TOTAL_FORMS": None, "participation-INITIAL_FORMS": None},
    ],
)
def test_a_broken_management_form_creates_no_rows_and_no_error_page(editor, assessment, changes):
    add_row(editor, assessment, "participation")
    data = section_data(assessment, "participation", {"participation-0-who": "Someone"})
    for key, value in changes.items():
        if value is None:
            data.pop(key)
        else:
            data[key] = value
    response = editor.post(section_url(assessment, "participation"), data)
    assert response.status_code in (200, 302)
    assert ParticipationEntry.objects.filter(assessment=assessment).count() == 1


# Nonsense of every kind never gives a server error


@pytest.mark.parametrize(
    "changes",
    [
        {"revision": "abc"},
        {"revision": "-1"},
        {"revision": "99999999999999999999999"},
        {"revision": ""},
        {"intent": "explode"},
        {"completed": "maybe"},
        {"q-stage": "<script>"},
        {"q-levels": ["nowhere", "individuals"]},
        {"q-rapid": "perhaps"},
        {"q-aims": "\x00null"},
        {"q-aims": "😀 emoji and ünïcödé and עברית"},
        {"impacts-0-id": "abc"},
        {"impacts-0-id": "99999999999999999999"},
        {"impacts-0-id": ""},
        {"impacts-0-impact": "catastrophic"},
        {"impacts-0-data_gap": "sometimes"},
    ],
)
def test_nonsense_on_a_section_page_never_gives_a_server_error(editor, assessment, changes):
    section_key = "impacts" if any(key.startswith("impacts") for key in changes) else "about"
    data = section_data(assessment, section_key, changes)
    response = editor.post(section_url(assessment, section_key), data)
    assert response.status_code in (200, 302, 409)


@pytest.mark.parametrize(
    "parts",
    [
        ("31", "2", "2027"),
        ("1", "13", "2027"),
        ("1", "1", "99999999999"),
        ("0", "0", "0"),
        ("a", "b", "c"),
        ("-1", "-1", "-1"),
        ("1", "", ""),
    ],
)
def test_impossible_review_dates_are_refused_without_an_error_page(editor, assessment, parts):
    data = section_data(
        assessment,
        "monitoring",
        {"q-review_date_0": parts[0], "q-review_date_1": parts[1], "q-review_date_2": parts[2]},
    )
    response = editor.post(section_url(assessment, "monitoring"), data)
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not assessment.answers.filter(question__key="review_date").exists()


@pytest.mark.parametrize(
    "when", [("30", "2", "2026"), ("1", "1", "99999"), ("yesterday", "", ""), ("2026", "13", "01")]
)
def test_impossible_participation_dates_are_refused_without_an_error_page(editor, assessment, when):
    add_row(editor, assessment, "participation")
    typed = {f"participation-0-when_{index}": part for index, part in enumerate(when)}
    data = section_data(assessment, "participation", typed)
    response = editor.post(section_url(assessment, "participation"), data)
    assert response.status_code == 200
    assert ParticipationEntry.objects.get().when is None


@pytest.mark.parametrize("reference", ["EIA%00", "..%2F..%2Fetc", "'; DROP TABLE x; --", "x" * 300])
def test_nonsense_references_give_404(editor, reference):
    assert editor.get(f"/assessments/{reference}/").status_code == 404
    assert editor.get(f"/assessments/{reference}/check/").status_code == 404


@pytest.mark.parametrize("name", ["q", "owner", "framework_version", "status", "sort", "page"])
def test_the_list_survives_a_null_character_in_any_parameter(editor, assessment, name):
    assert editor.get(reverse("assessments:list"), {"scope": "all", name: "a\x00b"}).status_code == 200


def test_a_null_character_in_a_title_is_refused(editor):
    response = editor.post(reverse("assessments:create"), {"title": "a\x00b", "activity_type": "programme"})
    assert response.status_code == 200
    assert "Null characters are not allowed." in response.content.decode()
    assert not Assessment.objects.exists()


def test_a_choice_of_another_assessment_in_a_merge_is_ignored(staff_user, user_factory, other):
    erin = user_factory(username="frank", role=Role.STAFF)
    assessment = make_assessment(staff_user, collaborators=[erin])
    before = stored_state(other)
    alice = Client()
    alice.force_login(staff_user)
    stale = section_data(assessment, "about", {"q-aims": "Mine"})
    alice.post(section_url(assessment, "about"), section_data(assessment, "about", {"q-aims": "Theirs"}))
    stale.update({"intent": "merge", "choose:q-aims": "theirs", "choose:csrfmiddlewaretoken": "theirs"})
    stale["revision"] = "1"
    response = alice.post(section_url(assessment, "about"), stale)
    assert response.status_code == 302
    assert assessment.answers.get(question__key="aims").value == "Theirs"
    assert stored_state(other) == before


def test_an_action_due_date_is_kept_as_typed(editor, assessment):
    impacts_started(editor, assessment)
    add_row(editor, assessment, "actions")
    due = timezone.localdate() + timedelta(days=30)
    data = section_data(assessment, "actions", date_parts("actions-0-due_date", due))
    editor.post(section_url(assessment, "actions"), data)
    assert Action.objects.get().due_date == due


@pytest.mark.parametrize("posted_id", ["abc", "1.5", "99999999999999999999", "-1", "0x1"])
def test_a_row_id_that_names_no_row_is_refused_without_an_error_page(editor, assessment, posted_id):
    data = section_data(
        assessment, "impacts", {"impacts-0-id": posted_id, "impacts-0-evidence": "Overwritten"}
    )
    response = editor.post(section_url(assessment, "impacts"), data)
    assert response.status_code == 200
    assert FOREIGN_ROW_MESSAGE in response.content.decode()
    assert not ImpactRating.objects.filter(evidence="Overwritten").exists()
