"""Race by the 2021 Census ethnic groups: the groups are framework data; an assessment may use
them where its screening marks race, off by default; once chosen, each group is asked about,
summarised, signed and printed."""

import json

import pytest
from django.utils.html import escape

from assessments.kinds import SummaryTable
from assessments.models import ImpactRating, Screening, SubgroupRating
from assessments.rules import section_failures
from assessments.selectors import assessment_content
from assessments.summary import assessment_summary
from assessments.tests.factories import (
    add_action,
    break_down_race,
    fill_assessment,
    make_assessment,
    section_data,
    section_url,
)
from frameworks.models import FrameworkVersion, FrozenVersionError, Subgroup
from frameworks.scales import Impact, Scale, StructuredPart
from frameworks.services import framework_export, framework_import, framework_version_freeze
from reporting.tests.pdf_checks import comparable, extracted_text, pdftotext, pypdf_text, squeezed, stored_pdf
from thrive_edi.tests.html_tree import page_tree

BREAKDOWN = "2021 Census ethnic groups (England and Wales)"
CAPTION = f"Impact on race by the {BREAKDOWN}"


def mark_race(assessment) -> ImpactRating:
    """The screening marks race as plausibly affected; returns race's row."""
    race = ImpactRating.objects.select_related("characteristic").get(
        assessment=assessment, characteristic__key="race"
    )
    Screening.objects.get_or_create(assessment=assessment)[0].groups.add(race.characteristic)
    return race


def race_index(assessment) -> int:
    content = assessment_content(assessment)
    return [r.characteristic.key for r in content.ratings].index("race")


def ethnic_groups(assessment) -> list[SubgroupRating]:
    return list(
        SubgroupRating.objects.filter(assessment=assessment)
        .select_related("subgroup")
        .order_by("subgroup__order", "subgroup__pk")
    )


def impacts_page(client, assessment):
    return page_tree(client.get(section_url(assessment, "impacts")).content.decode())


@pytest.mark.django_db
def test_the_default_framework_holds_the_19_census_ethnic_groups_in_5_categories():
    race = FrameworkVersion.objects.current().characteristics.get(key="race")
    groups = list(race.subgroups.order_by("order", "pk"))
    assert race.breakdown == BREAKDOWN
    assert len(groups) == 19
    assert list(dict.fromkeys(g.category for g in groups)) == [
        "Asian, Asian British or Asian Welsh",
        "Black, Black British, Black Welsh, Caribbean or African",
        "Mixed or Multiple ethnic groups",
        "White",
        "Other ethnic group",
    ]
    assert [g.name for g in groups][-7:] == [
        "English, Welsh, Scottish, Northern Irish or British",
        "Irish",
        "Gypsy or Irish Traveller",
        "Roma",
        "Other White",
        "Arab",
        "Any other ethnic group",
    ]


@pytest.mark.django_db
def test_the_ethnic_groups_survive_export_and_import_as_a_new_version():
    current = FrameworkVersion.objects.current()
    text = framework_export(version=current)
    assert "breakdown:" in text and "Gypsy or Irish Traveller" in text
    copy = framework_import(data=text, label="2026/27")
    assert framework_export(version=copy) == text.replace('"2022/23"', '"2026/27"').replace(
        "2022/23", "2026/27"
    )
    names = list(Subgroup.objects.filter(version=copy).order_by("order").values_list("name", flat=True))
    assert len(names) == 19 and names[0] == "Bangladeshi"


@pytest.mark.django_db
def test_a_frozen_version_refuses_any_change_to_its_ethnic_groups():
    version = framework_version_freeze(version=FrameworkVersion.objects.current())
    group = Subgroup.objects.filter(version=version).first()
    group.name = "Renamed"
    with pytest.raises(FrozenVersionError):
        group.save()
    with pytest.raises(FrozenVersionError):
        Subgroup.objects.filter(version=version).update(name="Renamed")


@pytest.mark.django_db
def test_a_new_assessment_has_a_row_for_each_ethnic_group(assessment):
    assert len(ethnic_groups(assessment)) == 19


def test_the_choice_is_offered_only_where_the_screening_marks_race_and_is_off_by_default(editor, assessment):
    name = f"impacts-{race_index(assessment)}-by_subgroups"
    assert impacts_page(editor, assessment).find_all("input", name=name) == []

    mark_race(assessment)
    tree = impacts_page(editor, assessment)
    choices = {box.attrs["value"]: box for box in tree.find_all("input", name=name)}
    assert set(choices) == {"yes", "no"}
    assert "checked" in choices["no"].attrs and "checked" not in choices["yes"].attrs
    legend = choices["no"].ancestor("govuk-fieldset").find_all("legend")[0].text
    assert f"Assess race by the {BREAKDOWN}?" in legend
    # The groups' rows are drawn under "yes", in their categories, each with its own question.
    revealed = tree.by_id(f"conditional-{name}-yes")
    assert revealed.by_id("subgroups-rows") is not None
    headings = [h.text for h in revealed.find_all("h4")]
    assert headings[0] == "Asian, Asian British or Asian Welsh" and len(headings) == 5
    assert len(revealed.find_all(css="thrive-subrow")) == 19


def test_choosing_the_ethnic_groups_keeps_the_answers_and_asks_for_each_group(editor, assessment):
    mark_race(assessment)
    race = f"impacts-{race_index(assessment)}-"
    changes = {
        f"{race}relevant": "yes",
        f"{race}by_subgroups": "yes",
        "subgroups-0-relevant": "yes",
        "subgroups-0-impact": Impact.NEGATIVE,
        "subgroups-0-evidence": "Census 2021 by borough.",
        "subgroups-1-relevant": "no",
        "subgroups-1-not_relevant_reason": "Few live in the boroughs reached.",
    }
    response = editor.post(section_url(assessment, "impacts"), section_data(assessment, "impacts", changes))
    assert response.status_code == 302  # saved, back to the task list

    assert ImpactRating.objects.get(assessment=assessment, characteristic__key="race").by_subgroups is True
    first, second, third, *_ = ethnic_groups(assessment)
    assert (first.relevant, first.impact, first.evidence) == (
        True,
        Impact.NEGATIVE,
        "Census 2021 by borough.",
    )
    assert (second.relevant, second.not_relevant_reason) == (False, "Few live in the boroughs reached.")
    content = assessment_content(assessment)
    failures = section_failures(content, content.section_by_key("impacts"))
    subgroup_failures = {f.message: f for f in failures if f.prefix.startswith("subgroups-")}
    assert len(subgroup_failures) == 17  # the 17 groups not answered yet
    failure = subgroup_failures[f"Say whether the activity could affect the {third.subgroup.name} group"]
    assert (failure.row, failure.anchor) == (third.pk, "div_id_subgroups-2-relevant")

    tree = page_tree(
        editor.post(
            section_url(assessment, "impacts"), section_data(assessment, "impacts", completed="yes")
        ).content.decode()
    )
    group = tree.by_id("div_id_subgroups-2-relevant")
    assert "Say whether the activity could affect the Indian group" in group.text
    summary_links = [a.attrs["href"] for a in tree.find_all(css="govuk-error-summary")[0].find_all("a")]
    assert "#id_subgroups-2-relevant_1" in summary_links


def test_left_off_the_ethnic_groups_ask_nothing_and_show_nowhere(editor, assessment):
    race = mark_race(assessment)
    SubgroupRating.objects.filter(assessment=assessment).update(relevant=True)  # answered, then unused
    ImpactRating.objects.filter(pk=race.pk).update(relevant=True, by_subgroups=False)
    content = assessment_content(assessment)
    failures = section_failures(content, content.section_by_key("impacts"))
    assert not [f for f in failures if f.prefix.startswith("subgroups-")]
    tables = [t for item in assessment_summary(content) for t in item.tables]
    assert all(t.anchor != "subgroups-rows" for t in tables)

    # Chosen, but race then marked not relevant: the groups are not asked about either.
    ImpactRating.objects.filter(pk=race.pk).update(relevant=False, by_subgroups=True)
    content = assessment_content(assessment)
    failures = section_failures(content, content.section_by_key("impacts"))
    assert not [f for f in failures if f.prefix.startswith("subgroups-")]


def test_the_summary_lists_each_ethnic_group_once_chosen(assessment):
    break_down_race(assessment)
    content = assessment_content(assessment)
    (table,) = [
        t for item in assessment_summary(content) for t in item.tables if t.anchor == "subgroups-rows"
    ]
    assert isinstance(table, SummaryTable) and table.caption == CAPTION
    assert table.rows[0] == [
        "Bangladeshi",
        "Asian, Asian British or Asian Welsh",
        "Some positive",
        "Census 2021 by borough.",
    ]
    assert table.rows[1][:3] == [
        "Chinese",
        "Asian, Asian British or Asian Welsh",
        "Not relevant: Few live in the boroughs reached.",
    ]
    assert len(table.rows) == 19


@pytest.mark.django_db
def test_the_signed_snapshot_and_its_pdf_record_the_ethnic_groups(staff_user, sign_off, tmp_path):
    assessment = fill_assessment(make_assessment(staff_user), user=staff_user)
    break_down_race(assessment)
    signed = sign_off(assessment)
    document = json.loads(signed.snapshot.document)
    (impacts,) = [section for section in document["sections"] if section["key"] == "impacts"]
    (table,) = [table for table in impacts["tables"] if table["caption"] == CAPTION]
    assert [row[0] for row in table["rows"]][:3] == ["Bangladeshi", "Chinese", "Indian"]
    assert table["rows"][0][3] == "Census 2021 by borough."

    text = squeezed(extracted_text(stored_pdf(signed), tmp_path))
    for words in (
        CAPTION,
        "Gypsy or Irish Traveller",
        "White and Black Caribbean",
        "Census 2021 by borough.",
    ):
        assert squeezed(words) in text, words

    # The version it was signed against is frozen: its groups cannot change under the record.
    with pytest.raises(FrozenVersionError):
        Subgroup.objects.filter(version=assessment.framework_version, key="ethnic_roma").update(
            name="Renamed"
        )


def test_a_negative_impact_on_an_ethnic_group_asks_for_an_action_for_its_characteristic(staff_user):
    assessment = fill_assessment(make_assessment(staff_user), user=staff_user)
    first, *_ = break_down_race(assessment)
    SubgroupRating.objects.filter(pk=first.pk).update(impact=Impact.NEGATIVE)
    content = assessment_content(assessment)
    negative = content.version.labels(Scale.IMPACT)[Impact.NEGATIVE]
    failures = section_failures(content, content.section_holding(StructuredPart.ACTION_PLAN))
    message = f"Add an action for Race: the {first.subgroup.name} group ({negative})"
    assert message in [failure.message for failure in failures]

    race = ImpactRating.objects.get(assessment=assessment, characteristic__key="race").characteristic
    add_action(assessment, characteristics=[race])
    content = assessment_content(assessment)
    failures = section_failures(content, content.section_holding(StructuredPart.ACTION_PLAN))
    assert message not in [failure.message for failure in failures]


# Text pasted from a Word list: bullets, tabs, non-breaking spaces, curly quotes, Windows line
# ends, and emoji typed beside it.
PASTED_EVIDENCE = (
    "•\tCensus 2021: 12\u00a0% of residents\r\n"
    "•\t\u201cWe weren\u2019t asked\u201d, said the Bangladeshi women\u2019s group 🙏\r\n"
    "•\tOutreach at Brick\u00a0Lane mosque 👍🏽"
)
PASTED_REASON = "\u201cFew\u201d live here\u00a0\u2013 the borough\u2019s data\t🏠"


def _pasted(editor, assessment):
    """The first ethnic group's evidence and the second's reason saved as pasted, through the page."""
    changes = {
        "subgroups-0-relevant": "yes",
        "subgroups-0-impact": Impact.POSITIVE,
        "subgroups-0-evidence": PASTED_EVIDENCE,
        "subgroups-1-relevant": "no",
        "subgroups-1-not_relevant_reason": PASTED_REASON,
    }
    response = editor.post(section_url(assessment, "impacts"), section_data(assessment, "impacts", changes))
    assert response.status_code == 302


def test_text_pasted_from_word_on_an_ethnic_group_is_saved_and_read_back_as_typed(editor, staff_user):
    assessment = fill_assessment(make_assessment(staff_user), user=staff_user)
    break_down_race(assessment)
    _pasted(editor, assessment)
    first, second, *_ = ethnic_groups(assessment)
    assert first.evidence == PASTED_EVIDENCE
    assert second.not_relevant_reason == PASTED_REASON

    html = editor.get(section_url(assessment, "impacts")).content.decode()
    assert escape(PASTED_EVIDENCE) in html  # the textarea, as it was typed
    assert page_tree(html).by_id("id_subgroups-1-not_relevant_reason").attrs["value"] == PASTED_REASON
    (table,) = [
        t
        for item in assessment_summary(assessment_content(assessment))
        for t in item.tables
        if t.anchor == "subgroups-rows"
    ]
    assert table.rows[0][3] == PASTED_EVIDENCE
    assert table.rows[1][2] == f"Not relevant: {PASTED_REASON}"


def test_text_pasted_from_word_on_an_ethnic_group_reads_back_from_the_signed_pdf(
    editor, staff_user, sign_off
):
    assessment = fill_assessment(make_assessment(staff_user), user=staff_user)
    break_down_race(assessment)
    _pasted(editor, assessment)
    data = stored_pdf(sign_off(assessment))
    for text in (pdftotext(data), pypdf_text(data)):
        read = comparable(text)
        for line in [*PASTED_EVIDENCE.split("\r\n"), PASTED_REASON]:
            for words in line.split("\t"):
                if words.strip() and words.strip() != "•":
                    assert comparable(words) in read, words
    assert "\r" not in pdftotext(data)
