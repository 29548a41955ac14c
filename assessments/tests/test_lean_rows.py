"""Lean rows: the fixed grids drawn without crispy's templates are the markup crispy draws."""

from html.parser import HTMLParser

import pytest
from crispy_forms_gds.layout import Field
from django import forms
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from assessments.forms.lean import row_html
from assessments.forms.rows import (
    DutyContributionForm,
    ImpactRatingForm,
    PrincipleAlignmentForm,
    RowForm,
)
from assessments.models import ImpactRating
from assessments.selectors import framework_template
from assessments.tests.factories import make_assessment
from frameworks.models import FrameworkVersion
from frameworks.scales import EvidenceConfidence, Impact, Scale

pytestmark = pytest.mark.django_db

CRISPY = Template(
    "{% load crispy_forms_tags %}"
    "{% for hidden in form.hidden_fields %}{{ hidden }}{% endfor %}{% crispy form %}"
)
LEAN_FORMS = [form for form in RowForm.__subclasses__() if form.lean]


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
    return CRISPY.render(Context({"form": form, "request": RequestFactory().get("/")}))


def assert_drawn_alike(make_form) -> None:
    """``make_form`` twice: crispy changes the widgets it draws, so each way gets its own form."""
    assert Markup(row_html(make_form())).items == Markup(crispy_html(make_form())).items


@pytest.fixture
def version():
    current = FrameworkVersion.objects.get(status=FrameworkVersion.Status.PUBLISHED)
    return framework_template(current.pk).version


def saved_row(form_class, owner, version):
    """A row of the kind ``form_class`` edits, with every field answered, markup in its texts."""
    model = form_class._meta.model
    row = model.objects.filter(assessment=make_assessment(owner)).first()
    for item in form_class.layout(None):
        (name,) = item.fields
        field = form_class.base_fields.get(name) or model._meta.get_field(name).formfield()
        if isinstance(field.widget, forms.Textarea):
            setattr(row, name, 'Survey of <b>"young" people</b> & carers\nover two years')
    if model is ImpactRating:
        row.impact, row.confidence, row.data_gap = Impact.NEGATIVE, EvidenceConfidence.LOW, True
    else:
        scale_field = next(iter(form_class.scale_fields))
        setattr(row, scale_field, form_class(version=version).fields[scale_field].choices[1][0])
    row.save()
    return row


def test_the_fixed_grids_are_drawn_lean():
    assert set(LEAN_FORMS) == {ImpactRatingForm, PrincipleAlignmentForm, DutyContributionForm}


@pytest.mark.parametrize("form_class", LEAN_FORMS, ids=lambda form: form.__name__)
def test_a_row_with_answers_is_drawn_as_crispy_draws_it(form_class, version, staff_user):
    row = saved_row(form_class, staff_user, version)

    def form():
        return form_class(instance=row, prefix="rows-3", version=version)

    assert_drawn_alike(form)
    html = row_html(form())
    assert 'checked="checked"' in html
    assert "&lt;b&gt;&quot;young&quot; people&lt;/b&gt; &amp; carers" in html


@pytest.mark.parametrize("form_class", LEAN_FORMS, ids=lambda form: form.__name__)
def test_a_row_without_answers_is_drawn_as_crispy_draws_it(form_class, version):
    def form():
        return form_class(prefix="rows-0", version=version)

    assert_drawn_alike(form)
    assert "checked" not in row_html(form())


@pytest.mark.parametrize("form_class", LEAN_FORMS, ids=lambda form: form.__name__)
def test_a_row_with_errors_is_drawn_as_crispy_draws_it(form_class, version, staff_user):
    row = saved_row(form_class, staff_user, version)
    posted = {}
    for item in form_class.layout(None):
        (name,) = item.fields
        is_text = "rows" in item.attrs
        posted[f"rows-3-{name}"] = "<script>alert(1)</script>" + "x" * 20_000 if is_text else "not-a-level"

    def form():
        bound = form_class(data=posted, instance=row, prefix="rows-3", version=version)
        assert not bound.is_valid()
        return bound

    assert len(form().errors) == len(form_class.layout(None))  # every field is wrong
    assert_drawn_alike(form)
    html = row_html(form())
    assert "govuk-form-group--error" in html and "govuk-error-message" in html
    assert "<script>" not in html


def test_a_required_field_and_a_field_without_a_label_are_drawn_as_crispy_draws_them(version, staff_user):
    row = saved_row(ImpactRatingForm, staff_user, version)

    def form():
        made = ImpactRatingForm(instance=row, prefix="rows-1", version=version)
        made.fields["evidence"].required = made.fields["impact"].required = True
        made.fields["mitigation"].label = made.fields["confidence"].label = ""
        return made

    assert_drawn_alike(form)
    html = row_html(form())
    assert "required" not in html  # the service's own messages, not the browser's
    assert html.count("<legend") == 2 and html.count("<label for=") == 3


def test_labels_and_hints_are_escaped_where_crispy_would_not(version):
    form = ImpactRatingForm(version=version)
    form.fields["evidence"].label = "Evidence <i>of need</i>"
    form.fields["evidence"].help_text = "Up to <b>20,000</b> characters"
    html = row_html(form)
    assert "Evidence &lt;i&gt;of need&lt;/i&gt;" in html
    assert "Up to &lt;b&gt;20,000&lt;/b&gt; characters" in html


def test_a_field_lean_rows_do_not_draw_is_refused_rather_than_left_out(version):
    form = ImpactRatingForm(version=version)
    form.fields["evidence"].widget = forms.TextInput()
    with pytest.raises(TypeError, match="radios and text areas only"):
        row_html(form)


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
    options = len(version.choices(Scale.IMPACT)) + len(version.choices(Scale.EVIDENCE_CONFIDENCE)) + 2
    assert page.count('class="govuk-radios__item"><input type="radio"') == rows * options
