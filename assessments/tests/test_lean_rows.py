"""Lean rows: every row form drawn without crispy's per-field templates is the markup crispy
draws, compared on the forms the section pages draw."""

from datetime import date
from html.parser import HTMLParser

import pytest
from crispy_forms_gds.layout import Field
from django import forms
from django.http import QueryDict
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from assessments.forms.grid import ImpactRatingForm
from assessments.forms.lean import hidden_html, management_html, row_html
from assessments.forms.rows import FixedChoices
from assessments.models import (
    Action,
    DutyContribution,
    ImpactRating,
    IntersectionalImpact,
    ParticipationEntry,
    PrincipleAlignment,
)
from assessments.sections import SectionEditor
from assessments.selectors import assessment_content, framework_template
from assessments.tests.factories import add_action, fill_assessment, make_assessment
from frameworks.models import FrameworkVersion
from frameworks.scales import Scale
from thrive_edi.forms import gds_helper

pytestmark = pytest.mark.django_db

CRISPY = Template(
    "{% load crispy_forms_tags %}"
    "{% for hidden in form.hidden_fields %}{{ hidden }}{% endfor %}{% crispy form helper %}"
)


class Markup(HTMLParser):
    """Elements with their attributes (values' spaces collapsed) and text, spaces collapsed
    except in text areas."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.items: list = []
        self.feed(html)
        self.close()

    in_textarea = False

    def handle_starttag(self, tag, attrs):
        self.items.append(
            ("<", tag, sorted((name, " ".join((value or "").split())) for name, value in attrs))
        )
        self.in_textarea = tag == "textarea"

    def handle_endtag(self, tag):
        self.items.append((">", tag))
        self.in_textarea = False

    def handle_data(self, data):
        if self.in_textarea:  # what the person typed, spaces and all
            self.items.append(("text", data))
            return
        text = " ".join(data.split())
        if text:
            self.items.append(("text", text))


def crispy_html(form) -> str:
    """The row as crispy-forms-gds draws its layout: what the lean rows must match."""
    helper = gds_helper(*form.layout())
    return CRISPY.render(Context({"form": form, "helper": helper, "request": RequestFactory().get("/")}))


def assert_drawn_alike(make_form) -> None:
    """``make_form`` twice: crispy changes the widgets it draws, so each way gets its own form."""
    assert Markup(row_html(make_form())).items == Markup(crispy_html(make_form())).items


@pytest.fixture
def version():
    current = FrameworkVersion.objects.get(status=FrameworkVersion.Status.PUBLISHED)
    return framework_template(current.pk).version


MARKUP_TEXT = 'Survey of <b>"young" people</b> & carers\n  over two years'
SECTIONS_WITH_ROWS = ["impacts", "intersectional", "principles", "duties", "participation", "actions"]


@pytest.fixture
def assessment(staff_user):
    """Rows in every section, a text of each row holding markup and spaces."""
    assessment = fill_assessment(make_assessment(staff_user), user=staff_user)
    characteristics = list(assessment.impact_ratings.values_list("characteristic", flat=True)[:2])
    add_action(assessment, characteristics=characteristics, due_date=date(2027, 3, 1))
    add_action(assessment)
    for model, name in [
        (ImpactRating, "evidence"),
        (IntersectionalImpact, "evidence"),
        (PrincipleAlignment, "narrative"),
        (DutyContribution, "narrative"),
        (ParticipationEntry, "what_changed"),
        (Action, "action"),
    ]:
        model.objects.filter(assessment=assessment).update(**{name: MARKUP_TEXT})
    return assessment


def section_forms(assessment, key: str, data=None) -> list:
    content = assessment_content(assessment)
    return SectionEditor(content, content.section_by_key(key), data).rows_part.formset.forms


def assert_section_drawn_alike(assessment, key: str, data=None) -> None:
    lean_forms, crispy_forms = section_forms(assessment, key, data), section_forms(assessment, key, data)
    assert lean_forms
    for lean, crispy in zip(lean_forms, crispy_forms, strict=True):
        assert Markup(row_html(lean)).items == Markup(crispy_html(crispy)).items


@pytest.mark.parametrize("key", SECTIONS_WITH_ROWS)
def test_rows_with_answers_are_drawn_as_crispy_draws_them(key, assessment):
    assert_section_drawn_alike(assessment, key)
    html = "".join(row_html(form) for form in section_forms(assessment, key))
    assert 'checked="checked"' in html
    assert "&lt;b&gt;&quot;young&quot; people&lt;/b&gt; &amp; carers" in html
    if key == "actions":  # principle, owner (drawn by QuickSelect) and status, in GOV.UK's class
        assert html.count('class="govuk-select"') == 3 * len(section_forms(assessment, key))
        assert "selected" in html


@pytest.mark.parametrize("key", ["impacts", "principles", "duties"])
def test_rows_without_answers_are_drawn_as_crispy_draws_them(key, staff_user):
    assessment = make_assessment(staff_user)
    assert_section_drawn_alike(assessment, key)
    assert "checked" not in "".join(row_html(form) for form in section_forms(assessment, key))


@pytest.mark.parametrize("key", SECTIONS_WITH_ROWS)
def test_rows_with_errors_are_drawn_as_crispy_draws_them(key, assessment):
    posted = SectionEditor(assessment_content(assessment), assessment_content(assessment).section_by_key(key))
    data = QueryDict(mutable=True)
    for name, values in posted.posted_values().items():
        data.setlist(name, values)
    for name in list(data):
        if name.endswith(("-id", "DELETE")) or "FORMS" in name:
            continue
        is_text = data[name] == MARKUP_TEXT
        data.setlist(name, ["<script>alert(1)</script>" + "x" * 20_000] if is_text else ["not-a-choice"])

    def forms_with_errors():
        forms = section_forms(assessment, key, data)
        assert all(form.errors for form in forms)
        return forms

    forms_with_errors()
    assert_section_drawn_alike(assessment, key, data)
    html = "".join(row_html(form) for form in section_forms(assessment, key, data))
    assert "govuk-form-group--error" in html and "govuk-error-message" in html
    assert "<script>" not in html


def test_a_required_field_and_a_field_without_a_label_are_drawn_as_crispy_draws_them(assessment):
    def form():
        made = section_forms(assessment, "impacts")[0]
        made.fields["evidence"].required = made.fields["impact"].required = True
        made.fields["mitigation"].label = made.fields["confidence"].label = ""
        return made

    assert_drawn_alike(form)
    html = row_html(form())
    assert "required" not in html  # the service's own messages, not the browser's
    # Legends: relevance, impact, data gap; labels: the reason, evidence, data gap note, justification.
    assert html.count("<legend") == 3 and html.count("<label for=") == 4


def test_labels_and_hints_are_escaped_where_crispy_would_not(version):
    form = ImpactRatingForm(version=version)
    form.fields["evidence"].label = "Evidence <i>of need</i>"
    form.fields["evidence"].help_text = "Up to <b>20,000</b> characters"
    html = row_html(form)
    assert "Evidence &lt;i&gt;of need&lt;/i&gt;" in html
    assert "Up to &lt;b&gt;20,000&lt;/b&gt; characters" in html


def test_options_every_row_shares_are_escaped_once_and_drawn_in_each_row(version):
    shared = FixedChoices([("high", "High <b>confidence</b> & more"), ("low", "কম · குறைவு 🙂")])
    first, second = (
        ImpactRatingForm(version=version, prefix="a"),
        ImpactRatingForm(version=version, prefix="b"),
    )
    for form in (first, second):
        form.fields["confidence"].choices = shared
        form.initial["confidence"] = "low"

    drawn = [row_html(form) for form in (first, second)]

    for html, prefix in zip(drawn, ("a", "b"), strict=True):
        assert "High &lt;b&gt;confidence&lt;/b&gt; &amp; more" in html
        assert ">কম · குறைவு 🙂</label>" in html
        chosen = f'class="govuk-radios__input" id="id_{prefix}-confidence_2" value="low" checked'
        assert f'name="{prefix}-confidence" {chosen}' in html
    assert shared.drawn is not None and len(shared.drawn) == 2


def test_a_field_of_another_kind_is_drawn_by_crispy(assessment):
    def form():
        made = section_forms(assessment, "impacts")[0]
        # crispy-forms-gds expects a described-by to add the character count to
        made.fields["evidence"].widget = forms.EmailInput(attrs={"aria-describedby": ""})
        return made

    assert_drawn_alike(form)
    assert '<input type="email" name="impacts-0-evidence"' in row_html(form())


def test_a_text_box_with_a_hint_an_error_and_classes_is_drawn_as_crispy_draws_it(assessment):
    """The impact grid's one-line reason is a text box: drawn lean, with everything crispy adds."""
    content = assessment_content(assessment)
    section = content.section_by_key("impacts")
    posted = SectionEditor(content, section).posted_values()
    data = QueryDict(mutable=True)
    for name, values in posted.items():
        data.setlist(name, values)
    data["impacts-0-not_relevant_reason"] = '<b>"no"</b> & ' + "x" * 1_000  # longer than allowed

    def form(hint: str):
        made = section_forms(assessment, "impacts", data)[0]
        made.fields["not_relevant_reason"].help_text = hint
        made.fields["not_relevant_reason"].widget.attrs["class"] = "thrive-extra"
        return made

    for hint in ("", "One line is enough"):
        assert form(hint).errors["not_relevant_reason"]
        assert_drawn_alike(lambda hint=hint: form(hint))
    html = row_html(form(""))
    assert 'class="govuk-input thrive-extra govuk-input--error"' in html
    assert "&lt;b&gt;&quot;no&quot;&lt;/b&gt; &amp; x" in html and "required" not in html


def test_hidden_fields_are_drawn_as_django_draws_them(assessment):
    form = section_forms(assessment, "impacts")[0]
    assert form.hidden_fields()
    for field in form.hidden_fields():
        assert Markup(hidden_html(field)).items == Markup(str(field)).items


@pytest.mark.parametrize(
    "option",
    [
        Field.textarea("evidence", max_words=50),
        Field.radios("impact", legend_tag="h2"),
        Field("evidence", template="gds/layout/textarea_of_its_own.html"),
    ],
    ids=["words", "legend tag", "template"],
)
def test_a_layout_option_lean_rows_do_not_draw_is_refused_rather_than_dropped(option, version):
    class WithAnOption(ImpactRatingForm):
        def layout(self):
            return [option]

    with pytest.raises(TypeError, match="does not draw"):
        row_html(WithAnOption(version=version))


def test_the_section_page_draws_the_impact_grid_lean(client, staff_user, version):
    assessment = make_assessment(staff_user)
    client.force_login(staff_user)
    page = client.get(reverse("assessments:section", args=[assessment.reference, "impacts"])).text
    rows = ImpactRating.objects.filter(assessment=assessment).count()
    # Relevance (2), impact, confidence, data gap (2).
    options = len(version.choices(Scale.IMPACT)) + len(version.choices(Scale.EVIDENCE_CONFIDENCE)) + 4
    assert page.count('class="govuk-radios__item"><input type="radio"') == rows * options


@pytest.mark.parametrize("posted", [None, "as shown", "tampered"])
def test_a_management_form_is_drawn_as_django_draws_it(posted, assessment):
    content = assessment_content(assessment)
    section = content.section_by_key("impacts")
    data = None
    if posted is not None:
        data = QueryDict(mutable=True)
        for name, values in SectionEditor(content, section).posted_values().items():
            data.setlist(name, values)
        if posted == "tampered":
            data["impacts-TOTAL_FORMS"] = "many"
    form = SectionEditor(content, section, data).rows_part.formset.management_form
    assert bool(form.errors) is (posted == "tampered")
    assert management_html(form) == str(form)
