"""The page of one section: its forms, how they save, and how they compare with the database.

A section holds narrative questions, rows of one kind (``assessments.kinds``), or both. Each
becomes a *part* with its form or formset. The forms only validate: ``services.section_save``
stores every valid value even when others are not, so that nothing a user typed is lost;
``assessments.rules`` says what is still missing.
"""

from datetime import date

from django import forms
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict
from django.utils.html import strip_tags

from assessments.forms import MAX_ROWS, QuestionsForm
from assessments.forms.absences import NoneAppliesForm
from assessments.forms.lean import management_html
from assessments.kinds import RowKind, RuleFailure, impacts_without_action, kinds_for
from assessments.selectors import AssessmentContent
from frameworks.models import Section
from thrive_edi.forms import field_anchor

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


class RowsPart(Part):
    """The formset of the rows of one kind (``assessments.kinds``) on a section page."""

    def __init__(self, kind: RowKind, content, section, data=None, adding=False):
        super().__init__(content, section, data)
        self.kind = kind
        self.formset = kind.formset_class(
            data,
            queryset=kind.page_queryset(content),
            prefix=kind.prefix,
            form_kwargs=kind.form_kwargs(content),
        )
        if adding and kind.adds_rows and data is None:
            # One more row, blank and not stored: it is saved once something is typed in it.
            self.formset.extra = 1
        for label, _row_id, form in self.rows():
            form.name_group(label)
        self.section_errors: list[str] = []  # what is missing from the kind's rows as a whole

    @property
    def template_name(self) -> str:
        return self.kind.template_name

    @property
    def missing(self) -> list[str]:
        """The impacts that need an action and have none (shown on the action plan's page)."""
        return impacts_without_action(self.content)

    def forms(self):
        return [self.formset.management_form, *self.formset.forms]

    def error_forms(self):
        return self.formset.forms

    def rows(self):
        """(label, element id, form) of each row."""
        return [
            (self.kind.row_label(self.content, form, index), self.kind.row_id(index), form)
            for index, form in enumerate(self.formset.forms)
        ]

    def labelled_fields(self):
        return [(form, f"{label}: ") for label, _row_id, form in self.rows()]

    def management_html(self):
        """The formset's management form (``forms.lean.management_html``)."""
        return management_html(self.formset.management_form)

    def rows_html(self):
        """The rows drawn as a whole, by a form that draws its rows so (the impact grid's)."""
        return self.formset.form.rows_html(self.rows())

    def _stored_rows(self) -> int:
        return self.kind.model.objects.filter(assessment=self.content.assessment).count()

    def may_add_row(self) -> bool:
        return self.kind.adds_rows and self._stored_rows() < MAX_ROWS

    def anchor_for_new_row(self) -> str:
        """The id of the row the page shows after "Add": the one after the stored rows."""
        return self.kind.row_id(self._stored_rows())


class NoneAppliesPart(Part):
    """The choice that no row of the kind applies, with the reason (``kinds.NoneAppliesChoice``)."""

    template_name = "assessments/parts/none_applies.html"

    def __init__(self, kind: RowKind, content, section, data=None):
        super().__init__(content, section, data)
        self.kind = kind
        self.choice = kind.none_applies
        self.stored = kind.chosen_none(content)
        self.form = NoneAppliesForm(
            data,
            choice=self.choice,
            prefix=self.choice.prefix_of(kind.prefix),
            initial=NoneAppliesForm.initial_from(self.stored),
        )

    def forms(self):
        return [self.form]


class SectionEditor:
    """The forms of a section page, bound to posted data or showing what is stored."""

    def __init__(self, content: AssessmentContent, section: Section, data=None, *, adding: bool = False):
        if data is not None:
            data = posted_copy(data)  # rows stored by a save are marked in it (``services.section_save``)
        self.content = content
        self.section = section
        self.parts: list[Part] = []
        if content.questions_by_section.get(section.pk):
            self.parts.append(QuestionsPart(content, section, data))
        rows_parts = {}
        for kind in kinds_for(section.structured):
            rows_parts[kind.prefix] = RowsPart(kind, content, section, data, adding=adding)
            self.parts.append(rows_parts[kind.prefix])
            if kind.none_applies is not None:
                self.parts.append(NoneAppliesPart(kind, content, section, data))
        for part in rows_parts.values():
            if part.kind.nested_in:  # its rows are drawn inside those of another kind
                part.kind.nest(rows_parts[part.kind.nested_in], part)

    @property
    def rows_part(self) -> RowsPart | None:
        return next((part for part in self.parts if isinstance(part, RowsPart)), None)

    def input_errors(self) -> list[tuple[str, str]]:
        """(field id, message) of every value that could not be kept as typed."""
        errors = []
        for part in self.parts:
            if isinstance(part, RowsPart):
                for message in part.formset.non_form_errors():
                    errors.append((part.kind.rows_id, message))
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
                    fields[(_kind_prefix(form.prefix or ""), row, bound_field.name)] = (form, bound_field)
        shown = []
        for failure in failures:
            # A row by its kind and primary key: rows of two kinds on one page may share a key.
            key = (_kind_prefix(failure.prefix), failure.row, failure.field)
            found = fields.get(key) if failure.field else None
            if found is None:
                part = self.rows_part
                if part is not None and part.kind.adds_rows:
                    part.section_errors.append(failure.message)
                    shown.append((part.kind.add_row_id, failure.message))
                continue
            form, bound_field = found
            if bound_field.errors:
                continue
            form.add_error(bound_field.name, failure.message)
            shown.append((field_anchor(form[bound_field.name]), failure.message))
        return shown

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


def posted_copy(data):
    """A copy of posted data that may be changed without changing the request's.

    ``QueryDict.copy`` deep-copies each of the page's few hundred values one by one; posted
    values are strings, which a copy shares anyway, so copying each key's list is the same.
    They are text already: each list is stored as it is (``MultiValueDict.setlist``), not
    converted again value by value as ``QueryDict.setlist`` does for bytes.
    """
    if not isinstance(data, QueryDict):
        return data.copy()
    copied = QueryDict(mutable=True, encoding=data.encoding)
    for key, values in data.lists():
        MultiValueDict.setlist(copied, key, list(values))
    return copied


def _kind_prefix(prefix: str) -> str:
    """The kind's part of a row's form prefix ("impacts" of "impacts-3")."""
    return prefix.rsplit("-", 1)[0]


def is_management_key(key: str) -> bool:
    return key.endswith(MANAGEMENT_SUFFIXES) or key.endswith("-id")
