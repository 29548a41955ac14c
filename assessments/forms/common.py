"""Pieces shared by the assessment forms."""

from crispy_forms_gds.layout import Field
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from assessments.models import (
    LONG_TEXT_MAX,
)
from thrive_edi.people import person_name
from thrive_edi.roles import ROLE_DEFINITIONS, Role

YES_NO_CHOICES = [("yes", "Yes"), ("no", "No")]
MAX_ROWS = 100


def limit_hint(limit: int) -> str:
    return f"You can enter up to {limit:,} characters."


def people_who_assess():
    """Active users who may own or collaborate on an assessment (staff and approvers)."""
    groups = [ROLE_DEFINITIONS[Role.STAFF].group_name, ROLE_DEFINITIONS[Role.APPROVER].group_name]
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=groups)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user) -> str:
        return person_name(user)


def textarea(name: str, limit: int = LONG_TEXT_MAX, rows: int = 4) -> Field:
    return Field.textarea(name, rows=rows, max_characters=limit)


class SharedChoices:
    """A choice list read once for a whole formset, instead of once for every row."""

    def __init__(self, queryset, label=str):
        self.queryset = queryset
        self.objects = {str(item.pk): item for item in queryset}
        self.choices = [(item.pk, label(item)) for item in self.objects.values()]


def use_shared_choices(field: forms.ModelChoiceField, shared: SharedChoices) -> None:
    """Render ``field`` from ``shared`` and check posted ids against it, with no query per row."""
    field.queryset = shared.queryset
    single = not isinstance(field, forms.ModelMultipleChoiceField)
    empty = [("", field.empty_label)] if single and field.empty_label else []
    field.choices = empty + shared.choices
    field.shared = shared


class SharedModelChoiceField(forms.ModelChoiceField):
    shared: SharedChoices | None = None

    def to_python(self, value):
        if self.shared is None:
            return super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            return self.shared.objects[str(value)]
        except KeyError:
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
            ) from None


class SharedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    shared: SharedChoices | None = None

    def _check_values(self, value):
        if self.shared is None:
            return super()._check_values(value)
        chosen = []
        for item in value:
            if str(item) not in self.shared.objects:
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": item}
                )
            chosen.append(self.shared.objects[str(item)])
        return chosen
