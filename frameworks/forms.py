"""Admin forms for framework content: lists edited as one item per line, keys checked per version."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from frameworks.models import Principle, Question, ScaleOption, key_validator
from frameworks.scales import Requirement

DUPLICATE_QUESTION_KEY = "Another question of this framework version already has the key {key!r}."


class LinesField(forms.CharField):
    """A list of texts, edited as one item per line."""

    widget = forms.Textarea(attrs={"rows": 4})

    def __init__(self, *, item_validators=(), **kwargs):
        self.item_validators = list(item_validators)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(str(item) for item in value)
        return value

    def to_python(self, value) -> list[str]:
        if isinstance(value, list | tuple):
            return [str(item).strip() for item in value if str(item).strip()]
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]

    def validate(self, value) -> None:
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")
        for item in value:
            for validator in self.item_validators:
                try:
                    validator(item)
                except ValidationError as error:
                    raise ValidationError(
                        f"{item!r}: {' '.join(error.messages)}", code="invalid_item"
                    ) from None

    def has_changed(self, initial, data) -> bool:
        return self.to_python(initial) != self.to_python(data)


class PrincipleForm(forms.ModelForm):
    guiding_questions = LinesField(help_text="One question per line.")

    class Meta:
        model = Principle
        fields = ["version", "key", "name", "pillar", "levels", "summary", "guiding_questions", "order"]
        widgets = {"levels": forms.CheckboxSelectMultiple, "summary": forms.Textarea(attrs={"rows": 3})}

    def clean(self):
        cleaned = super().clean()
        version = cleaned.get("version") or getattr(self.instance, "version", None)
        wrong = [
            level.name for level in cleaned.get("levels") or [] if version and level.version_id != version.pk
        ]
        if wrong:
            self.add_error("levels", f"Choose levels of the same framework version (not {', '.join(wrong)}).")
        return cleaned


class QuestionForm(forms.ModelForm):
    options = LinesField(
        item_validators=[key_validator],
        help_text="For choice questions: one answer key per line, for example not_at_all.",
    )

    class Meta:
        model = Question
        fields = [
            "section",
            "key",
            "text",
            "help",
            "guidance",
            "type",
            "options",
            "options_from",
            "required",
            "order",
        ]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 2}),
            "help": forms.Textarea(attrs={"rows": 2}),
            "guidance": forms.Textarea(attrs={"rows": 2}),
        }

    def clean(self):
        cleaned = super().clean()
        section = cleaned.get("section") or getattr(self.instance, "section", None)
        key = cleaned.get("key")
        if section is not None:
            # The version is not on the form: take it from the section, and check the key's
            # uniqueness within the version here (the database would refuse it later).
            self.instance.version_id = section.version_id
            duplicates = Question.objects.filter(version_id=section.version_id, key=key).exclude(
                pk=self.instance.pk
            )
            if key and duplicates.exists():
                self.add_error("key", DUPLICATE_QUESTION_KEY.format(key=key))
        return cleaned


class QuestionInlineFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        seen: set[str] = set()
        for form in self.forms:
            if not form.has_changed() and not form.instance.pk:
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            key = form.cleaned_data.get("key")
            if key in seen:
                form.add_error("key", DUPLICATE_QUESTION_KEY.format(key=key))
            seen.add(key)


class ScaleOptionForm(forms.ModelForm):
    requires = forms.MultipleChoiceField(
        choices=Requirement.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="What an assessment must add when it chooses this option.",
    )

    class Meta:
        model = ScaleOption
        fields = ["version", "scale", "key", "label", "requires", "order"]


class FrameworkFileForm(forms.Form):
    """Upload of a framework file in admin: the same import as ``manage.py import_framework``."""

    MAX_SIZE = 1_000_000

    file = forms.FileField(label="Framework file (YAML)")
    label = forms.CharField(
        label="Version label",
        required=False,
        max_length=50,
        help_text="Leave empty to use the file's own (framework: version:). Labels are unique.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_SIZE:
            raise ValidationError(
                f"The file is too large: a framework file is at most {self.MAX_SIZE:,} bytes."
            )
        return upload
