"""The forms of an assessment's evidence page: a link, and a file (checked by its content)."""

from crispy_forms_gds.layout import Field
from django import forms
from django.core.validators import URLValidator
from django.template.defaultfilters import filesizeformat

from assessments.models import SHORT_TEXT_MAX
from assessments.models.evidence import URL_MAX
from assessments.selectors import version_characteristics
from assessments.uploads import ACCEPT, ALLOWED_DESCRIPTION, CHOOSE_MESSAGE, inspect_upload, max_upload_bytes
from thrive_edi.forms import gds_helper

URL_MESSAGE = "Enter a web address in the correct format, like https://www.example.org/report"
WHOLE_ASSESSMENT = "The assessment as a whole"


class _GroupChoice(forms.Form):
    """Evidence supports the whole assessment or one group of the impact grid."""

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["characteristic"] = forms.ModelChoiceField(
            queryset=version_characteristics(version),
            required=False,
            empty_label=WHOLE_ASSESSMENT,
            label="Which group of the impact grid does it support?",
            error_messages={"invalid_choice": "Choose a group from the list"},
        )


class EvidenceLinkForm(_GroupChoice):
    title = forms.CharField(
        label="Title",
        max_length=SHORT_TEXT_MAX,
        error_messages={"required": "Enter the title of the evidence"},
    )
    url = forms.URLField(
        label="Web address",
        max_length=URL_MAX,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"], message=URL_MESSAGE)],
        error_messages={"required": "Enter the web address of the evidence", "invalid": URL_MESSAGE},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.text("title"), Field.text("url", field_width=None), Field("characteristic")
        )


class EvidenceFileForm(_GroupChoice):
    file = forms.FileField(label="File", error_messages={"required": CHOOSE_MESSAGE})
    title = forms.CharField(
        label="Title (optional)",
        required=False,
        max_length=SHORT_TEXT_MAX,
        help_text="If you leave it blank, the title is the name of the file.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[
            "file"
        ].help_text = f"It can be {ALLOWED_DESCRIPTION}, up to {filesizeformat(max_upload_bytes())}."
        self.fields["file"].widget.attrs["accept"] = ACCEPT
        self.helper = gds_helper(Field("file"), Field.text("title"), Field("characteristic"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        inspect_upload(upload)  # raises the message that says what is wrong with it
        return upload
