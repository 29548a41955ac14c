"""Search across titles, answers, actions and partners, in the staff list and the board portal:
PostgreSQL's full-text search, or SQLite's plain matching, with the matches highlighted."""

import re

import pytest
from django.urls import reverse

from assessments.models import Action, Partner, SearchDocument
from assessments.search import documents_build
from assessments.tests.factories import add_action, fill_assessment, make_assessment
from frameworks.models import Question

pytestmark = pytest.mark.django_db

LIST = reverse("assessments:list")
PORTAL = reverse("reporting:portal")


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what waits for the transaction to commit (the search documents' rebuild)."""

    def run(make):
        with django_capture_on_commit_callbacks(execute=True):
            return make()

    return run


def _references(response) -> list[str]:
    return [row.reference for row in response.context["page"].object_list]


def _with_action(committed, owner, action: str, **fields):
    """A new assessment of the owner's with one action, each committed (so searchable)."""
    assessment = committed(lambda: make_assessment(owner, **fields))
    committed(lambda: add_action(assessment, action=action))
    return assessment


def test_a_word_only_in_an_actions_text_finds_its_assessment(editor, staff_user, committed):
    wanted = _with_action(
        committed, staff_user, "Book the velodrome for the summer sessions.", title="Peer support in Newham"
    )
    _with_action(committed, staff_user, "Move sessions.", title="Peer support in Hackney")

    response = editor.get(LIST, {"scope": "all", "q": "velodrome"})

    assert _references(response) == [wanted.reference]
    html = response.content.decode()
    assert "<mark>velodrome</mark>" in html
    assert "Book the" in html


def test_matches_are_escaped_and_only_marked(editor, staff_user, committed):
    _with_action(committed, staff_user, '<script>alert("velodrome")</script> velodrome <b>bold</b>')

    html = editor.get(LIST, {"scope": "all", "q": "velodrome"}).content.decode()

    (excerpt,) = re.findall(r'<p class="govuk-body-s thrive-search-excerpt">(.*?)</p>', html, re.S)
    # PostgreSQL's headline leaves tags out, SQLite's excerpt escapes them: either way the only
    # elements are ours.
    assert set(re.findall(r"<(/?\w+)", excerpt)) == {"span", "/span", "mark", "/mark"}
    assert "<mark>velodrome</mark>" in excerpt
    assert "<script>alert" not in html


def test_answers_and_partners_are_searched_too(editor, staff_user, committed):
    by_answer = committed(lambda: make_assessment(staff_user, title="First"))
    by_partner = committed(lambda: make_assessment(staff_user, title="Second"))
    question = Question.objects.filter(
        section__version=by_answer.framework_version, type=Question.Type.LONG_TEXT
    ).first()
    committed(lambda: by_answer.answers.create(question=question, value="We met the allotment society."))
    partner = Partner.objects.create(name="Walthamstow Allotment Trust")
    committed(lambda: by_partner.partners.add(partner))

    response = editor.get(LIST, {"scope": "all", "q": "allotment", "sort": "title"})

    assert _references(response) == [by_answer.reference, by_partner.reference]


def test_every_word_must_match(editor, staff_user, committed):
    both = _with_action(committed, staff_user, "Velodrome and canal towpath rides.", title="First")
    _with_action(committed, staff_user, "Velodrome only.", title="Second")

    response = editor.get(LIST, {"scope": "all", "q": "velodrome towpath"})

    assert _references(response) == [both.reference]


def test_a_changed_or_removed_action_no_longer_finds_its_assessment(editor, staff_user, committed):
    assessment = committed(lambda: make_assessment(staff_user))
    action = committed(lambda: add_action(assessment, action="Book the velodrome."))
    assert _references(editor.get(LIST, {"scope": "all", "q": "velodrome"})) == [assessment.reference]

    def change():
        action.action = "Book the library."
        action.save()

    committed(change)
    assert _references(editor.get(LIST, {"scope": "all", "q": "velodrome"})) == []
    assert _references(editor.get(LIST, {"scope": "all", "q": "library"})) == [assessment.reference]

    committed(lambda: Action.objects.get(pk=action.pk).delete())
    assert _references(editor.get(LIST, {"scope": "all", "q": "library"})) == []


def test_the_reference_and_title_still_find_an_assessment(editor, staff_user, committed):
    assessment = committed(lambda: make_assessment(staff_user, title="Crisis café in Lambeth"))
    SearchDocument.objects.all().delete()  # found without its document, too

    assert _references(editor.get(LIST, {"scope": "all", "q": assessment.reference})) == [
        assessment.reference
    ]
    assert _references(editor.get(LIST, {"scope": "all", "q": "crisis café"})) == [assessment.reference]


def test_a_search_reads_a_fixed_number_of_queries(
    editor, staff_user, committed, django_assert_max_num_queries
):
    def make(count):
        for number in range(count):
            assessment = committed(lambda: make_assessment(staff_user, title=f"Programme {number}"))
            committed(lambda: add_action(assessment, action=f"Book the velodrome, round {number}."))

    def queries() -> int:
        editor.get(LIST, {"scope": "all", "q": "velodrome"})
        with django_assert_max_num_queries(6) as captured:
            response = editor.get(LIST, {"scope": "all", "q": "velodrome"})
        return len(captured), len(_references(response))

    make(2)
    few, found = queries()
    assert found == 2
    make(6)
    many, found = queries()
    assert found == 8
    assert few == many


def test_the_board_portal_finds_a_signed_off_assessment_by_an_actions_text(
    client, board_user, staff_user, approver_user, committed, django_assert_max_num_queries
):
    from assessments import lifecycle, services

    def signed(action_text):
        assessment = fill_assessment(make_assessment(staff_user), user=staff_user)
        add_action(assessment, action=action_text)
        services.assessment_submit(assessment=assessment, user=staff_user)
        lifecycle.assessment_sign_off(assessment=assessment, user=approver_user, declaration=True)
        return assessment

    wanted = committed(lambda: signed("Hire the velodrome for a community day."))
    committed(lambda: signed("Move sessions."))
    draft = committed(lambda: make_assessment(staff_user, title="Draft"))
    committed(lambda: add_action(draft, action="Velodrome again."))
    client.force_login(board_user)

    client.get(PORTAL, {"q": "velodrome"})
    with django_assert_max_num_queries(7):
        response = client.get(PORTAL, {"q": "velodrome"})

    assert _references(response) == [wanted.reference]
    assert "<mark>velodrome</mark>" in response.content.decode()


def test_documents_are_built_for_assessments_loaded_without_saves(staff_user, committed):
    assessment = committed(lambda: make_assessment(staff_user))
    committed(lambda: add_action(assessment, action="Book the velodrome."))
    SearchDocument.objects.all().delete()

    assert documents_build([assessment.pk]) == 1

    assert "velodrome" in SearchDocument.objects.get(assessment=assessment).body


@pytest.mark.parametrize(
    ("text", "query"),
    [
        ("বাংলা ভাষায় সহায়তা দল চালু করুন।", "সহায়তা"),  # Bengali: a support group in Bengali
        ("Grupo de apoyo en español para madres.", "español"),
        ("Ein Café für Väter in Stratford.", "Väter"),
        ("Weekly drop-in 🌈 for LGBTQ+ young people.", "drop-in"),
    ],
)
def test_words_in_other_scripts_and_with_accents_or_emoji_are_found_and_marked(
    editor, staff_user, committed, text, query
):
    wanted = committed(lambda: make_assessment(staff_user, title="Community languages"))
    committed(lambda: make_assessment(staff_user, title="Something else"))
    committed(lambda: add_action(wanted, action=text))

    response = editor.get(LIST, {"scope": "all", "q": query})

    assert response.status_code == 200
    assert _references(response) == [wanted.reference]
    # PostgreSQL marks the first part of a hyphenated word ("in" is a stop word); SQLite all of it.
    assert f"<mark>{query.split('-')[0]}" in response.content.decode()


def test_a_search_of_only_emoji_or_punctuation_finds_nothing_and_fails_nothing(editor, staff_user, committed):
    committed(lambda: add_action(committed(lambda: make_assessment(staff_user)), action="Sessions 🌈 & more"))
    for query in ("🌈", "&", "!!!", "'", '"', "\\", "%", "_"):
        response = editor.get(LIST, {"scope": "all", "q": query})
        assert response.status_code == 200, query


def test_a_section_save_writes_its_search_document_in_its_own_commit(
    client, staff_user, committed, django_capture_on_commit_callbacks
):
    """The document is built inside the save's transaction, not in two more after it: with
    nothing run at the commit, the saved words are already found."""
    from assessments.tests.factories import section_data, section_url

    assessment = committed(lambda: fill_assessment(make_assessment(staff_user), user=staff_user))
    client.force_login(staff_user)
    data = section_data(assessment, "about", {"q-aims": "Sessions at the Tamil community centre, தமிழ் 🌱."})
    with django_capture_on_commit_callbacks(execute=False):
        assert client.post(section_url(assessment, "about"), data).status_code == 302
    assert "Tamil community centre, தமிழ் 🌱." in SearchDocument.objects.get(assessment=assessment).body
    response = client.get(LIST, {"scope": "all", "q": "tamil centre"})
    assert _references(response) == [assessment.reference]
