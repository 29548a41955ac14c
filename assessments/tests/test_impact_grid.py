"""The impact grid as people using a screen reader or no JavaScript meet it."""

import pytest
from django.http import QueryDict
from django.template import Context, Template

from assessments.forms.grid import grid_rows_html
from assessments.models import ImpactRating
from assessments.sections import SectionEditor
from assessments.selectors import assessment_content
from assessments.tests.factories import fill_assessment, make_assessment, section_data, section_url
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


# The rows as the section page's template drew them, a template for each row.
ROWS_BY_TEMPLATE = Template(
    """{% for label, row_id, form in rows %}{% with characteristic=form.instance.characteristic %}
      {% ifchanged characteristic.kind %}
        <h2 class="govuk-heading-l">{% if characteristic.kind == "protected" %}Protected characteristics (Equality Act 2010){% else %}Additional groups{% endif %}</h2>
      {% endifchanged %}
      <div class="thrive-row" id="{{ row_id }}">
        <h3 class="govuk-heading-m govuk-!-margin-bottom-1">{{ label }}</h3>
        <p class="govuk-body-s thrive-row__summary">{{ form.summary_line }}</p>
        {% if characteristic.guidance %}
        <details class="govuk-details">
          <summary class="govuk-details__summary"><span class="govuk-details__summary-text">What to consider for {{ label }}</span></summary>
          <div class="govuk-details__text">{{ characteristic.guidance }} <a class="govuk-link" href="{{ characteristic.get_absolute_url }}">More in the framework guide</a></div>
        </details>
        {% endif %}
        {{ form.lean_html }}
      </div>
    {% endwith %}{% endfor %}"""  # noqa: E501 - the template as it stood
)


def grid_rows(assessment, data=None) -> list:
    content = assessment_content(assessment)
    return SectionEditor(content, content.section_by_key("impacts"), data).rows_part.rows()


def assert_rows_drawn_alike(rows) -> None:
    assert grid_rows_html(rows) == ROWS_BY_TEMPLATE.render(Context({"rows": rows}))


@pytest.mark.parametrize("filled", [False, True], ids=["new", "filled"])
def test_the_rows_are_drawn_as_a_template_for_each_row_drew_them(filled, staff_user, assessment):
    if filled:
        fill_assessment(assessment, user=staff_user)
    rows = grid_rows(assessment)
    kinds = [form.instance.characteristic.kind for _label, _row_id, form in rows]
    assert len(set(kinds)) == 2 and all(form.instance.characteristic.guidance for *_rest, form in rows)
    rows[1][2].instance.characteristic.guidance = ""  # a group without guidance: no details
    rows[2] = ('Carers <b>"unpaid"</b> & others', *rows[2][1:])  # a label holding markup
    assert_rows_drawn_alike(rows)
    assert "&lt;b&gt;&quot;unpaid&quot;&lt;/b&gt; &amp; others" in grid_rows_html(rows)


def test_a_row_of_another_assessment_is_drawn_as_the_template_drew_it(assessment, staff_user):
    """Its id is refused: the row has no group, and draws no heading of its own."""
    other = ImpactRating.objects.exclude(assessment=assessment).first() or ImpactRating.objects.get(
        pk=fill_assessment(make_assessment(staff_user), user=staff_user).impact_ratings.first().pk
    )
    data = QueryDict(mutable=True)
    for name, values in section_data(assessment, "impacts").items():
        data.setlist(name, values if isinstance(values, list) else [values])
    data["impacts-1-id"] = str(other.pk)
    rows = grid_rows(assessment, data)
    assert rows[1][2].instance.characteristic_id is None
    assert_rows_drawn_alike(rows)
