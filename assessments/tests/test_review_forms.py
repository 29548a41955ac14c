"""The declaration and reason forms every sign-off and return uses, each in its record's words."""

from assessments import lifecycle
from assessments.forms import CHANGES_LABEL, SIGN_OFF_DECLARATION, DeclarationForm, ReasonForm
from assessments.models import COMMENT_MAX
from outcomes import forms as outcome_forms
from outcomes import services as outcome_services


def test_a_declaration_shows_its_records_wording_and_its_own_message_when_not_ticked():
    assessment = DeclarationForm(
        {}, label=SIGN_OFF_DECLARATION, message=lifecycle.DECLARATION_REQUIRED_MESSAGE
    )
    outcome = outcome_forms.sign_off_form({})

    assert not assessment.is_valid() and not outcome.is_valid()
    assert assessment.errors["declaration"] == [lifecycle.DECLARATION_REQUIRED_MESSAGE]
    assert outcome.errors["declaration"] == [outcome_services.DECLARATION_MESSAGE]
    assert assessment["declaration"].label == SIGN_OFF_DECLARATION
    assert outcome["declaration"].label == outcome_forms.SIGN_OFF_DECLARATION


def test_a_ticked_declaration_is_valid():
    assert outcome_forms.sign_off_form({"declaration": "on"}).is_valid()


def test_a_reason_is_required_with_its_records_message_and_keeps_its_limit():
    changes = ReasonForm({"reason": ""}, label=CHANGES_LABEL, message=lifecycle.REASON_REQUIRED_MESSAGE)
    returned = outcome_forms.return_form({"reason": "x" * (COMMENT_MAX + 1)})

    assert changes.errors["reason"] == [lifecycle.REASON_REQUIRED_MESSAGE]
    assert not returned.is_valid()
    assert "reason" in returned.errors
    assert outcome_forms.return_form({"reason": "Add the survey's figures."}).is_valid()
    assert CHANGES_LABEL in str(changes["reason"].label_tag())


def test_one_forms_wording_does_not_leak_into_another():
    first = ReasonForm(label="Why?", message="Say why")
    second = ReasonForm(label="What?", message="Say what")
    assert first.fields["reason"].label == "Why?"
    assert second.fields["reason"].error_messages["required"] == "Say what"
    assert ReasonForm.base_fields["reason"].error_messages["required"] != "Say what"
