"""Forms of the section pages: the narrative questions. The rows of the structured parts are
in ``assessments.forms.grid`` and ``assessments.forms.entries``.

Section forms accept partial answers: every field is optional at this level, so whatever is
valid is saved; completeness is checked by ``assessments.rules`` and shown as errors.
"""

from crispy_forms_gds.layout import Field, Size
from django import forms

from assessments.forms.common import YES_NO_CHOICES
from assessments.models import LONG_TEXT_MAX, SHORT_TEXT_MAX
from frameworks.models import FrameworkVersion, Question
from frameworks.scales import Scale
from thrive_edi.forms import DATE_HINT, UKDateField, gds_helper


class QuestionsForm(forms.Form):
    """The narrative questions of one section, as typed fields named ``q-<key>``."""

    prefix = None

    def __init__(self, *args, questions: list[Question], version: FrameworkVersion, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        layout = []
        for question in questions:
            name = f"q-{question.key}"
            self.fields[name] = self._field_for(question, version)
            layout.append(self._layout_for(question, name))
        self.helper = gds_helper(*layout)

    @staticmethod
    def _options(question: Question, version: FrameworkVersion) -> list[tuple[str, str]]:
        if question.options_from == Question.OptionsFrom.LEVELS:
            return [(level.key, level.name) for level in version.levels.all()]
        if question.options_from == Question.OptionsFrom.DECISIONS:
            return version.choices(Scale.DECISION)
        return [(key, key.replace("_", " ").capitalize()) for key in question.options]

    def _field_for(self, question: Question, version: FrameworkVersion) -> forms.Field:
        common = {"label": question.text, "help_text": question.help, "required": False}
        kind = question.type
        if kind == Question.Type.SHORT_TEXT:
            return forms.CharField(max_length=SHORT_TEXT_MAX, **common)
        if kind == Question.Type.LONG_TEXT:
            # The character count under the box says the limit: not said twice.
            # crispy-forms-gds adds the count's id to this (it expects one there already).
            textarea = forms.Textarea(attrs={"aria-describedby": ""})
            return forms.CharField(widget=textarea, max_length=LONG_TEXT_MAX, **common)
        if kind == Question.Type.CHOICE:
            return forms.ChoiceField(
                choices=self._options(question, version), widget=forms.RadioSelect, **common
            )
        if kind == Question.Type.MULTIPLE_CHOICE:
            return forms.MultipleChoiceField(
                choices=self._options(question, version), widget=forms.CheckboxSelectMultiple, **common
            )
        if kind == Question.Type.YES_NO:
            return forms.ChoiceField(choices=YES_NO_CHOICES, widget=forms.RadioSelect, **common)
        if kind == Question.Type.DATE:
            common["help_text"] = " ".join(filter(None, [question.help, DATE_HINT]))
            return UKDateField(**common)
        raise ValueError(f"Unknown question type {kind!r}")

    @staticmethod
    def _layout_for(question: Question, name: str):
        if question.type in (Question.Type.CHOICE, Question.Type.YES_NO):
            inline = question.type == Question.Type.YES_NO
            return Field.radios(name, legend_size=Size.SMALL, inline=inline)
        if question.type == Question.Type.MULTIPLE_CHOICE:
            return Field.checkboxes(name, legend_size=Size.SMALL)
        if question.type == Question.Type.LONG_TEXT:
            return Field.textarea(name, rows=5, label_size=Size.SMALL, max_characters=LONG_TEXT_MAX)
        if question.type == Question.Type.DATE:
            return Field(name, legend_size=Size.SMALL)  # the date input is its own fieldset
        return Field.text(name, label_size=Size.SMALL)

    @staticmethod
    def initial_for(question: Question, value):
        """The form's initial value for a stored answer."""
        if value is None:
            return None
        if question.type == Question.Type.YES_NO:
            return "yes" if value else "no"
        if question.type == Question.Type.DATE:
            from datetime import date

            return date.fromisoformat(value)
        return value

    @staticmethod
    def stored_value(question: Question, cleaned):
        """The JSON value stored for a cleaned answer (None when left blank)."""
        if cleaned in (None, "", []):
            return None
        if question.type == Question.Type.YES_NO:
            return cleaned == "yes"
        if question.type == Question.Type.DATE:
            return cleaned.isoformat()
        if isinstance(cleaned, str):
            return cleaned.strip() or None
        return cleaned
