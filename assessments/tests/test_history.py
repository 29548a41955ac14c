"""The history page: who changed which answer or row, from what to what, and when."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from assessments import lifecycle, services
from assessments.models import ImpactRating, ParticipationEntry
from assessments.tests.factories import fill_assessment, make_assessment, section_data, section_url
from frameworks.scales import Scale
from thrive_edi.people import person_name

AIMS = "What should change for Londoners because of this activity?"


@pytest.fixture
def assessment(staff_user, erin):
    return make_assessment(staff_user, collaborators=[erin])


def session(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def history_page(client, assessment) -> str:
    response = client.get(reverse("assessments:history", args=[assessment.reference]))
    assert response.status_code == 200
    return response.content.decode()


def changes(client, assessment):
    response = client.get(reverse("assessments:history", args=[assessment.reference]))
    return list(response.context["page"].object_list)


def cells(page: str) -> str:
    """The page's text with tags reduced to separators, to read rows of tables."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "|", page))


def test_an_answer_changed_by_two_people_shows_who_changed_it_from_what_to_what(assessment, staff_user, erin):
    alice, erin_client = session(staff_user), session(erin)
    alice.post(
        section_url(assessment, "about"), section_data(assessment, "about", {"q-aims": "Fewer crises"})
    )
    erin_client.post(
        section_url(assessment, "about"), section_data(assessment, "about", {"q-aims": "Fewer admissions"})
    )
    found = [c for c in changes(alice, assessment) if c.what == f"Answer: {AIMS}"]
    assert [(c.who, c.kind, c.fields) for c in found] == [
        ("Erin Okafor", "changed", [("Answer", "Fewer crises", "Fewer admissions")]),
        ("Alice User", "created", [("Answer", "(blank)", "Fewer crises")]),
    ]
    page = cells(history_page(alice, assessment))
    assert f"Answer: {AIMS} changed" in page
    assert "By Erin Okafor, " in page
    assert "|Answer|" in page and "|Fewer crises|" in page and "|Fewer admissions|" in page


def test_each_change_says_when_it_was_made(client, assessment, staff_user):
    client.force_login(staff_user)
    client.post(section_url(assessment, "about"), section_data(assessment, "about", {"q-aims": "A"}))
    change = changes(client, assessment)[0]
    assert abs((timezone.now() - change.when).total_seconds()) < 60
    when = timezone.localtime(change.when)
    assert f"{when.day} {when:%B %Y, %H:%M}" in history_page(client, assessment)


def test_the_newest_change_comes_first(client, assessment, staff_user):
    client.force_login(staff_user)
    client.post(section_url(assessment, "about"), section_data(assessment, "about", {"q-aims": "One"}))
    client.post(section_url(assessment, "about"), section_data(assessment, "about", {"q-aims": "Two"}))
    found = changes(client, assessment)
    assert [change.when for change in found] == sorted((change.when for change in found), reverse=True)
    assert found[0].fields == [("Answer", "One", "Two")]


def test_a_rating_shows_its_first_change_from_blank(client, assessment, staff_user):
    client.force_login(staff_user)
    data = section_data(assessment, "impacts")
    rating = ImpactRating.objects.select_related("characteristic").get(pk=data["impacts-0-id"][0])
    data.update(
        {"impacts-0-relevant": "yes", "impacts-0-evidence": "Census 2021", "impacts-0-impact": "negative"}
    )
    client.post(section_url(assessment, "impacts"), data)
    data = section_data(assessment, "impacts", {"impacts-0-evidence": "GP survey"})
    client.post(section_url(assessment, "impacts"), data)
    found = [c for c in changes(client, assessment) if c.what == f"Impact on {rating.characteristic.name}"]
    negative = assessment.framework_version.label_for(Scale.IMPACT, "negative")  # as the version words it
    assert [c.fields for c in found] == [
        [("Evidence", "Census 2021", "GP survey")],
        [
            ("Impact", "(blank)", negative),
            ("Evidence", "(blank)", "Census 2021"),
            ("Relevant to the activity", "(blank)", "Yes"),
        ],
    ]
    assert all(c.who == "Alice User" for c in found)


def test_rows_added_changed_and_removed_are_all_in_the_history(client, assessment, staff_user):
    client.force_login(staff_user)
    url = section_url(assessment, "participation")
    client.post(
        url, section_data(assessment, "participation", {"participation-0-how": "Survey"}, adding=True)
    )
    entry = ParticipationEntry.objects.get()
    client.post(url, section_data(assessment, "participation", {"participation-0-who": "Carers' forum"}))
    client.post(url, section_data(assessment, "participation", {"participation-0-DELETE": "on"}))
    found = [c for c in changes(client, assessment) if c.what == f"Participation entry {entry.pk}"]
    assert [(c.kind, c.fields) for c in found] == [
        ("deleted", []),
        ("changed", [("Who", "(blank)", "Carers' forum")]),
        ("created", [("How", "(blank)", "Survey")]),
    ]


def test_the_characteristics_an_action_addresses_are_named(client, assessment, staff_user):
    client.force_login(staff_user)
    client.post(section_url(assessment, "impacts"), section_data(assessment, "impacts"))
    client.post(
        section_url(assessment, "actions"),
        section_data(assessment, "actions", {"actions-0-issue": "No interpreters."}, adding=True),
    )
    race = assessment.framework_version.characteristics.get(key="race")
    client.post(
        section_url(assessment, "actions"),
        section_data(assessment, "actions", {"actions-0-characteristics": [str(race.pk)]}),
    )
    found = [
        field for c in changes(client, assessment) for field in c.fields if field[0] == "Characteristics"
    ]
    assert found == [("Characteristics", "(blank)", race.name)]


def test_changed_details_of_the_assessment_are_in_the_history(client, staff_user):
    assessment = services.assessment_create(
        owner=staff_user, title="Peer support in Newham", activity_type="programme", london_wide=True
    )
    client.force_login(staff_user)
    client.post(
        reverse("assessments:edit_details", args=[assessment.reference]),
        {
            "title": "Peer support in Hackney",
            "activity_type": "programme",
            "summary": assessment.summary,
            "where": "london",
            "based_on": services.details_fingerprint(assessment),
        },
    )
    found = changes(client, assessment)[0]
    assert (found.what, found.who, found.fields) == (
        "Assessment details",
        "Alice User",
        [("Title", "Peer support in Newham", "Peer support in Hackney")],
    )


def test_readers_see_the_history_of_a_draft(client, assessment, staff_user, approver_user):
    session(staff_user).post(
        section_url(assessment, "about"), section_data(assessment, "about", {"q-aims": "A"})
    )
    client.force_login(approver_user)
    assert f"Answer: {AIMS} created" in history_page(client, assessment)


def test_a_new_assessment_has_only_its_creation_in_the_history(client, assessment, staff_user):
    client.force_login(staff_user)
    assert [(c.what, c.kind) for c in changes(client, assessment)] == [("Assessment details", "created")]


def test_the_history_reads_like_a_record_with_labels_names_and_dates(
    client, assessment, staff_user, approver_user, django_capture_on_commit_callbacks
):
    client.force_login(staff_user)
    client.post(
        reverse("assessments:edit_details", args=[assessment.reference]),
        {
            "title": assessment.title,
            "activity_type": "crisis_response",
            "summary": assessment.summary,
            "where": "london",
            "based_on": services.details_fingerprint(assessment),
        },
    )
    fill_assessment(assessment, user=staff_user)
    services.assessment_submit(assessment=assessment, user=staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.assessment_sign_off(assessment=assessment, user=approver_user, declaration=True)
    assessment.refresh_from_db()

    page = cells(history_page(client, assessment))
    assert "|Activity type|" in page and "|Crisis response|" in page
    assert "|Signed off by|" in page and f"|{person_name(approver_user)}|" in page
    assert f"|{date_format(timezone.localtime(assessment.signed_off_at), 'j F Y, H:i')}|" in page
    assert f"|{date_format(assessment.review_date, 'j F Y')}|" in page
    assert "|Status|" in page and "|Signed off|" in page
    assert "|No|" in page  # the rapid assessment question, answered no
    for raw in ("crisis_response", "signed_off", "|True|", "|False|", "|Value|", "|activity type|"):
        assert raw not in page, raw
    assert f"|{approver_user.pk}|" not in page
    assert not re.search(r"\|\d{4}-\d{2}-\d{2}", page), "a raw date or timestamp"


def test_the_history_page_reads_a_fixed_number_of_queries_whatever_its_length(client, assessment, staff_user):
    client.force_login(staff_user)
    url = reverse("assessments:history", args=[assessment.reference])
    fill_assessment(assessment, user=staff_user)
    client.post(section_url(assessment, "about"), section_data(assessment, "about", {"q-aims": "One"}))
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    client.post(section_url(assessment, "impacts"), section_data(assessment, "impacts"))
    for text in ("Two", "Three", "Four"):
        client.post(section_url(assessment, "about"), section_data(assessment, "about", {"q-aims": text}))
    services.assessment_submit(assessment=assessment, user=staff_user)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.context["page"].object_list) > 20
    assert len(many) == len(few)


def test_the_screening_answers_and_their_changes_are_in_the_history(client, staff_user, erin):
    from assessments.selectors import version_characteristics

    assessment = services.assessment_create(
        owner=staff_user, title="Leaflet", activity_type="campaign", screening=True, collaborators=[erin]
    )
    groups = list(version_characteristics(assessment.framework_version_id).filter(key__in=["age", "sex"]))
    url = reverse("assessments:screening", args=[assessment.reference])
    answers = {
        "who": "Library visitors.", "changes": "yes", "changes_note": "", "groups": [str(groups[0].pk)],
        "reach": "few", "crisis": "no", "decision": "full", "justification": "",
    }  # fmt: skip
    assert session(staff_user).post(url, answers).status_code == 302
    changed = answers | {"groups": [str(g.pk) for g in groups], "decision": "proportionate"}
    assert session(erin).post(url, changed).status_code == 302

    client.force_login(staff_user)
    found = [c for c in changes(client, assessment) if c.what == "Screening"]
    assert [(c.who, c.kind) for c in found[:2]] == [("Erin Okafor", "changed"), ("Alice User", "changed")]
    latest = dict((label, (old, new)) for label, old, new in found[0].fields)
    assert latest == {
        "What does the activity need?": ("Full assessment", "Proportionate assessment"),
        "Which groups could it plausibly affect?": (groups[0].name, f"{groups[0].name}, {groups[1].name}"),
    }
    first = dict((label, (old, new)) for label, old, new in found[1].fields)
    assert first["Who does the activity reach?"] == ("(blank)", "Library visitors.")
    assert first["Is it a response to a crisis?"] == ("(blank)", "No")
    assert first["How many people does it reach?"][1].startswith("A small, defined group")
    assert first["Which groups could it plausibly affect?"] == ("(blank)", groups[0].name)
    page = cells(history_page(client, assessment))
    assert "|Which groups could it plausibly affect?|" in page and groups[1].name in page
