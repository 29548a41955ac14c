"""The page of one section: its forms, how they save, and how they compare with the database.

A section holds narrative questions, a structured part, or both. Each becomes a *part* with
its form or formset. Saving keeps every valid value even when others are not, so that
nothing a user typed is lost; ``assessments.rules`` says what is still missing.
"""

from datetime import date

from django import forms
from django.db.models import QuerySet
from django.utils.html import strip_tags

from assessments.display import combination_name
from assessments.forms import (
    MAX_ROWS,
    ActionFormSet,
    DutyFormSet,
    ImpactRatingFormSet,
    IntersectionalFormSet,
    ParticipationFormSet,
    PrincipleAlignmentFormSet,
    QuestionsForm,
    people_who_assess,
)
from assessments.forms.common import SharedChoices
from assessments.models import (
    Action,
    Answer,
    DutyContribution,
    ImpactRating,
    IntersectionalImpact,
    ParticipationEntry,
    PrincipleAlignment,
)
from assessments.rules import ADD_ROW_ID, RuleFailure, impacts_without_action
from assessments.selectors import (
    AssessmentContent,
    linked_characteristics,
    ordered_ratings,
    version_characteristics,
)
from frameworks.models import Section
from frameworks.scales import Scale, StructuredPart
from thrive_edi.forms import field_anchor
from thrive_edi.people import person_name

MANAGEMENT_SUFFIXES = ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS")
FOREIGN_ROW_MESSAGE = "A row on this page does not belong to this assessment. Reload the page and try again."


def _posted(bound_field) -> dict[str, list[str]]:
    """What a browser would post for a field showing its current value."""
    value = bound_field.value()
    widget = bound_field.field.widget
    name = bound_field.html_name
    if isinstance(widget, forms.MultiWidget):
        parts = value if isinstance(value, list | tuple) else widget.decompress(value)
        return {f"{name}_{i}": ["" if part is None else str(part)] for i, part in enumerate(parts)}
    if isinstance(widget, forms.CheckboxInput):
        return {name: ["on"] if value else []}
    if getattr(widget, "allow_multiple_selected", False):
        # Nothing ticked posts nothing; an empty string would be refused as a choice.
        return {name: [str(item) for item in value or []]}
    if isinstance(value, list | tuple):
        return {name: [str(item) for item in value]}
    if isinstance(value, date):
        return {name: [widget.format_value(value)]}
    return {name: ["" if value is None else str(value)]}


def _plain_label(form, name: str) -> str:
    """A field's label as written: without the row's name that the page adds for screen readers."""
    return getattr(form, "plain_labels", {}).get(name) or strip_tags(form.fields[name].label or "")


class Part:
    """One form or formset of a section page."""

    template_name = ""

    def __init__(self, content: AssessmentContent, section: Section, data=None):
        self.content = content
        self.section = section
        self.version = content.version
        self.data = data

    def forms(self) -> list[forms.BaseForm]:
        raise NotImplementedError

    def save(self, user) -> None:
        raise NotImplementedError

    def labelled_fields(self):
        """(form, field label prefix) for every form of the part."""
        return [(form, "") for form in self.forms()]

    def error_forms(self):
        return self.forms()


class QuestionsPart(Part):
    template_name = "assessments/parts/questions.html"

    def __init__(self, content, section, data=None):
        super().__init__(content, section, data)
        self.questions = content.questions_by_section.get(section.pk, [])
        initial = {}
        for question in self.questions:
            answer = content.answers.get(question.pk)
            if answer is not None:
                initial[f"q-{question.key}"] = QuestionsForm.initial_for(question, answer.value)
        self.form = QuestionsForm(data, questions=self.questions, version=self.version, initial=initial)

    def forms(self):
        return [self.form]

    def save(self, user) -> None:
        self.form.is_valid()
        cleaned = self.form.cleaned_data
        for question in self.questions:
            name = f"q-{question.key}"
            if name not in cleaned:
                continue  # not valid: shown with its error, the stored answer is kept
            value = QuestionsForm.stored_value(question, cleaned[name])
            answer = self.content.answers.get(question.pk)
            if answer is None:
                if value is not None:
                    self.content.answers[question.pk] = Answer.objects.create(
                        assessment=self.content.assessment, question=question, value=value, updated_by=user
                    )
            elif answer.value != value:
                answer.value = value
                answer.updated_by = user
                answer.save()


class RowsPart(Part):
    """A formset of rows of the assessment."""

    template_name = "assessments/parts/rows.html"
    formset_class = None
    prefix = ""
    model = None
    adds_rows = False
    add_label = ""
    add_row_id = ADD_ROW_ID
    row_noun = "entry"

    def __init__(self, content, section, data=None, adding=False):
        super().__init__(content, section, data)
        self.formset = self.formset_class(
            data, queryset=self.queryset(), prefix=self.prefix, form_kwargs=self.form_kwargs()
        )
        if adding and self.adds_rows and data is None:
            # One more row, blank and not stored: it is saved once something is typed in it.
            self.formset.extra = 1
        for label, form in self.rows():
            form.name_group(label)
        self.section_errors: list[str] = []  # what is missing from the part as a whole

    def queryset(self) -> QuerySet:
        return self.model.objects.filter(assessment=self.content.assessment).order_by("pk")

    def form_kwargs(self) -> dict:
        return {"version": self.version}

    def forms(self):
        return [self.formset.management_form, *self.formset.forms]

    def error_forms(self):
        return self.formset.forms

    def row_label(self, form, index: int) -> str:
        return f"{self.row_noun.capitalize()} {index + 1}"

    def rows(self):
        return [(self.row_label(form, index), form) for index, form in enumerate(self.formset.forms)]

    def labelled_fields(self):
        return [(form, f"{label}: ") for label, form in self.rows()]

    def save(self, user) -> None:
        if self.formset.non_form_errors():
            return  # a tampered formset (more rows than allowed): none of it is kept
        new = [index for index, form in enumerate(self.formset.forms) if form.instance.pk is None]
        self._save_rows(user)
        self._remember_new_rows(new)

    def _remember_new_rows(self, new: list[int]) -> None:
        """Rows just stored from the page's blank forms: the page, if shown again with errors,
        posts them as stored rows, so that saving it again does not store them twice."""
        stored = [index for index in new if self.formset.forms[index].instance.pk is not None]
        initial = self.formset.initial_form_count()
        if not stored or stored != list(range(initial, initial + len(stored))):
            return
        for index in stored:
            self.data[f"{self.prefix}-{index}-id"] = str(self.formset.forms[index].instance.pk)
        self.data[f"{self.prefix}-INITIAL_FORMS"] = str(initial + len(stored))

    def _save_rows(self, user) -> None:
        for form in self.formset.forms:
            if not form.is_valid():
                self._save_valid_fields(form, user)
                continue
            instance = form.instance
            if self.adds_rows and form.cleaned_data.get("DELETE"):
                if instance.pk:
                    instance.delete()
                continue
            if not form.has_changed() or (instance.pk is None and not self.adds_rows):
                continue
            row = form.save(commit=False)
            row.assessment = self.content.assessment
            row.updated_by = user
            row.save()
            form.save_m2m()

    def _save_valid_fields(self, form, user) -> None:
        """Keep what is valid in a row that holds a mistake, so nothing typed is asked for again.

        The mistaken field is shown with its message and keeps its stored value. A row whose id
        is refused, or that is to be removed, is left alone.
        """
        if "id" in form.errors or form.cleaned_data.get("DELETE"):
            return
        if not set(form.changed_data) - set(form.errors):
            return  # nothing valid changed
        if form.instance.pk is None and not self.adds_rows:
            return
        row = form.instance  # the model form has put every valid value on it
        row.assessment = self.content.assessment
        row.updated_by = user
        row.save()
        for field in row._meta.many_to_many:
            if field.name in form.cleaned_data:
                getattr(row, field.name).set(form.cleaned_data[field.name])

    def stored_rows(self) -> int:
        return self.model.objects.filter(assessment=self.content.assessment).count()

    def may_add_row(self) -> bool:
        return self.adds_rows and self.stored_rows() < MAX_ROWS

    def anchor_for_new_row(self) -> str:
        """The id of the row the page shows after "Add": the one after the stored rows."""
        return f"{self.prefix}-row-{self.stored_rows()}"


class ImpactGridPart(RowsPart):
    formset_class = ImpactRatingFormSet
    prefix = "impacts"
    model = ImpactRating
    template_name = "assessments/parts/impact_grid.html"

    def queryset(self):
        return ordered_ratings(self.content.assessment)

    def row_label(self, form, index):
        if form.instance.characteristic_id is None:  # a refused row id: nothing to name
            return super().row_label(form, index)
        return form.instance.characteristic.name


class IntersectionalPart(RowsPart):
    formset_class = IntersectionalFormSet
    prefix = "intersectional"
    model = IntersectionalImpact
    adds_rows = True
    add_label = "Add a combination"
    row_noun = "combination"

    def queryset(self):
        return super().queryset().prefetch_related("characteristics")

    def form_kwargs(self):
        return {
            **super().form_kwargs(),
            "characteristics": SharedChoices(version_characteristics(self.version), label=lambda c: c.name),
        }


class PrinciplesPart(RowsPart):
    formset_class = PrincipleAlignmentFormSet
    prefix = "principles"
    model = PrincipleAlignment
    template_name = "assessments/parts/principles.html"

    def queryset(self):
        return (
            PrincipleAlignment.objects.filter(assessment=self.content.assessment)
            .select_related("principle__pillar")
            .order_by("principle__order", "principle__pk")
        )

    def row_label(self, form, index):
        if form.instance.principle_id is None:  # a refused row id: nothing to name
            return super().row_label(form, index)
        return form.instance.principle.name


class DutiesPart(RowsPart):
    formset_class = DutyFormSet
    prefix = "duties"
    model = DutyContribution

    def row_label(self, form, index):
        return self.version.labels(Scale.PSED_AIM).get(form.instance.aim) or form.instance.get_aim_display()


class ParticipationPart(RowsPart):
    formset_class = ParticipationFormSet
    prefix = "participation"
    model = ParticipationEntry
    adds_rows = True
    add_label = "Add an entry"


class ActionsPart(RowsPart):
    formset_class = ActionFormSet
    prefix = "actions"
    model = Action
    adds_rows = True
    add_label = "Add an action"
    row_noun = "action"
    template_name = "assessments/parts/actions.html"

    def queryset(self):
        return super().queryset().prefetch_related("characteristics", "intersectional_impacts")

    @property
    def missing(self) -> list[str]:
        return impacts_without_action(self.content)

    def form_kwargs(self):
        return {
            **super().form_kwargs(),
            "characteristics": SharedChoices(version_characteristics(self.version), label=lambda c: c.name),
            "combinations": SharedChoices(
                IntersectionalImpact.objects.filter(assessment=self.content.assessment)
                .prefetch_related(linked_characteristics())
                .order_by("pk"),
                label=combination_name,
            ),
            "principles": SharedChoices(
                self.version.principles.order_by("order", "pk"), label=lambda p: p.name
            ),
            "people": SharedChoices(people_who_assess(), label=person_name),
        }


STRUCTURED_PARTS: dict[str, type[RowsPart]] = {
    StructuredPart.IMPACT_GRID: ImpactGridPart,
    StructuredPart.INTERSECTIONAL_IMPACTS: IntersectionalPart,
    StructuredPart.PRINCIPLE_ALIGNMENT: PrinciplesPart,
    StructuredPart.DUTY_CONTRIBUTIONS: DutiesPart,
    StructuredPart.PARTICIPATION_LOG: ParticipationPart,
    StructuredPart.ACTION_PLAN: ActionsPart,
}


class SectionEditor:
    """The forms of a section page, bound to posted data or showing what is stored."""

    def __init__(self, content: AssessmentContent, section: Section, data=None, *, adding: bool = False):
        if data is not None:
            data = data.copy()  # rows stored by a save are marked in it (``RowsPart.save``)
        self.content = content
        self.section = section
        self.parts: list[Part] = []
        if content.questions_by_section.get(section.pk):
            self.parts.append(QuestionsPart(content, section, data))
        if section.structured:
            self.parts.append(STRUCTURED_PARTS[section.structured](content, section, data, adding=adding))

    @property
    def rows_part(self) -> RowsPart | None:
        return next((part for part in self.parts if isinstance(part, RowsPart)), None)

    def input_errors(self) -> list[tuple[str, str]]:
        """(field id, message) of every value that could not be kept as typed."""
        errors = []
        for part in self.parts:
            if isinstance(part, RowsPart):
                for message in part.formset.non_form_errors():
                    errors.append((f"{part.prefix}-rows", message))
            for form in part.error_forms():
                first = next((field for field in form.visible_fields()), None)
                for name, messages in form.errors.items():
                    if name == "__all__":
                        errors += [(field_anchor(first), m) for m in messages]
                        continue
                    if name == "id":  # a row id that is not one of this assessment's rows
                        errors.append((field_anchor(first), FOREIGN_ROW_MESSAGE))
                        continue
                    errors += [
                        (field_anchor(form[name]), f"{form.fields[name].label}: {m}") for m in messages
                    ]
        return errors

    def show_failures(self, failures: list[RuleFailure]) -> list[tuple[str, str]]:
        """Put each rule's message beside its field; (id to link to, message) for the summary.

        A field that already holds a mistake shows that one: it says what is wrong more exactly.
        """
        fields = {}
        for part in self.parts:
            for form in part.error_forms():
                for bound_field in form:
                    row = getattr(getattr(form, "instance", None), "pk", None)
                    fields[(row, bound_field.name)] = (form, bound_field)
        shown = []
        for failure in failures:
            found = fields.get((failure.row, failure.field)) if failure.field else None
            if found is None:
                part = self.rows_part
                if part is not None and part.adds_rows:
                    part.section_errors.append(failure.message)
                    shown.append((part.add_row_id, failure.message))
                continue
            form, bound_field = found
            if bound_field.errors:
                continue
            form.add_error(bound_field.name, failure.message)
            shown.append((field_anchor(form[bound_field.name]), failure.message))
        return shown

    def save(self, user) -> None:
        for part in self.parts:
            part.save(user)

    def posted_values(self) -> dict[str, list[str]]:
        values = {}
        for part in self.parts:
            for form in part.forms():
                for bound_field in form:
                    values.update(_posted(bound_field))
        return values

    def field_labels(self) -> dict[str, str]:
        """Human names of the posted keys, for the conflict page."""
        labels = {}
        for part in self.parts:
            for form, prefix in part.labelled_fields():
                for bound_field in form:
                    if bound_field.name in ("id", "DELETE"):
                        continue
                    label = f"{prefix}{_plain_label(bound_field.form, bound_field.name)}"
                    for key in _posted(bound_field):
                        labels[key] = label
        return labels

    def field_keys(self) -> dict[str, list[str]]:
        """The posted keys of each field a user fills in: a date posts three (day, month, year)."""
        keys = {}
        for part in self.parts:
            for form, _prefix in part.labelled_fields():
                for bound_field in form:
                    if bound_field.name not in ("id", "DELETE"):
                        keys[bound_field.html_name] = list(_posted(bound_field))
        return keys


def is_management_key(key: str) -> bool:
    return key.endswith(MANAGEMENT_SUFFIXES) or key.endswith("-id")
