import time

from crispy_forms_gds.layout import Field, Size
from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from publication import pictograms, services
from publication.models import (
    EASY_READ_TEXT_MAX,
    FEEDBACK_TEXT_MAX,
    NAME_MAX,
    PUBLIC_SUMMARY_FIELDS,
    REASON_MAX,
    Feedback,
    Publication,
    PublicSummary,
)
from thrive_edi.forms import gds_helper

EASY_READ_POINTS = 10
SUMMARY_HINTS = {
    "activity": "In plain English, as you would tell a neighbour. No jargon or abbreviations.",
    "reach": "The people and places it is for, and roughly how many.",
    "positive_findings": "Name the groups, as the impact grid does.",
    "negative_findings": "Name the groups, and say how sure you are.",
    "what_we_will_do": "The actions, with their dates, are added from the action plan, without staff names.",
    "involvement": "Who took part, how, and what changed because of it.",
}

HONEYPOT_FIELD = "website"
STARTED_FIELD = "started"
STARTED_SALT = "publication.feedback.started"
# Londoners take longer than this to read a summary and write something; scripts do not.
FEEDBACK_MIN_SECONDS = 3
FEEDBACK_MAX_AGE = 24 * 60 * 60

TOO_QUICK_MESSAGE = _("That was sent very quickly. Check what you wrote, then send it again.")
HONEYPOT_MESSAGE = _("Your feedback could not be sent. Leave the last box empty and send it again.")
RATE_LIMITED_MESSAGE = _(
    "A lot of feedback has been sent from your connection recently. "
    "Keep what you wrote, and send it again in an hour."
)
TEXT_REQUIRED_MESSAGE = _("Enter what you think")


class SummaryForm(forms.ModelForm):
    class Meta:
        model = PublicSummary
        fields = PUBLIC_SUMMARY_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in PUBLIC_SUMMARY_FIELDS:
            self.fields[name].help_text = SUMMARY_HINTS[name]
            self.fields[name].error_messages["required"] = (
                f"Enter {self.fields[name].label[0].lower()}{self.fields[name].label[1:]}"
            )
        self.helper = gds_helper(
            *(Field.textarea(name, rows=4, label_size=Size.SMALL) for name in PUBLIC_SUMMARY_FIELDS)
        )


class EasyReadForm(forms.Form):
    """Up to ten points: a short sentence and a picture each."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        picture_choices = [("", "Choose a picture"), *pictograms.choices()]
        for number in range(1, EASY_READ_POINTS + 1):
            self.fields[f"text_{number}"] = forms.CharField(
                label=f"Point {number}", required=False, max_length=EASY_READ_TEXT_MAX
            )
            self.fields[f"picture_{number}"] = forms.ChoiceField(
                label=f"Picture for point {number}", required=False, choices=picture_choices
            )

    def clean(self):
        cleaned = super().clean()
        for number in range(1, EASY_READ_POINTS + 1):
            if cleaned.get(f"text_{number}", "").strip() and not cleaned.get(f"picture_{number}"):
                self.add_error(f"picture_{number}", f"Choose a picture for point {number}")
        return cleaned

    def points(self) -> list[tuple[str, str]]:
        return [
            (self.cleaned_data[f"text_{n}"], self.cleaned_data[f"picture_{n}"])
            for n in range(1, EASY_READ_POINTS + 1)
        ]

    def text(self) -> str:
        source = self.data if self.is_bound else self.initial
        return "\n".join(
            source.get(f"text_{n}", "") for n in range(1, EASY_READ_POINTS + 1) if source.get(f"text_{n}", "")
        )

    def rows(self):
        return [(self[f"text_{n}"], self[f"picture_{n}"]) for n in range(1, EASY_READ_POINTS + 1)]


# What the decisions publish of a "no assessment needed" decision, which has no public summary.
NO_ASSESSMENT_DECISION_LABELS = {
    Publication.Decision.SUMMARY: "Publish the decision and why no assessment is needed",
    Publication.Decision.SUMMARY_AND_PDF: (
        "Publish the decision, why no assessment is needed and the signed screening (PDF)"
    ),
    Publication.Decision.NOT_PUBLISHED: Publication.Decision.NOT_PUBLISHED.label,
}


class DecisionForm(forms.Form):
    """What is published. Of a "no assessment needed" decision (``justification`` given), the
    register shows the justification in place of a public summary."""

    decision = forms.ChoiceField(
        label="What is published on the public register",
        choices=Publication.Decision.choices,
        widget=forms.RadioSelect,
        initial=Publication.Decision.SUMMARY,
        help_text="The full PDF names the staff who wrote and signed off the assessment.",
    )
    reason = forms.CharField(
        label="Why it is not published",
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea,
        help_text="Shown on the register with the title and date, as councils do for exempt items.",
    )

    def __init__(self, *args, justification: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.justification = justification
        if justification:
            self.fields["decision"].choices = list(NO_ASSESSMENT_DECISION_LABELS.items())
        self.helper = gds_helper(
            Field.radios("decision", legend_size=Size.MEDIUM), Field.textarea("reason", rows=3)
        )


class SignOffDecisionForm(DecisionForm):
    """The publication decision, made with the sign-off: the approver checks the public summary
    (or why no assessment is needed) and says what the register shows
    (``assessments.signals.sign_off_forms_requested``)."""

    prefix = "publication"
    template_name = "publication/_sign_off_decision.html"

    def __init__(self, *args, summary: PublicSummary | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.summary = summary
        if summary is None and not self.justification:
            self.initial.setdefault("decision", Publication.Decision.NOT_PUBLISHED)

    def clean(self):
        cleaned = super().clean()
        decision = cleaned.get("decision")
        publishable = self.summary is not None or bool(self.justification)
        if decision in Publication.PUBLISHING_DECISIONS and not publishable:
            self.add_error("decision", services.NO_SUMMARY_MESSAGE)
        elif decision == Publication.Decision.NOT_PUBLISHED and not cleaned.get("reason", "").strip():
            self.add_error("reason", services.REASON_REQUIRED_MESSAGE)
        return cleaned

    def apply(self, *, assessment, user) -> None:
        services.publication_decide(
            assessment=assessment,
            user=user,
            decision=self.cleaned_data["decision"],
            reason=self.cleaned_data["reason"],
        )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Why it is withdrawn from the register",
        max_length=REASON_MAX,
        widget=forms.Textarea,
        help_text="Shown on its page on the register.",
        error_messages={"required": "Say why it is withdrawn from the register"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(Field.textarea("reason", rows=3))


def started_token() -> str:
    return signing.dumps(time.time(), salt=STARTED_SALT)


def seconds_since_started(token: str) -> float | None:
    try:
        started = signing.loads(token, salt=STARTED_SALT, max_age=FEEDBACK_MAX_AGE)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    return time.time() - float(started)


class FeedbackForm(forms.Form):
    text = forms.CharField(
        label=_("What do you think?"),
        max_length=FEEDBACK_TEXT_MAX,
        widget=forms.Textarea,
        help_text=_(
            "Do not include details about your health or other people. It is checked before it is shown."
        ),
        error_messages={"required": TEXT_REQUIRED_MESSAGE},
    )
    name = forms.CharField(label=_("Your name (optional)"), required=False, max_length=NAME_MAX)
    email = forms.EmailField(
        label=_("Your email address (optional)"),
        required=False,
        help_text=_(
            "Only to tell you when we answer. It is never shown, "
            "and is deleted after the period in our privacy notice."
        ),
        error_messages={"invalid": _("Enter an email address like name@example.com")},
    )
    # Left empty by people: the box is hidden from them (and from screen readers) by the style sheet.
    website = forms.CharField(label=_("Leave this empty"), required=False)
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs.update({"autocomplete": "email", "spellcheck": "false"})
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        self.helper = gds_helper(
            Field.textarea("text", rows=6, max_characters=FEEDBACK_TEXT_MAX),
            Field.text("name", field_width=20),
            Field.text("email", field_width=20),
        )

    def restart(self) -> None:
        """A fresh time check for the next press, keeping everything else typed."""
        data = self.data.copy()
        data[STARTED_FIELD] = started_token()
        self.data = data


class ModerationForm(forms.Form):
    status = forms.ChoiceField(
        label="Show it on the register?",
        choices=[
            (Feedback.Status.APPROVED, "Yes, show it"),
            (Feedback.Status.REJECTED, "No, do not show it"),
            (Feedback.Status.PENDING, "Decide later"),
        ],
        widget=forms.RadioSelect,
    )
    answer = forms.CharField(
        label="Your answer: what we did",
        required=False,
        max_length=FEEDBACK_TEXT_MAX,
        widget=forms.Textarea,
        help_text="Shown under the feedback as “You said, we did”. Whoever left an email address is told.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(Field.radios("status", inline=True), Field.textarea("answer", rows=3))
