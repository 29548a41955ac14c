"""The Easy Read editor's help: a readability figure, long sentences and unusual words flagged."""

import pytest
from django.urls import reverse

from publication import easy_read, pictograms
from publication.models import EasyReadPoint
from publication.tests.factories import summarised

LONG = (
    "Young carers who look after a parent at night may find it hard to come to evening groups in the library."
)


def test_a_sentence_over_fifteen_words_is_flagged_with_its_length():
    advice = easy_read.advice(f"We run groups. {LONG}")
    assert advice.long_sentences == [(LONG, 21)]


def test_short_plain_sentences_read_easily_and_raise_nothing():
    advice = easy_read.advice("We run groups for young people. You can talk to us.")
    assert advice.reading_ease >= 80
    assert not advice.has_points


def test_words_outside_the_plain_word_list_are_flagged_but_names_and_plain_endings_are_not():
    advice = easy_read.advice(
        "We will commission an intersectional evaluation. Groups meet in Newham on Mondays."
    )
    assert "commission" in advice.unusual_words and "intersectional" in advice.unusual_words
    assert "newham" not in advice.unusual_words and "groups" not in advice.unusual_words


def test_a_harder_text_scores_lower():
    plain = easy_read.advice("We run groups. You can come. It is free.").reading_ease
    hard = easy_read.advice(
        "Commissioning intersectional evaluations necessitates methodological rigour."
    ).reading_ease
    assert hard < plain


def test_every_pictogram_is_built_and_described():
    for key in pictograms.pictogram_keys():
        assert pictograms.data_uri(key).startswith("data:image/svg+xml;base64,")
        assert pictograms.alt_text(key) != "A picture"


@pytest.mark.django_db
def test_the_editor_shows_the_advice_and_saves_points_with_pictures(client, staff_user):
    assessment = summarised(staff_user, easy_read=None)
    client.force_login(staff_user)
    url = reverse("publication:easy_read_edit", args=[assessment.reference])
    data = {
        "text_1": LONG,
        "picture_1": "people",
        "text_2": "We will help.",
        "picture_2": "",
        "intent": "check",
    }
    page = client.post(url, data).content.decode()
    assert "Sentences over 15 words" in page and "(21 words)" in page and "Reading ease" in page
    assert not EasyReadPoint.objects.exists()
    # Saving needs a picture for every point, and keeps what was typed when one is missing.
    response = client.post(url, {**data, "intent": "save"})
    assert response.status_code == 200
    assert "Choose a picture for point 2" in response.content.decode() and LONG in response.content.decode()
    response = client.post(url, {**data, "picture_2": "yes", "intent": "save"})
    assert response.status_code == 302
    assert list(EasyReadPoint.objects.values_list("text", "pictogram")) == [
        (LONG, "people"),
        ("We will help.", "yes"),
    ]


@pytest.mark.django_db
def test_someone_not_working_on_the_assessment_cannot_edit_its_summary(client, staff_user, user_factory):
    from thrive_edi.roles import Role

    assessment = summarised(staff_user)
    client.force_login(user_factory(username="erin", role=Role.STAFF))
    for name in ("summary_edit", "easy_read_edit"):
        assert client.get(reverse(f"publication:{name}", args=[assessment.reference])).status_code == 403
    client.logout()
    response = client.get(reverse("publication:summary_edit", args=[assessment.reference]))
    assert response.status_code == 302 and "/sign-in/" in response["Location"]


def test_words_of_other_scripts_and_accents_stay_whole_and_long_sentences_in_them_are_flagged():
    bengali = " ".join(["সহায়তা"] * 16) + "।"
    assert easy_read.words("সহায়তা দল") == ["সহায়তা", "দল"]
    assert easy_read.words("Ein Café für Väter 🌈 drop-in") == ["Ein", "Café", "für", "Väter", "drop-in"]
    result = easy_read.advice(bengali + " ছোট বাক্য।")
    assert result.written and result.reading_ease is None  # the figure is for English only
    assert [count for _sentence, count in result.long_sentences] == [16]
    assert result.unusual_words == []  # the plain-word list is English: nothing else is flagged


def test_emoji_and_mixed_text_give_advice_without_failing():
    assert not easy_read.advice("🌈 🙂 !!!").written
    mixed = easy_read.advice("We meet on Monday. আমরা সোমবার দেখা করি।")
    assert mixed.written and mixed.reading_ease is not None
