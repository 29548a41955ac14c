"""Pieces shared by the assessment forms."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout
from django import forms
from django.contrib.auth import get_user_model

from assessments.models import (
    LONG_TEXT_MAX,
)
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


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user) -> str:
        return user.get_full_name() or user.get_username()


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user) -> str:
        return user.get_full_name() or user.get_username()


def gds_helper(*layout) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*layout)
    return helper


def textarea(name: str, limit: int = LONG_TEXT_MAX, rows: int = 4) -> Field:
    return Field.textarea(name, rows=rows, max_characters=limit)
