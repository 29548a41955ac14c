"""The machinery the rows of a section's structured parts share: each row a model form in a
formset, its scales worded by the framework version. The rows themselves: the impact grid's in
``assessments.forms.grid``, the others in ``assessments.forms.entries``.

Like the questions, rows accept partial answers; ``assessments.rules`` says what is missing.
"""

import copy
import functools

from django import forms
from django.core.exceptions import ValidationError
from django.forms import BaseFormSet, BaseModelFormSet, modelformset_factory
from django.utils.choices import BaseChoiceIterator
from django.utils.safestring import SafeString

from assessments.forms.common import MAX_ROWS, YES_NO_CHOICES
from assessments.forms.lean import row_html
from frameworks.models import FrameworkVersion
from frameworks.scales import Scale
from thrive_edi.forms import escaped

# The labels of a likely impact and its evidence, in every kind of row that rates one.
IMPACT_LABELS = {"impact": "Likely impact", "evidence": "Evidence"}


class FixedChoices(BaseChoiceIterator):
    """Options that every row of a formset shares: copies of a field keep the same list."""

    def __init__(self, choices):
        self.choices = list(choices)
        self.drawn = None  # the options as ``forms.lean`` draws them, made at the first drawing

    def __iter__(self):
        return iter(self.choices)

    def __len__(self):
        return len(self.choices)

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self


def yes_no_field(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        required=False,
        choices=FixedChoices(YES_NO_CHOICES),
        widget=forms.RadioSelect,
        coerce=lambda value: value is True or value == "yes",
        empty_value=None,
    )


def _versioned_fields(form_class, version: FrameworkVersion) -> "RowFields":
    """The form's fields with the version's wording of its scales, made once for each wording."""
    wording = tuple((name, tuple(version.choices(scale))) for name, scale in form_class.scale_fields.items())
    return _fields_worded(form_class, wording)


# Keyed by the wording itself rather than by the version: a draft version's wording may change
# between two requests, and versions that share a wording (most do) share the fields.
@functools.lru_cache(maxsize=64)
def _fields_worded(form_class, wording: tuple) -> "RowFields":
    fields = copy.deepcopy(form_class.base_fields)
    for name, choices in wording:
        field = fields[name]
        field.choices = FixedChoices(list(choices))
        field.widget = forms.RadioSelect(choices=field.choices)
        field.required = False
    for field in fields.values():
        if isinstance(field.widget, forms.Textarea):
            # crispy-forms-gds adds the character count's id to this, expecting one there.
            field.widget.attrs.setdefault("aria-describedby", "")
    return RowFields(fields)


# Widgets of one element, drawn from their own attributes and the field's options alone.
SINGLE_WIDGETS = (forms.TextInput, forms.Textarea, forms.RadioSelect, forms.CheckboxSelectMultiple)


class RowFields(dict):
    """A row form's fields in one wording, which every row of that form copies as its own.

    Django deep-copies a form's ``base_fields`` for each form, options and all: on a page of
    many rows that copying took a fifth of the page's time. A row needs a field and a widget of
    its own (it names its group in the labels, and crispy-forms adds attributes to the widgets
    it draws), but it may share options no row changes (``FixedChoices``). A field with other
    options (a query's, or the model's) or a widget of several elements (a date) is deep-copied
    as Django does; ``test_row_forms`` compares the two ways.
    """

    def __init__(self, fields: dict[str, forms.Field]):
        super().__init__(fields)
        self.shallow = {name for name, field in fields.items() if _copied_shallow(field)}

    def __deepcopy__(self, memo) -> dict[str, forms.Field]:
        return {
            name: row_copy(field) if name in self.shallow else copy.deepcopy(field, memo)
            for name, field in self.items()
        }


def _copied_shallow(field: forms.Field) -> bool:
    if type(field.widget) not in SINGLE_WIDGETS or not (_plain(field) and _plain(field.widget)):
        return False
    if isinstance(field, forms.ChoiceField):
        return not isinstance(field, forms.ModelChoiceField) and isinstance(field.choices, FixedChoices)
    return True


def _plain(thing) -> bool:
    """Whether ``copy.copy`` makes of ``thing`` a new instance with its attributes, and nothing
    else (no ``__copy__``, pickling hooks or slots of its own)."""
    kind = type(thing)
    return (
        kind.__reduce_ex__ is object.__reduce_ex__
        and kind.__reduce__ is object.__reduce__
        and not any(hasattr(kind, name) for name in ("__copy__", "__setstate__", "__slots__"))
    )


def _attributes_copied(thing):
    """``copy.copy`` of a ``_plain`` object, made directly: a row of the grid copies some 20
    fields and widgets, and ``copy.copy``'s general way (through pickling's protocol) took a
    third of building the rows."""
    copied = object.__new__(type(thing))
    copied.__dict__.update(thing.__dict__)
    return copied


def row_copy(field: forms.Field) -> forms.Field:
    """What ``copy.deepcopy(field)`` makes of a field of ``RowFields.shallow``: the same, but the
    options, which are fixed, shared rather than copied."""
    copied = _attributes_copied(field)
    copied.widget = _attributes_copied(field.widget)
    copied.widget.attrs = field.widget.attrs.copy()
    copied.error_messages = field.error_messages.copy()
    copied.validators = field.validators[:]
    return copied


class RowForm(forms.ModelForm):
    """A row of a structured section; ``version`` supplies the wording of the scales."""

    scale_fields: dict[str, Scale] = {}

    def __init__(self, *args, version: FrameworkVersion, **kwargs):
        self.base_fields = _versioned_fields(type(self), version)  # what BaseForm copies
        super().__init__(*args, **kwargs)
        self.version = version
        self.plain_labels: dict[str, str] = {}  # the labels as written, before ``name_group``

    def layout(self) -> list:
        """The crispy layout of the row's fields."""
        raise NotImplementedError

    def lean_html(self):
        """The row as the section page draws it: rows come many to a page (``forms.lean``)."""
        return row_html(self)

    def name_group(self, group: str) -> None:
        """Add the row's name to each field's label, for those who hear the fields one by one:
        a page of rows otherwise reads as the same few questions again and again."""
        for name, field in self.fields.items():
            if field.label and not isinstance(field.widget, forms.HiddenInput):
                self.plain_labels[name] = field.label
                field.label = SafeString(
                    f'{escaped(field.label)}<span class="govuk-visually-hidden"> ({escaped(group)})</span>'
                )


def yes_no_initial(form: forms.ModelForm, name: str) -> None:
    # Bound forms need it too: it is what a posted "yes" is compared with to see a change.
    value = getattr(form.instance, name)
    if value is not None:
        form.initial[name] = "yes" if value else "no"


class RowIdField(forms.ModelChoiceField):
    """The hidden id of a posted row: one of the formset's own rows, found among those it read.

    Django's id field accepts any row of the model and reads each from the database again.
    """

    widget = forms.HiddenInput

    def __init__(self, *, rows: dict, model: type, **kwargs):
        super().__init__(queryset=None, required=False, **kwargs)
        self.rows = rows
        self.model = model

    @property
    def choices(self):
        """A hidden id offers nothing to choose from (Django's would list every row stored)."""
        return []

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            row = self.rows.get(self.model._meta.pk.to_python(value))
        except ValidationError:
            row = None
        if row is None:
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
            )
        return row


class RowFormSet(BaseModelFormSet):
    """Rows of one assessment; ids of rows from elsewhere are refused by the id field.

    A stored row posted as the page showed it is not validated again: nothing of it is saved
    (Django treats a blank extra row so). A page of two dozen rows changes one or two at a save,
    and validating the rest was most of the save's time. A changed row, an id that is not the
    row's, or a row to remove counts as changed, and is validated."""

    def _construct_form(self, i, **kwargs):
        if self.is_bound and i < self.initial_form_count():
            kwargs.setdefault("empty_permitted", True)
        return super()._construct_form(i, **kwargs)

    def add_fields(self, form, index):
        # Django's model formset adds an id field that accepts any row of the model; this one
        # takes the formset's own rows. The rest (deletion) comes from the plain formset.
        BaseFormSet.add_fields(self, form, index)
        if not hasattr(self, "_rows_by_pk"):
            self._rows_by_pk = {row.pk: row for row in self.get_queryset()}
        form.fields[self.model._meta.pk.name] = RowIdField(
            rows=self._rows_by_pk,
            model=self.model,
            initial=None if form.instance._state.adding else form.instance.pk,
        )
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Remove this entry when I save"


def row_formset(form, *, can_delete: bool, fixed: bool):
    return modelformset_factory(
        form._meta.model,
        form=form,
        formset=RowFormSet,
        extra=0,
        can_delete=can_delete,
        max_num=MAX_ROWS,
        absolute_max=MAX_ROWS,
        validate_max=True,
        edit_only=fixed,
    )
