"""The "none applies" choice of a kind of row, on its section page (``kinds.NoneAppliesChoice``)."""

from crispy_forms_gds.layout import Field, Size
from django import forms

from assessments.forms.common import textarea
from assessments.models import LONG_TEXT_MAX
from thrive_edi.forms import UKDateField, gds_helper


class NoneAppliesForm(forms.Form):
    applies = forms.BooleanField(required=False)
    reason = forms.CharField(
        required=False,
        max_length=LONG_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The approver and the Advisory Board read it with the assessment.",
    )

    def __init__(self, *args, choice, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applies"].label = choice.label
        self.fields["reason"].label = choice.reason_label
        layout = [Field.checkbox("applies", small=True), textarea("reason", rows=3)]
        if choice.asks_when:
            self.fields["expected_on"] = UKDateField(required=False, label=choice.when_label)
            layout.append(Field("expected_on", legend_size=Size.SMALL))
        self.helper = gds_helper(*layout)

    @staticmethod
    def initial_from(stored) -> dict:
        if stored is None:
            return {}
        return {"applies": True, "reason": stored.reason, "expected_on": stored.expected_on}
