from datetime import date
from html import escape

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout
from crispy_forms_gds.widgets import DateInputWidget
from django import forms
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.safestring import SafeString

# Dates typed in one box, the way people in the UK write them: the filters' single box.
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d %m %Y", "%d.%m.%Y", "%Y-%m-%d"]
FILTER_DATE_HINT = "For example, 27/3/2027"

# Every other date is the GOV.UK date input: three boxes, this hint, these messages.
DATE_HINT = "For example, 27 3 2027"
REAL_DATE_MESSAGE = "Enter a real date"
YEAR_DIGITS_MESSAGE = "The year must include 4 numbers"
DATE_PART_MESSAGE = "The date must include a {part}"


class UKDateWidget(DateInputWidget):
    """Day, month and year boxes (the GOV.UK date input), numeric keyboards on phones."""

    template_name = "thrive_edi/widgets/uk_date.html"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs)
        for widget in self.widgets:
            widget.attrs.pop("label", None)  # the template names the boxes
            widget.attrs.update({"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"})


class UKDateField(DateInputField):
    """A date typed into the GOV.UK date input, read as a ``date``.

    Drawn by crispy-forms-gds as a fieldset with the label as its legend, the hint and the
    messages beside the boxes; a box that is missing or wrong is marked, or all three when
    the date as a whole is not real.
    """

    widget = UKDateWidget

    def __init__(self, *, label="Date", help_text=DATE_HINT, **kwargs):
        kwargs.setdefault("require_all_fields", False)
        super().__init__(label=label, help_text=help_text, **kwargs)
        wanted = f"Enter the {label[:1].lower()}{label[1:]}"
        self.error_messages.update({"required": wanted, "incomplete": wanted, "invalid": REAL_DATE_MESSAGE})
        for part, subfield in zip(("day", "month", "year"), self.fields, strict=True):
            subfield.error_messages["incomplete"] = DATE_PART_MESSAGE.format(part=part)
            subfield.error_messages["required"] = DATE_PART_MESSAGE.format(part=part)
            for validator in subfield.validators:
                validator.message = REAL_DATE_MESSAGE

    def clean(self, value):
        if isinstance(value, list | tuple):
            value = [part.strip() if isinstance(part, str) else part for part in value]
        return super().clean(value)

    def compress(self, data_list):
        day, month, year = data_list
        if not (day and month and year):
            return None
        if len(year) > 4:
            raise ValidationError(REAL_DATE_MESSAGE, code="invalid")
        if len(year) != 4:
            raise ValidationError(YEAR_DIGITS_MESSAGE, code="invalid")
        try:
            return date(int(year), int(month), int(day))
        except (ValueError, OverflowError):
            raise ValidationError(REAL_DATE_MESSAGE, code="invalid") from None


def field_anchor(bound_field: forms.BoundField) -> str:
    """The id an error summary links to for a field: the element a user types into first.

    A date's day box; the first of a list of radios or checkboxes (numbered from 1, as
    crispy-forms-gds and ``assessments.forms.lean`` number them); otherwise the field itself.
    """
    widget = bound_field.field.widget
    if isinstance(widget, forms.MultiWidget):
        return f"{bound_field.auto_id}_0"
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return f"id_{bound_field.html_name}_1"
    return bound_field.auto_id


def form_errors(form: forms.BaseForm) -> list[tuple[str, str]]:
    """(id to link to, message) of each error of a bound form, in the order of its fields."""
    errors = []
    first = next(iter(form), None)
    for message in form.non_field_errors():
        errors.append((field_anchor(first) if first is not None else "", message))
    for bound_field in form:
        errors += [(field_anchor(bound_field), message) for message in bound_field.errors]
    return errors


def gds_helper(*layout) -> FormHelper:
    """A crispy-forms-gds helper for fields inside a form tag the template writes itself."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*layout)
    return helper


class SignInForm(AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Username"
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "spellcheck": "false"})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})
        self.helper = gds_helper(
            Field.text("username", field_width=20),
            Field.text("password", field_width=20),
            Button("submit", "Sign in"),
        )


class ResetRequestForm(PasswordResetForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "Email address"
        self.fields["email"].help_text = "We will send a link to reset your password to this address."
        self.helper = gds_helper(
            Field.text("email", field_width=30),
            Button("submit", "Send the link"),
        )

    def save(self, **kwargs) -> None:
        """Queue the email: the answer takes as long whether or not the address is known."""
        from thrive_edi.tasks import send_password_reset_link

        email = self.cleaned_data["email"]
        transaction.on_commit(lambda: send_password_reset_link.enqueue(email=email))

    def send_links(self, *, domain: str, use_https: bool) -> None:
        """Email the reset link now (Django's own ``save``), from the background task."""
        super().save(domain_override=domain, use_https=use_https)


class NewPasswordForm(SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = (
            "At least 12 characters. Long passphrases are welcome. Avoid common passwords, your "
            "name, the service's name and runs like “aaaa” or “1234”."
        )
        self.fields["new_password1"].widget.attrs.update({"autocomplete": "new-password"})
        self.fields["new_password2"].widget.attrs.update({"autocomplete": "new-password"})
        self.helper = gds_helper(
            Field.text("new_password1", field_width=20),
            Field.text("new_password2", field_width=20),
            Button("submit", "Set password"),
        )


def escaped(value) -> str:
    """``conditional_escape``: HTML marked safe as it is, anything else escaped (without the
    check for lazy arguments that Django's helpers make at every call: pages that draw hundreds
    of options and fields spent most of their time there)."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return escape(str(value))


def _attributes(attrs: dict) -> str:
    """HTML attributes in the order given, as Django's widget templates write them."""
    return "".join(
        f" {name}" if value is True else f' {name}="{escaped(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class QuickSelect(forms.Select):
    """A select drawn in Python, not through a template for each option.

    The same HTML as Django's ``Select`` (tested side by side); filter lists of people run to
    dozens of options on pages read all day. Option groups are drawn as ``<optgroup>``. The
    options are read as ``ChoiceWidget.optgroups`` reads them: the first chosen value is
    selected (all of them in a multiple select).
    """

    def render(self, name, value, attrs=None, renderer=None):
        chosen = {str(item) for item in self.format_value(value)}
        selected_one = False

        def option(option_value, label) -> str:
            nonlocal selected_one
            selected = (not selected_one or self.allow_multiple_selected) and str(option_value) in chosen
            selected_one |= selected
            mark = " selected" if selected else ""
            return f'<option value="{escaped(option_value)}"{mark}>{escaped(label)}</option>'

        parts = []
        for option_value, label in self.choices:
            if option_value is None:
                option_value = ""
            if isinstance(label, list | tuple):
                options = "".join(option(value, text) for value, text in label)
                parts.append(f'<optgroup label="{escaped(option_value)}">{options}</optgroup>')
            else:
                parts.append(option(option_value, label))
        select_attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            select_attrs["multiple"] = True
        return SafeString(
            f'<select name="{escaped(name)}"{_attributes(select_attrs)}>{"".join(parts)}</select>'
        )


def style_filter_fields(
    form: forms.Form, input_class: str = "govuk-input", options: dict[str, list] | None = None
) -> None:
    """GOV.UK classes on a filter form's fields, with its selects drawn by ``QuickSelect``.

    ``options``: a model choice field's (pk, label) options where the caller has them already
    (kept, say); the field's query set still checks what is chosen."""
    options = options or {}
    for name, field in form.fields.items():
        if isinstance(field.widget, forms.Select) and not isinstance(field.widget, forms.SelectMultiple):
            field.widget = QuickSelect(attrs={**field.widget.attrs, "class": "govuk-select"})
            if isinstance(field, forms.ModelChoiceField):
                # One plain query: Django's choice iterator opens a server-side cursor on
                # PostgreSQL, three round trips for a short list.
                empty = [("", field.empty_label)] if field.empty_label is not None else []
                items = options.get(name)
                if items is None:
                    items = [(item.pk, field.label_from_instance(item)) for item in field.queryset]
                field.widget.choices = empty + list(items)
            else:
                field.widget.choices = field.choices
        else:
            field.widget.attrs["class"] = input_class
