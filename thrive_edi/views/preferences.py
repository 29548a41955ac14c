"""A person's email settings: each notification as it happens, or one daily summary."""

from crispy_forms_gds.layout import Field, Size
from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from thrive_edi.forms import gds_helper
from thrive_edi.models import EmailFrequency, Preferences
from thrive_edi.preferences import preferences_of

SAVED_MESSAGE = "Your email settings have been saved."
CHOOSE_MESSAGE = "Choose how often you want emails about your work"


class EmailSettingsForm(forms.ModelForm):
    email_frequency = forms.ChoiceField(
        choices=EmailFrequency.choices,
        widget=forms.RadioSelect,
        label="How often do you want emails about your work?",
        help_text=(
            "Review comments sent to you, Advisory Board feedback on your assessments and "
            "responses to your feedback. Reminders of due reviews and actions, and security "
            "emails, are always sent at once."
        ),
        error_messages={"required": CHOOSE_MESSAGE, "invalid_choice": CHOOSE_MESSAGE},
    )

    class Meta:
        model = Preferences
        fields = ["email_frequency"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(Field.radios("email_frequency", legend_size=Size.LARGE, legend_tag="h1"))


@require_http_methods(["GET", "POST"])
def email_settings(request: HttpRequest) -> HttpResponse:
    preferences = preferences_of(request.user)
    form = EmailSettingsForm(request.POST if request.method == "POST" else None, instance=preferences)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, SAVED_MESSAGE)
        return redirect("email_settings")
    return render(request, "account/email_settings.html", {"form": form})
