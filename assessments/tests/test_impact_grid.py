"""The impact grid as people using a screen reader or no JavaScript meet it."""

from assessments.models import ImpactRating
from assessments.tests.factories import section_data, section_url
from frameworks.scales import Impact
from thrive_edi.tests.html_tree import page_tree


def grid(client, assessment):
    return page_tree(client.get(section_url(assessment, "impacts")).content.decode())


def rows(tree):
    return [(row.find_all("h3")[0].text, row) for row in tree.find_all("div", css="thrive-row")]


def test_every_field_of_the_grid_is_named_with_its_group(editor, assessment):
    tree = grid(editor, assessment)
    found = rows(tree)
    assert len(found) == 24
    for name, row in found:
        for box in row.find_all("textarea"):
            (label,) = [
                label for label in tree.find_all("label") if label.attrs.get("for") == box.attrs["id"]
            ]
            assert name in label.text, f"{label.text!r} does not name {name}"
        for fieldset in row.find_all("fieldset"):
            assert name in fieldset.find_all("legend")[0].text


def reveal(row, field):
    (box,) = [box for box in row.find_all("textarea") if box.attrs["name"].endswith(f"-{field}")]
    return box.ancestor("thrive-reveal")


def test_mitigation_and_justification_show_only_when_the_rating_calls_for_them(editor, assessment):
    ratings = list(ImpactRating.objects.filter(assessment=assessment).order_by("pk"))
    ImpactRating.objects.filter(pk=ratings[1].pk).update(impact=Impact.NEGATIVE)
    ImpactRating.objects.filter(pk=ratings[2].pk).update(impact=Impact.SIGNIFICANT_NEGATIVE)
    by_rating = {}
    for _name, row in rows(grid(editor, assessment)):
        (row_id,) = [box for box in row.find_all("input") if box.attrs["name"].endswith("-id")]
        by_rating[int(row_id.attrs["value"])] = row
    neutral, negative, significant = (by_rating[r.pk] for r in ratings[:3])
    assert "hidden" in reveal(neutral, "mitigation").attrs
    assert "hidden" in reveal(neutral, "justification").attrs
    assert "hidden" not in reveal(negative, "mitigation").attrs
    assert "hidden" in reveal(negative, "justification").attrs
    assert "hidden" not in reveal(significant, "mitigation").attrs
    assert "hidden" not in reveal(significant, "justification").attrs
    assert reveal(neutral, "mitigation").attrs["data-reveal-when"].startswith("impacts-")


def test_without_javascript_a_new_rating_reveals_its_questions_when_the_page_comes_back(editor, assessment):
    data = section_data(assessment, "impacts", {"impacts-0-impact": Impact.NEGATIVE}, completed="yes")
    tree = page_tree(editor.post(section_url(assessment, "impacts"), data).content.decode())
    (row, *_rest) = [row for _name, row in rows(tree)]
    assert "hidden" not in reveal(row, "mitigation").attrs
    assert "Say how the negative impact" in reveal(row, "mitigation").text


def test_each_box_says_its_limit_once(editor, assessment):
    tree = grid(editor, assessment)
    for box in tree.find_all("textarea"):
        group = box.ancestor("govuk-character-count") or box.parent
        said = [
            element
            for element in group.iter()
            if "You can enter up to" in element.text
            and all(isinstance(child, str) for child in element.children)
        ]
        assert len(said) == 1, box.attrs["name"]
