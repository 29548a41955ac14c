"""Two people editing the same section in two sessions: the later save never overwrites silently."""

from datetime import date
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from assessments.models import Answer, ImpactRating, SectionProgress
from assessments.tests.factories import answer_of, date_parts, make_assessment, section_data, section_url
from frameworks.scales import Impact


class _FormReader(HTMLParser):
    """What a browser would submit from a page's post form: hidden inputs and checked radios."""

    def __init__(self):
        super().__init__()
        self.fields: dict[str, list[str]] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag != "input" or "name" not in attrs:
            return
        if attrs.get("type") == "radio" and "checked" not in attrs:
            return
        self.fields.setdefault(attrs["name"], []).append(attrs.get("value") or "")


def submitted_fields(response) -> dict[str, list[str]]:
    reader = _FormReader()
    reader.feed(response.content.decode())
    return reader.fields


@pytest.fixture
def assessment(staff_user, erin):
    return make_assessment(staff_user, collaborators=[erin])


@pytest.fixture
def alice_session(staff_user):
    client = Client()
    client.force_login(staff_user)
    return client


@pytest.fixture
def erin_session(erin):
    client = Client()
    client.force_login(erin)
    return client


def test_a_save_based_on_an_old_revision_gets_the_conflict_page_with_what_was_typed(
    assessment, alice_session, erin_session
):
    # Both open the page at revision 0.
    alice_form = section_data(assessment, "about")
    erin_form = section_data(assessment, "about")
    response = alice_session.post(section_url(assessment, "about"), {**alice_form, "q-aims": "Alice's aims"})
    assert response.status_code == 302

    response = erin_session.post(
        section_url(assessment, "about"),
        {**erin_form, "q-aims": "Erin's aims", "q-affected": "Young carers in Lambeth"},
    )
    page = response.content.decode()
    assert response.status_code == 409
    assert "Someone else changed" in page
    assert "Alice User saved this section" in page
    assert "Erin&#x27;s aims" in page
    assert "Alice&#x27;s aims" in page
    assert "Young carers in Lambeth" in page
    # Nothing of the second save is stored until the user chooses.
    assert answer_of(assessment, "aims") == "Alice's aims"
    assert answer_of(assessment, "affected") is None
    assert SectionProgress.objects.get(section__key="about").revision == 1


def test_merging_keeps_the_chosen_answer_of_each_field(assessment, alice_session, erin_session):
    alice_form = section_data(assessment, "about")
    erin_form = section_data(assessment, "about")
    alice_session.post(
        section_url(assessment, "about"), {**alice_form, "q-aims": "Alice's aims", "q-stage": "new"}
    )
    conflict = erin_session.post(
        section_url(assessment, "about"),
        {**erin_form, "q-aims": "Erin's aims", "q-stage": "changed", "q-affected": "Young carers"},
    )
    labels = {difference["label"] for difference in conflict.context["differences"]}
    assert labels == {
        "What should change for Londoners because of this activity?",
        "Is the activity new, changed or existing?",
        "Who is affected, directly or indirectly?",
    }
    fields = submitted_fields(conflict)
    assert fields["choose:q-aims"] == ["mine"]  # keeping one's own answer is the default
    fields["choose:q-stage"] = ["theirs"]
    fields["intent"] = ["merge"]
    response = erin_session.post(section_url(assessment, "about"), fields)
    assert response.status_code == 302
    assert answer_of(assessment, "aims") == "Erin's aims"
    assert answer_of(assessment, "stage") == "new"
    assert answer_of(assessment, "affected") == "Young carers"
    progress = SectionProgress.objects.get(section__key="about")
    assert progress.revision == 2
    assert progress.updated_by.username == "erin"


def test_keeping_the_saved_answers_everywhere_changes_nothing_they_saved(
    assessment, alice_session, erin_session
):
    erin_form = section_data(assessment, "about")
    alice_session.post(
        section_url(assessment, "about"), section_data(assessment, "about", {"q-aims": "Alice's"})
    )
    conflict = erin_session.post(section_url(assessment, "about"), {**erin_form, "q-aims": "Erin's"})
    fields = submitted_fields(conflict)
    fields.update({name: ["theirs"] for name in fields if name.startswith("choose:")})
    fields["intent"] = ["merge"]
    assert erin_session.post(section_url(assessment, "about"), fields).status_code == 302
    assert answer_of(assessment, "aims") == "Alice's"


def test_keeping_a_saved_blank_multiple_choice_answer_saves_it_blank(assessment, alice_session, erin_session):
    erin_form = section_data(assessment, "about")
    alice_session.post(section_url(assessment, "about"), section_data(assessment, "about", {"q-aims": "A"}))
    conflict = erin_session.post(
        section_url(assessment, "about"), {**erin_form, "q-aims": "A", "q-levels": ["systems"]}
    )
    assert [d["key"] for d in conflict.context["differences"]] == ["q-levels"]
    fields = submitted_fields(conflict)
    fields.update({"choose:q-levels": ["theirs"], "intent": ["merge"]})
    response = erin_session.post(section_url(assessment, "about"), fields)
    assert response.status_code == 302
    assert answer_of(assessment, "levels") is None


def test_a_merge_based_on_a_revision_that_moved_on_again_is_another_conflict(
    assessment, alice_session, erin_session
):
    erin_form = section_data(assessment, "about")
    alice_session.post(section_url(assessment, "about"), section_data(assessment, "about", {"q-aims": "One"}))
    conflict = erin_session.post(section_url(assessment, "about"), {**erin_form, "q-aims": "Erin's"})
    alice_session.post(section_url(assessment, "about"), section_data(assessment, "about", {"q-aims": "Two"}))
    fields = submitted_fields(conflict)
    fields["intent"] = ["merge"]
    response = erin_session.post(section_url(assessment, "about"), fields)
    assert response.status_code == 409
    assert "Erin&#x27;s" in response.content.decode()
    assert answer_of(assessment, "aims") == "Two"


def test_a_conflict_on_the_impact_grid_names_the_characteristic_and_merges_rows(
    assessment, alice_session, erin_session
):
    race = ImpactRating.objects.get(assessment=assessment, characteristic__key="race")
    erin_form = section_data(assessment, "impacts")
    index = next(i for i in range(24) if erin_form[f"impacts-{i}-id"] == [str(race.pk)])
    alice_form = section_data(assessment, "impacts", {f"impacts-{index}-evidence": "Census 2021"})
    alice_session.post(section_url(assessment, "impacts"), alice_form)
    conflict = erin_session.post(
        section_url(assessment, "impacts"),
        {
            **erin_form,
            f"impacts-{index}-evidence": "GP survey",
            f"impacts-{index}-impact": Impact.NEGATIVE,
        },
    )
    assert conflict.status_code == 409
    differences = {d["label"]: d for d in conflict.context["differences"]}
    name = race.characteristic.name
    assert differences[f"{name}: Evidence"]["mine"] == "GP survey"
    assert differences[f"{name}: Evidence"]["theirs"] == "Census 2021"
    assert differences[f"{name}: Likely impact"]["mine"] == "Some negative"
    assert differences[f"{name}: Likely impact"]["theirs"] == "(blank)"
    fields = submitted_fields(conflict)
    fields[f"choose:impacts-{index}-evidence"] = ["theirs"]
    fields["intent"] = ["merge"]
    assert erin_session.post(section_url(assessment, "impacts"), fields).status_code == 302
    race.refresh_from_db()
    assert (race.evidence, race.impact) == ("Census 2021", Impact.NEGATIVE)


def test_the_same_answers_saved_twice_still_ask_before_saving(assessment, alice_session, erin_session):
    form = section_data(assessment, "about", {"q-aims": "Same"})
    alice_session.post(section_url(assessment, "about"), form)
    response = erin_session.post(section_url(assessment, "about"), form)
    assert response.status_code == 409
    assert "Your answers are the same as the saved ones." in response.content.decode()
    assert Answer.objects.filter(assessment=assessment).count() == 1


def test_a_date_in_conflict_is_one_choice_and_never_mixes_the_two_dates(
    assessment, alice_session, erin_session
):
    erin_form = section_data(assessment, "monitoring")
    alice_session.post(
        section_url(assessment, "monitoring"),
        section_data(assessment, "monitoring", date_parts("q-review_date", date(2027, 3, 27))),
    )
    conflict = erin_session.post(
        section_url(assessment, "monitoring"),
        {**erin_form, **date_parts("q-review_date", date(2027, 4, 28))},
    )
    assert [(d["label"], d["mine"], d["theirs"]) for d in conflict.context["differences"]] == [
        ("When will this assessment be reviewed?", "28/4/2027", "27/3/2027")
    ]
    fields = submitted_fields(conflict)
    fields.update({"choose:q-review_date": ["theirs"], "intent": ["merge"]})
    assert erin_session.post(section_url(assessment, "monitoring"), fields).status_code == 302
    assert answer_of(assessment, "review_date") == "2027-03-27"


def test_the_conflict_page_names_no_one_when_the_last_editor_is_gone(
    assessment, alice_session, erin, erin_session
):
    alice_form = section_data(assessment, "about")
    erin_session.post(
        section_url(assessment, "about"), section_data(assessment, "about", {"q-aims": "Erin's"})
    )
    erin.delete()
    response = alice_session.post(section_url(assessment, "about"), {**alice_form, "q-aims": "Alice's"})
    assert response.status_code == 409
    assert "Someone saved this section" in response.content.decode()
    assert answer_of(assessment, "aims") == "Erin's"


@pytest.mark.parametrize("revision", [None, "", "abc"])
def test_a_save_that_does_not_say_its_revision_never_overwrites_a_saved_section(
    assessment, alice_session, erin_session, revision
):
    alice_session.post(
        section_url(assessment, "about"), section_data(assessment, "about", {"q-aims": "Alice's"})
    )
    data = section_data(assessment, "about", {"q-aims": "Erin's"})
    if revision is None:
        data.pop("revision")
    else:
        data["revision"] = revision
    response = erin_session.post(section_url(assessment, "about"), data)
    assert response.status_code == 409
    assert answer_of(assessment, "aims") == "Alice's"


def test_a_save_that_does_not_say_its_revision_is_kept_on_a_section_never_saved(assessment, erin_session):
    data = section_data(assessment, "about", {"q-aims": "Erin's"})
    data.pop("revision")
    assert erin_session.post(section_url(assessment, "about"), data).status_code == 302
    assert answer_of(assessment, "aims") == "Erin's"


@pytest.mark.django_db
def test_two_people_editing_the_details_do_not_lose_an_update_silently(staff_user, approver_user, client):
    from assessments.models import Assessment

    assessment = make_assessment(staff_user, collaborators=[approver_user], title="First title")
    url = reverse("assessments:edit_details", args=[assessment.reference])
    owner, collaborator = client, Client()
    owner.force_login(staff_user)
    collaborator.force_login(approver_user)

    def shown_fingerprint(response):
        return response.content.decode().split('name="based_on" value="')[1].split('"')[0]

    seen_by_owner = shown_fingerprint(owner.get(url))
    seen_by_collaborator = shown_fingerprint(collaborator.get(url))
    details = {
        "activity_type": "programme",
        "summary": "",
        "collaborators": [approver_user.pk],
        "where": ["london"],
    }
    assert (
        owner.post(url, {**details, "title": "Owner's title", "based_on": seen_by_owner}).status_code == 302
    )
    response = collaborator.post(
        url, {**details, "title": "Collaborator's title", "based_on": seen_by_collaborator}
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "Collaborator&#x27;s title" in page and "Owner&#x27;s title" in page
    assert Assessment.objects.get(pk=assessment.pk).title == "Owner's title"
    again = collaborator.post(
        url, {**details, "title": "Collaborator's title", "based_on": shown_fingerprint(response)}
    )
    assert again.status_code == 302
    assert Assessment.objects.get(pk=assessment.pk).title == "Collaborator's title"
