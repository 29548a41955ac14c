"""The details of an assessment: title, activity, where it takes place, people and partners."""

from crispy_forms_gds.layout import Field, Size
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from assessments import places
from assessments.forms.common import (
    PeopleChoiceField,
    limit_hint,
    people_who_assess,
    textarea,
)
from assessments.models import (
    PARTNER_NAME_MAX,
    SUMMARY_MAX,
    TITLE_MAX,
    Partner,
)
from frameworks.models import FrameworkVersion
from frameworks.scales import Scale
from places.london import LONDON_WIDE
from thrive_edi.forms import gds_helper


class AssessmentDetailsForm(forms.Form):
    title = forms.CharField(max_length=TITLE_MAX, help_text=limit_hint(TITLE_MAX))
    activity_type = forms.ChoiceField(label="What kind of activity is it?")
    summary = forms.CharField(
        widget=forms.Textarea,
        max_length=SUMMARY_MAX,
        required=False,
        label="Summary",
        help_text="A few sentences on what the activity is and who it is for.",
    )
    where = forms.MultipleChoiceField(
        label="Where does the activity take place?",
        help_text="Select London-wide, or each local authority where the activity takes place.",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": places.REQUIRED_MESSAGE},
    )
    collaborators = PeopleChoiceField(
        queryset=get_user_model().objects.none(),
        required=False,
        label="Collaborators",
        help_text="Colleagues who may edit this assessment with you.",
    )
    partners = forms.ModelMultipleChoiceField(
        queryset=Partner.objects.all(),
        required=False,
        label="Partner organisations",
    )
    new_partners = forms.CharField(
        widget=forms.Textarea,
        required=False,
        max_length=5_000,
        label="Other partner organisations",
        help_text="Partners not in the list above, one per line.",
    )

    def __init__(self, *args, version: FrameworkVersion, owner, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].label = "Title of the activity"
        self.fields["activity_type"].choices = version.choices(Scale.ACTIVITY_TYPE)
        self.fields["activity_type"].widget = forms.RadioSelect(choices=self.fields["activity_type"].choices)
        self.place_groups = places.place_groups()
        self.authorities = {a.gss_code: a for group in self.place_groups for a in group.authorities}
        # Numbered as crispy-forms-gds numbers checkboxes: London-wide is id_where_1.
        numbers = iter(range(2, len(self.authorities) + 2))
        self.where_groups = [
            (group.name, [(next(numbers), a.gss_code, a.name) for a in group.authorities])
            for group in self.place_groups
        ]
        self.fields["where"].choices = [
            (LONDON_WIDE, places.LONDON_WIDE_LABEL),
            *[(code, authority.name) for code, authority in self.authorities.items()],
        ]
        self.fields["collaborators"].queryset = people_who_assess().exclude(pk=owner.pk)
        self.fields["collaborators"].widget = forms.CheckboxSelectMultiple()
        self.fields["partners"].widget = forms.CheckboxSelectMultiple()
        self.helper = gds_helper(
            Field.text("title"),
            Field.radios("activity_type", legend_size=Size.SMALL, small=True),
            textarea("summary", SUMMARY_MAX),
            Field("where", template="assessments/parts/where_field.html"),
            Field.checkboxes("collaborators", legend_size=Size.SMALL, small=True),
            Field.checkboxes("partners", legend_size=Size.SMALL, small=True),
            textarea("new_partners", 5_000, rows=3),
        )

    def clean_title(self) -> str:
        # One line: titles go into email subjects and PDF headers.
        return " ".join(self.cleaned_data["title"].split())

    def clean_where(self) -> list[str]:
        chosen = self.cleaned_data["where"]
        if LONDON_WIDE in chosen and len(chosen) > 1:
            raise ValidationError(places.BOTH_MESSAGE)
        return chosen

    @property
    def london_wide(self) -> bool:
        return LONDON_WIDE in self.cleaned_data["where"]

    @property
    def local_authorities(self) -> list:
        return [self.authorities[code] for code in self.cleaned_data["where"] if code != LONDON_WIDE]

    @property
    def details(self) -> dict:
        """The details as ``services.assessment_create`` and ``assessment_update_details`` take them."""
        data = self.cleaned_data
        return {
            "title": data["title"],
            "activity_type": data["activity_type"],
            "summary": data["summary"],
            "collaborators": data["collaborators"],
            "partners": data["partners"],
            "new_partner_names": data["new_partners"],
            "london_wide": self.london_wide,
            "local_authorities": self.local_authorities,
        }

    def clean_new_partners(self) -> list[str]:
        names = [" ".join(line.split()) for line in self.cleaned_data["new_partners"].splitlines()]
        names = [name for name in names if name]
        too_long = [name for name in names if len(name) > PARTNER_NAME_MAX]
        if too_long:
            raise ValidationError(f"A partner's name can be up to {PARTNER_NAME_MAX} characters long.")
        return names
