from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout
from django import forms
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.db import transaction
from django.utils.html import format_html, format_html_join

# Dates typed in one box, the way people in the UK write them.
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d", "%d %m %Y"]


class UKDateField(forms.DateField):
    """A date typed in one box as people in the UK write it, and shown back the same way."""

    def __init__(self, *, help_text="For example, 27/3/2027", **kwargs):
        kwargs.setdefault("widget", forms.DateInput(format="%d/%m/%Y"))
        super().__init__(input_formats=DATE_INPUT_FORMATS, help_text=help_text, **kwargs)


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


def _attributes(attrs: dict) -> str:
    """HTML attributes in the order given, as Django's widget templates write them."""
    parts = [
        format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value)
        for name, value in attrs.items()
        if value is not False
    ]
    return format_html_join("", "{}", ((part,) for part in parts))


class QuickSelect(forms.Select):
    """A select drawn in Python, not through a template for each option.

    The same HTML as Django's ``Select`` (tested side by side); filter lists of people run to
    dozens of options on pages read all day. Option groups are not supported.
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = []
        for group_name, group, _ in widget["optgroups"]:
            if group_name is not None:
                raise ValueError("QuickSelect draws no option groups.")
            options += [(option["value"], _attributes(option["attrs"]), option["label"]) for option in group]
        return format_html(
            '<select name="{}"{}>{}</select>',
            widget["name"],
            _attributes(widget["attrs"]),
            format_html_join("", '<option value="{}"{}>{}</option>', options),
        )


def style_filter_fields(form: forms.Form, input_class: str = "govuk-input") -> None:
    """GOV.UK classes on a filter form's fields, with its selects drawn by ``QuickSelect``."""
    for field in form.fields.values():
        if isinstance(field.widget, forms.Select) and not isinstance(field.widget, forms.SelectMultiple):
            field.widget = QuickSelect(attrs={**field.widget.attrs, "class": "govuk-select"})
            if isinstance(field, forms.ModelChoiceField):
                # One plain query: Django's choice iterator opens a server-side cursor on
                # PostgreSQL, three round trips for a short list.
                empty = [("", field.empty_label)] if field.empty_label is not None else []
                items = [(item.pk, field.label_from_instance(item)) for item in field.queryset]
                field.widget.choices = empty + items
            else:
                field.widget.choices = field.choices
        else:
            field.widget.attrs["class"] = input_class
