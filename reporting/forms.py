from crispy_forms_gds.layout import Field, Size
from django import forms
from django.core.exceptions import ValidationError

from reporting.filters import signed_off_assessments
from reporting.models import FEEDBACK_MAX, BoardFeedback
from thrive_edi.forms import UKDateField, gds_helper

VERIFY_MAX_BYTES = 20 * 1024 * 1024
PDF_MAGIC = b"%PDF-"
NOT_A_PDF_MESSAGE = "The file is not a PDF. Choose the PDF of a signed-off assessment."
TOO_BIG_MESSAGE = (
    "The file is larger than 20 MB. A Thrive EDI PDF is much smaller: check you chose the right file."
)
NOTHING_MESSAGE = "Choose a PDF file or enter a fingerprint"
BAD_FINGERPRINT_MESSAGE = "A fingerprint is 64 characters: the digits 0 to 9 and the letters a to f"


class VerifyForm(forms.Form):
    document = forms.FileField(
        required=False,
        label="Upload the PDF",
        help_text="The PDF file, up to 20 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )
    fingerprint = forms.CharField(
        required=False,
        max_length=200,
        label="Or enter the fingerprint",
        help_text="The 64-character SHA-256 fingerprint printed on the PDF's cover.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fingerprint"].widget.attrs.update({"spellcheck": "false", "autocomplete": "off"})
        self.helper = gds_helper(Field("document"), Field.text("fingerprint", field_width=30))

    @staticmethod
    def request_too_big(request) -> bool:
        """Judge an upload by its declared length before reading it."""
        try:
            return int(request.META.get("CONTENT_LENGTH") or 0) > VERIFY_MAX_BYTES + 64 * 1024
        except ValueError:
            return True

    def add_too_big_error(self) -> None:
        self.is_bound = True
        self._errors = forms.utils.ErrorDict()
        self.cleaned_data = {}
        self.add_error("document", TOO_BIG_MESSAGE)

    def clean_document(self):
        upload = self.cleaned_data.get("document")
        if not upload:
            return None
        if upload.size > VERIFY_MAX_BYTES:
            raise ValidationError(TOO_BIG_MESSAGE)
        head = upload.read(len(PDF_MAGIC))
        upload.seek(0)
        if head != PDF_MAGIC:
            raise ValidationError(NOT_A_PDF_MESSAGE)
        return upload

    def clean_fingerprint(self) -> str:
        value = "".join(self.cleaned_data.get("fingerprint", "").split()).lower()
        if value and (len(value) != 64 or any(c not in "0123456789abcdef" for c in value)):
            raise ValidationError(BAD_FINGERPRINT_MESSAGE)
        return value

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("document") and not cleaned.get("fingerprint"):
            raise ValidationError(NOTHING_MESSAGE)
        return cleaned


class BoardPackForm(forms.Form):
    title = forms.CharField(max_length=200, label="Title of the pack", initial="Advisory Board meeting")
    # Ticked in the table of assessments, outside the crispy layout.
    assessments = forms.ModelMultipleChoiceField(
        queryset=signed_off_assessments(),
        label="Assessments",
        error_messages={
            "required": "Tick at least one assessment for the pack",
            "invalid_choice": "Tick only signed-off assessments",
            "invalid_pk_value": "Tick only signed-off assessments",
        },
    )
    meeting_date = UKDateField(label="Meeting date")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.text("title", field_width=30), Field("meeting_date", legend_size=Size.SMALL)
        )


class FeedbackForm(forms.Form):
    kind = forms.ChoiceField(choices=BoardFeedback.Kind.choices, widget=forms.RadioSelect, label="Type")
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=FEEDBACK_MAX,
        label="The board's feedback",
        help_text=f"You can enter up to {FEEDBACK_MAX:,} characters.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.radios("kind", legend_size=Size.SMALL, inline=True),
            Field.textarea("text", rows=4, label_size=Size.SMALL),
        )


class FeedbackResponseForm(forms.Form):
    response = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=FEEDBACK_MAX,
        label="You said, we did",
    )
