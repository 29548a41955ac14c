"""Forms of the outcome review: the date at the assessment's sign-off and the review itself. Its
sign-off and return use the declaration and reason forms of ``assessments.forms``, in its words."""

from crispy_forms_gds.layout import HTML, Field, Size
from django import forms
from django.utils import timezone
from django.utils.html import format_html

from assessments.forms.common import limit_hint, textarea
from assessments.forms.review import DeclarationForm, ReasonForm
from assessments.models.assessment import LONG_TEXT_MAX
from outcomes import services
from outcomes.models import ActionOutcome, Done, ImpactOutcome, Result, Worked
from thrive_edi.forms import UKDateField, gds_helper

DUE_ON_LABEL = "When can the outcomes be reviewed?"
DUE_ON_HINT = (
    "The owner is asked then what actually happened. Left blank, it is the assessment's review date. "
    "For example, 27 3 2027"
)
DUE_IN_THE_PAST_MESSAGE = "The date the outcomes can be reviewed must be today or in the future"
# The wording of the outcome review's sign-off and return, on the forms of ``assessments.forms``.
SIGN_OFF_DECLARATION = (
    "I have read this outcome review in full, and I sign it off as the record of what happened "
    "after the assessment."
)
RETURN_LABEL = "What needs to change?"


class DueOnField(UKDateField):
    def validate(self, value):
        super().validate(value)
        if value and value < timezone.localdate():
            raise forms.ValidationError(DUE_IN_THE_PAST_MESSAGE)


class OutcomeDueForm(forms.Form):
    """On the sign-off page (``assessments.signals.sign_off_forms_requested``): when the owner is
    asked what actually happened. Left blank, the assessment's review date."""

    prefix = "outcomes"
    template_name = "outcomes/_sign_off_due.html"

    due_on = DueOnField(label=DUE_ON_LABEL, help_text=DUE_ON_HINT, required=False)

    def __init__(self, *args, default, **kwargs):
        super().__init__(*args, **kwargs)
        self.default = default
        self.initial.setdefault("due_on", default)
        self.helper = gds_helper(Field("due_on"))

    def apply(self, *, assessment, user) -> None:
        services.outcome_review_schedule(
            assessment=assessment, due_on=self.cleaned_data["due_on"] or self.default, user=user
        )


def _radios(choices) -> forms.ChoiceField:
    return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, required=False)


def _text(label: str, hint: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=LONG_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=" ".join(filter(None, [hint, limit_hint(LONG_TEXT_MAX)])),
        strip=False,
    )


class OutcomeReviewForm(forms.Form):
    """Every answer of the review; nothing is required to save, the service says what is missing
    before it can be sent for sign-off."""

    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    challenges = _text("Which challenges did you meet?")
    sustainability = _text(
        "How will the work be sustained?", "Funding, ownership and what continues after it ends."
    )
    voices = _text("What did the people involved say?", "Participants, community partners and staff.")

    def __init__(self, *args, impacts: list[ImpactOutcome], actions: list[ActionOutcome], **kwargs):
        super().__init__(*args, **kwargs)
        layout = [Field("revision")]
        if impacts:
            layout.append(HTML('<h2 class="govuk-heading-l">Predicted impacts</h2>'))
        for row in impacts:
            result, evidence = f"impact_{row.pk}_result", f"impact_{row.pk}_evidence"
            self.fields[result] = _radios(Result.choices)
            self.fields[result].label = f"What happened for {row.characteristic_name}?"
            self.fields[result].help_text = f"The assessment predicted: {row.predicted_label.lower()} impact."
            self.fields[evidence] = _text(f"Evidence for {row.characteristic_name}", "What shows it.")
            self.initial.setdefault(result, row.result)
            self.initial.setdefault(evidence, row.evidence)
            layout += [Field.radios(result, legend_size=Size.MEDIUM, small=True), textarea(evidence)]
        if actions:
            layout.append(HTML('<h2 class="govuk-heading-l">Actions</h2>'))
        for row in actions:
            text = row.action.action or row.action.issue
            done, worked, note = (f"action_{row.pk}_{part}" for part in ("done", "worked", "note"))
            layout.append(HTML(format_html('<h3 class="govuk-heading-m">{}</h3>', text)))
            self.fields[done] = _radios(Done.choices)
            self.fields[done].label = f"Was “{text[:80]}” done?"
            self.fields[worked] = _radios(Worked.choices)
            self.fields[worked].label = f"Did “{text[:80]}” work?"
            self.fields[note] = _text(
                f"Notes on “{text[:80]}”", "What was done, and how you know whether it worked."
            )
            for name, value in ((done, row.done), (worked, row.worked), (note, row.note)):
                self.initial.setdefault(name, value)
            layout += [
                Field.radios(done, legend_size=Size.SMALL, inline=True, small=True),
                Field.radios(worked, legend_size=Size.SMALL, inline=True, small=True),
                textarea(note),
            ]
        layout += [
            HTML('<h2 class="govuk-heading-l">The work as a whole</h2>'),
            textarea("challenges"),
            textarea("sustainability"),
            textarea("voices"),
        ]
        self.helper = gds_helper(*layout)


def sign_off_form(data=None) -> DeclarationForm:
    return DeclarationForm(data, label=SIGN_OFF_DECLARATION, message=services.DECLARATION_MESSAGE)


def return_form(data=None) -> ReasonForm:
    return ReasonForm(
        data, label=RETURN_LABEL, message=services.RETURN_REASON_MESSAGE, rows=4, label_size=Size.SMALL
    )
