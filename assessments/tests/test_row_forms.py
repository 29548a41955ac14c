"""Row forms: the version's wording of each scale, made once a version and shared by every row."""

import copy

import pytest
from django import forms

from assessments.forms.entries import (
    ActionForm,
    DutyContributionForm,
    IntersectionalImpactForm,
    ParticipationEntryForm,
    PrincipleAlignmentForm,
)
from assessments.forms.grid import ImpactRatingForm, SubgroupRatingForm
from assessments.forms.rows import FixedChoices, RowFields, _versioned_fields
from assessments.selectors import framework_template
from frameworks.models import FrameworkVersion, ScaleOption
from frameworks.scales import Scale

pytestmark = pytest.mark.django_db


@pytest.fixture
def version():
    current = FrameworkVersion.objects.get(status=FrameworkVersion.Status.PUBLISHED)
    return framework_template(current.pk).version


def test_every_row_offers_the_version_wording_of_its_scales(version):
    form = ImpactRatingForm(version=version)
    assert list(form.fields["impact"].choices) == version.choices(Scale.IMPACT)
    assert list(form.fields["confidence"].widget.choices) == version.choices(Scale.EVIDENCE_CONFIDENCE)
    assert form.fields["impact"].required is False


def test_rows_share_the_options_but_each_has_fields_of_its_own(version):
    first, second = ImpactRatingForm(version=version), ImpactRatingForm(version=version)
    assert first.fields["impact"] is not second.fields["impact"]
    assert first.fields["impact"].choices is second.fields["impact"].choices
    first.fields["evidence"].widget.attrs["aria-describedby"] = "evidence-error"
    assert second.fields["evidence"].widget.attrs.get("aria-describedby") != "evidence-error"


def test_a_row_checks_a_posted_option_against_the_version(version):
    posted = {"impact": "not-a-level", "evidence": "Survey", "paid": "yes"}
    form = ImpactRatingForm(data=posted, version=version)
    assert not form.is_valid()
    assert "impact" in form.errors
    assert ParticipationEntryForm(data=posted, version=version).fields["paid"].clean("yes") is True


def test_a_version_worded_anew_is_offered_in_its_new_words():
    """An unfrozen version is read afresh for each request: a label changed in admin shows."""
    current = FrameworkVersion.objects.get(status=FrameworkVersion.Status.PUBLISHED)
    assert current.frozen_at is None  # nothing has been submitted against it yet
    before = framework_template(current.pk).version
    ImpactRatingForm(version=before)
    option = ScaleOption.objects.filter(version=current, scale=Scale.IMPACT).first()
    option.label = "Worded anew"
    option.save()
    after = framework_template(current.pk).version
    assert "Worded anew" in dict(ImpactRatingForm(version=after).fields["impact"].choices).values()


def test_fixed_choices_are_shared_by_copies_and_compare_as_a_list():
    import copy

    choices = FixedChoices([("yes", "Yes"), ("no", "No")])
    assert copy.deepcopy(choices) is choices and copy.copy(choices) is choices
    assert choices == [("yes", "Yes"), ("no", "No")] and len(choices) == 2


ROW_FORMS = [
    ImpactRatingForm,
    SubgroupRatingForm,
    IntersectionalImpactForm,
    PrincipleAlignmentForm,
    DutyContributionForm,
    ParticipationEntryForm,
    ActionForm,
]


@pytest.mark.parametrize("form_class", ROW_FORMS, ids=lambda form_class: form_class.__name__)
def test_a_row_copies_its_fields_as_django_does_but_shares_the_fixed_options(form_class, version):
    fields = _versioned_fields(form_class, version)
    quick, plain = copy.deepcopy(fields), {name: copy.deepcopy(field) for name, field in fields.items()}
    assert list(quick) == list(plain)
    for name in fields.shallow:
        field, made, django_made = fields[name], quick[name], plain[name]
        assert made is not field and made.widget is not field.widget
        assert made.widget.attrs is not field.widget.attrs
        assert type(made) is type(django_made) and type(made.widget) is type(django_made.widget)
        assert {**vars(made), "widget": None} == {**vars(django_made), "widget": None}
        assert vars(made.widget) == vars(django_made.widget)


def test_every_field_of_the_impact_grid_shares_its_options(version):
    fields = _versioned_fields(ImpactRatingForm, version)
    assert fields.shallow == set(fields)
    dated = _versioned_fields(ParticipationEntryForm, version)
    assert "when" in dated and "when" not in dated.shallow  # a date is three boxes: copied deep


def test_a_field_that_copies_itself_its_own_way_is_copied_as_django_does():
    class CopiedItsOwnWay(forms.CharField):
        def __copy__(self):
            copied = object.__new__(type(self))
            copied.__dict__.update(self.__dict__, copied_its_own_way=True)
            return copied

    fields = RowFields({"plain": forms.CharField(), "own_way": CopiedItsOwnWay()})

    assert fields.shallow == {"plain"}
    copied = copy.deepcopy(fields)
    assert copied["own_way"].copied_its_own_way and copied["own_way"] is not fields["own_way"]
    assert not hasattr(copied["plain"], "copied_its_own_way")
