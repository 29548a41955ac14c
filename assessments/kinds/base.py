"""What every kind of row of an assessment declares, and what the rest of the app derives from it.

A kind of row (impact ratings, combinations, ...) is one ``RowKind``: the section page's
formset, the rules, the summary and PDF table, the history's wording and the re-assessment's
copy all read it. Ids and links are made by its methods, never typed again as strings.
"""

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Model, QuerySet

from assessments.display import NOT_ANSWERED
from assessments.models import NoneApplies
from thrive_edi.dates import day_text

if TYPE_CHECKING:
    from assessments.selectors import AssessmentContent
    from frameworks.models import Section

ADD_ROW_ID = "add-row"  # the id of a section page's "Add" button


def field_group_id(name: str) -> str:
    """The id of the form group of the field posted as ``name``: drawn for every kind of field."""
    return f"div_id_{name}"


@dataclass(frozen=True)
class RuleFailure:
    section_key: str
    message: str
    field: str  # the field to fix, as its form names it ("q-aims", "evidence"); "" for the section
    prefix: str = ""  # the row's form prefix on the section page as stored ("impacts-3")
    row: int | None = None  # the primary key of the row holding the field

    @property
    def name(self) -> str:
        """The field's name as the section page posts it."""
        return f"{self.prefix}-{self.field}" if self.prefix else self.field

    @property
    def anchor(self) -> str:
        """Where a link from another page lands on the section's page."""
        return field_group_id(self.name) if self.field else ADD_ROW_ID


@dataclass
class SummaryTable:
    caption: str
    headers: list[str]
    rows: list[list[str]]
    anchor: str
    note: str = ""  # said instead of the rows when the user chose "none applies"


@dataclass(frozen=True)
class NoneAppliesChoice:
    """A kind whose rows may rightly be none: users say so, with the reason, instead of
    inventing a row. ``asks_when``: none yet, and the page asks when it will happen; the action
    plan then holds an action due that day (``action_issue``, ``action_text``, ``action_measure``)."""

    label: str  # the box users tick
    reason_label: str
    summary: str  # what the summary, the PDF and the snapshot say, before the reason
    missing: str  # no rows and no choice
    missing_reason: str
    rows_too: str  # the choice made while rows remain: refused beside the box on saving
    asks_when: bool = False
    when_label: str = ""
    missing_when: str = ""
    action_issue: str = ""
    action_text: str = ""
    action_measure: str = ""

    @staticmethod
    def prefix_of(kind_prefix: str) -> str:
        """The form prefix of the choice on the section page."""
        return f"{kind_prefix}-none"


@dataclass
class CopyContext:
    """What a re-assessment's copy of each kind of row needs: the new version's framework rows
    by key, the copies made so far (by kind and old primary key), and what could not be kept."""

    user: object
    characteristics: dict
    principles: dict
    copies: dict = field(default_factory=dict)  # {prefix: {old pk: copy}}
    lost: list[str] = field(default_factory=list)


def copy_fields(source, target, user, *, except_links: tuple[str, ...] = ()) -> None:
    """Give ``target`` every field ``source`` records but its identity, its assessment and
    ``except_links`` (framework rows, matched by key in the new version); ``user`` made it."""
    skipped = {"id", "assessment_id", "updated_at", "updated_by_id", *except_links}
    for item in type(source)._meta.concrete_fields:
        if item.attname not in skipped:
            setattr(target, item.attname, getattr(source, item.attname))
    target.updated_by = user


def text(value) -> str:
    """Free text as a table shows it."""
    return value.strip() if isinstance(value, str) and value.strip() else NOT_ANSWERED


def day(value) -> str:
    """A table cell's date: ``1 December 2026``, or that it was not answered."""
    return day_text(value) if value else NOT_ANSWERED


class RowKind:
    """One kind of row. Subclasses set the attributes and override what differs.

    The defaults make a kind whose rows users add freely work everywhere with no more than its
    model, formset, prefix, section and table: rows stored in the assessment's order of entry,
    no rules, a table of its form's fields, rows copied as they are into a re-assessment.
    """

    structured: str = ""  # the ``StructuredPart`` of the section holding the rows
    model: type[Model]
    formset_class: type
    prefix: str = ""  # the formset's prefix on the section page
    content_attr: str = ""  # the ``AssessmentContent`` part holding the rows
    history_label: str = ""  # what the history calls a row
    caption: str = ""  # the summary table's and PDF table's caption
    headers: tuple[str, ...] = ()
    column_widths: tuple[int, ...] = ()  # the PDF table's, in percent, multiples of 5
    template_name = "assessments/parts/rows.html"
    adds_rows = False  # users add and remove rows (otherwise one row per framework row)
    add_label = ""
    row_noun = "entry"
    needs_started_first: str | None = None  # the ``StructuredPart`` of a section to start first
    also_reads: tuple[str, ...] = ()  # content parts its rules read besides its own
    scales: dict[str, str] = {}  # {field: Scale} whose wording the framework version gives
    none_applies: NoneAppliesChoice | None = None  # whether users may say no row applies
    nested_in: str = ""  # the prefix of the kind whose rows hold this kind's rows on the page
    # Its forms offer options from outside the assessment and its framework version (people):
    # its section's page is drawn at every request, never kept (``assessments.fragments``).
    lists_people = False

    # Ids on the section page, and links to them.

    @property
    def rows_id(self) -> str:
        """The id of the block holding all the rows: where a summary's "Change" link lands."""
        return f"{self.prefix}-rows"

    @property
    def add_row_id(self) -> str:
        return ADD_ROW_ID

    def row_id(self, index: int) -> str:
        return f"{self.prefix}-row-{index}"

    def row_prefix(self, index: int) -> str:
        """The form prefix of the row at ``index``, as the formset names it."""
        return f"{self.prefix}-{index}"

    # Rows.

    def rows(self, content: "AssessmentContent") -> list:
        return content.part(self.content_attr)

    def queryset(self, assessment) -> QuerySet:
        """The stored rows in the order every page shows them."""
        return self.model.objects.filter(assessment=assessment).order_by("pk")

    def page_queryset(self, content: "AssessmentContent") -> QuerySet:
        """The rows the section page holds as forms."""
        return self.queryset(content.assessment)

    def nest(self, parent, part) -> None:
        """Hand the forms of ``part`` (this kind's rows) to those of ``parent`` that draw them."""
        raise NotImplementedError

    def form_kwargs(self, content: "AssessmentContent") -> dict:
        return {"version": content.version}

    def row_label(self, content: "AssessmentContent", form, index: int) -> str:
        return f"{self.row_noun.capitalize()} {index + 1}"

    def new_rows(self, assessment, version) -> list:
        """The rows a new assessment starts with (none: users add them)."""
        return []

    # Rules.

    def failure(self, section: "Section", message: str, field_name: str = "", index=None, row=None):
        """A failure of ``row``, the row at ``index``; without them, of the whole section."""
        if index is None:
            return RuleFailure(section.key, message, field_name)
        return RuleFailure(section.key, message, field_name, self.row_prefix(index), row.pk)

    def failures(self, content: "AssessmentContent", section: "Section") -> list[RuleFailure]:
        return []

    def chosen_none(self, content: "AssessmentContent"):
        """The stored "none applies" choice of this kind (a ``NoneApplies``), if any."""
        return content.none_applies.get(self.prefix) if self.none_applies else None

    def none_applies_failures(self, content: "AssessmentContent", section: "Section", rows) -> list | None:
        """The rules when rows may rightly be none: None when there are rows (their own rules
        apply, and the choice is not read: a save refuses the choice beside rows)."""
        if rows:
            return None
        choice, spec = self.chosen_none(content), self.none_applies
        if choice is None:
            return [self.failure(section, spec.missing)]
        prefix = NoneAppliesChoice.prefix_of(self.prefix)
        failures = []
        if not choice.reason.strip():
            failures.append(RuleFailure(section.key, spec.missing_reason, "reason", prefix))
        if spec.asks_when and choice.expected_on is None:
            failures.append(RuleFailure(section.key, spec.missing_when, "expected_on", prefix))
        return failures

    def none_note(self, content: "AssessmentContent") -> str:
        """What the summary says instead of rows when the user chose "none applies"."""
        choice = self.chosen_none(content) if self.none_applies and not self.rows(content) else None
        if choice is None:
            return ""
        note = f"{self.none_applies.summary}: {choice.reason.strip() or NOT_ANSWERED}"
        if self.none_applies.asks_when:
            note += f" ({self.none_applies.when_label}: {day(choice.expected_on)})"
        return note

    def row_failures(self, section: "Section", rows, checks) -> list[RuleFailure]:
        """Row by row, a failure for each check the row fails. A check is (field, whether it is
        missing from a row, the message for the row at an index)."""
        return [
            self.failure(section, message(index, row), field_name, index, row)
            for index, row in enumerate(rows)
            for field_name, missing, message in checks
            if missing(row)
        ]

    # Summary and PDF.

    def table_rows(self, content: "AssessmentContent") -> list[list[str]]:
        names = [name for name in self.formset_class.form.base_fields if name not in ("id", "DELETE")]
        return [[text(str(getattr(row, name) or "")) for name in names] for row in self.rows(content)]

    def table(self, content: "AssessmentContent") -> SummaryTable | None:
        return SummaryTable(
            self.caption, list(self.headers), self.table_rows(content), self.rows_id, self.none_note(content)
        )

    # History.

    def describe(self, record, reader) -> str:
        return f"{self.history_label} {record.id}"

    # Re-assessment.

    def copy(self, old, new, context: CopyContext) -> None:
        """Copy the rows of ``old`` into ``new``; say in ``context.lost`` what could not be kept."""
        copies = context.copies.setdefault(self.prefix, {})
        for row in self.model.objects.filter(assessment=old).order_by("pk"):
            copy = self.model(assessment=new)
            copy_fields(row, copy, context.user)
            copy.save()
            copies[row.pk] = copy
        self.copy_none_applies(old, new, context)

    def copy_none_applies(self, old, new, context: CopyContext) -> None:
        """Carry the "none applies" choice over; its action is linked once actions are copied
        (``link_copied_actions``)."""
        if self.none_applies is None:
            return
        for choice in NoneApplies.objects.filter(assessment=old, kind=self.prefix):
            copy = NoneApplies(assessment=new, kind=self.prefix)
            copy_fields(choice, copy, context.user, except_links=("action_id",))
            copy.save()
            context.copies.setdefault("none-applies", {})[choice.pk] = (copy, choice.action_id)


class MatchedRowKind(RowKind):
    """A kind with one row per framework row (a characteristic, a principle, an aim), made with
    the assessment: a re-assessment fills its own rows from those matching by key."""

    # A row that rates its framework row on a scale and explains why: the rules ask for both.
    choice_field = ""
    choose_message = ""  # with {name}, the framework row's name
    explain_message = ""

    def match_key(self, row):
        raise NotImplementedError

    def row_name(self, content: "AssessmentContent", row) -> str:
        raise NotImplementedError

    def failures(self, content, section):
        if not self.choice_field:
            return []

        def message(template):
            return lambda index, row: template.format(name=self.row_name(content, row))

        return self.row_failures(
            section,
            self.rows(content),
            [
                (
                    self.choice_field,
                    lambda row: not getattr(row, self.choice_field),
                    message(self.choose_message),
                ),
                ("narrative", lambda row: not row.narrative.strip(), message(self.explain_message)),
            ],
        )

    def lost_message(self, row) -> str:
        return ""

    def copy(self, old, new, context: CopyContext) -> None:
        targets = {self.match_key(row): row for row in self.queryset(new)}
        for row in self.queryset(old):
            target = targets.get(self.match_key(row))
            if target is None:
                context.lost.append(self.lost_message(row))
                continue
            copy_fields(row, target, context.user, except_links=self.match_links)
            target.save()

    match_links: tuple[str, ...] = ()  # the link fields a matched row keeps from its new version
