"""The history of an assessment: who changed which answer or row, from what to what, and when.

It reads like a record: fields by their labels, choices by the framework version's wording,
people by name, yes/no, dates as dates. The names are looked up once for the whole page.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import CharField, Value
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.text import capfirst

from assessments.display import version_option_labels
from assessments.kinds import kind_of_model, row_kinds
from assessments.models import Answer, Assessment, Evidence, IntersectionalImpact, NoneApplies, Screening
from assessments.screening_summary import SCREENING_TITLE, screening_question
from frameworks.models import Characteristic, Level, Principle, Question, Subgroup
from frameworks.scales import Scale
from places.models import LocalAuthority
from thrive_edi.people import person_name

IGNORED_FIELDS = {"updated_by", "assessment"}
# Compared from their own history rows, read in one query (``_place_changes``), not record by record.
PLACES_FIELD = "local_authorities"
PLACES_LABEL = "Local authorities"
MAX_SHOWN = 2_000  # the most recent changes; older ones stay in the database
BLANK = "(blank)"
DATE_FORMAT = "j F Y"
MOMENT_FORMAT = "j F Y, H:i"

# Fields of the assessment whose keys the framework version words (admins may reword them);
# each kind of row names its own (``RowKind.scales``).
ASSESSMENT_SCALES = {"activity_type": Scale.ACTIVITY_TYPE, "decision": Scale.DECISION}
FIELD_LABELS = {(Answer, "value"): "Answer"}


def _scale_of_field() -> dict:
    """{(model, field): scale} of every field whose keys the framework version words."""
    scales = {(Assessment, name): scale for name, scale in ASSESSMENT_SCALES.items()}
    for kind in row_kinds():
        scales |= {(kind.model, name): scale for name, scale in kind.scales.items()}
    return scales


def _tracked_models() -> list:
    """The screening, the answers, then each kind of row's model (once, should two kinds share
    one), the "none applies" choices and the evidence."""
    return list(
        dict.fromkeys([Screening, Answer, *(kind.model for kind in row_kinds()), NoneApplies, Evidence])
    )


@dataclass
class Change:
    when: datetime
    who: str
    what: str
    kind: str  # created, changed, deleted
    fields: list[tuple[str, str, str]]  # (field label, from, to)


class _Reader:
    """Reads stored values as the page shows them; every name is looked up once, up front."""

    def __init__(self, assessment: Assessment, records: dict):
        self.assessment_records = records.get(Assessment, [])
        self.places_of_record = self._places_of_records()  # one query, however long the history
        version = assessment.framework_version
        self.version = version
        self.questions = {q.pk: q for q in Question.objects.filter(version=version)}
        names = _framework_names(version)
        self.characteristics = {pk: name for kind, pk, _, name in names if kind == "characteristic"}
        self.principles = {pk: name for kind, pk, _, name in names if kind == "principle"}
        self.levels = {key: name for kind, _, key, name in names if kind == "level"}
        self.scale_of_field = _scale_of_field()
        self.scales = {scale: version.labels(scale) for scale in set(self.scale_of_field.values())}
        user_model = get_user_model()
        people, assessments = set(), set()
        for model, model_records in records.items():
            for field in model._meta.concrete_fields:
                if not field.is_relation or field.name in IGNORED_FIELDS:
                    continue
                ids = {getattr(record, field.attname) for record in model_records} - {None}
                if field.related_model is user_model:
                    people |= ids
                elif field.related_model is Assessment:
                    assessments |= ids
        # Most people named in the rows made changes too, and were read with those.
        self.people = {
            record.history_user_id: person_name(record.history_user)
            for model_records in records.values()
            for record in model_records
            if record.history_user_id
        }
        missing = people - set(self.people)
        self.people |= {user.pk: person_name(user) for user in user_model.objects.filter(pk__in=missing)}
        self.references = {
            pk: f"{reference} version {number}"
            for pk, reference, number in Assessment.objects.filter(pk__in=assessments).values_list(
                "pk", "reference", "version_number"
            )
        }

    def _places_of_records(self) -> dict[int, set[int]]:
        """{history id: ids of the local authorities it recorded}, in one query."""
        ids = [record.history_id for record in self.assessment_records]
        places: dict[int, set[int]] = {pk: set() for pk in ids}
        through = apps.get_model("assessments", f"HistoricalAssessment_{PLACES_FIELD}")
        for history_id, authority_id in through.objects.filter(history_id__in=ids).values_list(
            "history_id", "localauthority_id"
        ):
            places[history_id].add(authority_id)
        return places

    def place_change(self, before, record) -> list[tuple[str, str, str]]:
        old, new = self.places_of_record[before.history_id], self.places_of_record[record.history_id]
        if old == new:
            return []

        def names(ids: set[int]) -> str:
            return ", ".join(sorted(self.authorities.get(pk, "A local authority") for pk in ids)) or BLANK

        return [(PLACES_LABEL, names(old), names(new))]

    @cached_property
    def subgroups(self) -> dict[int, str]:
        """The names of the version's finer groups, read only when a change to one is shown."""
        return dict(Subgroup.objects.filter(version=self.version).values_list("pk", "name"))

    @cached_property
    def authorities(self) -> dict[int, str]:
        """The names of the local authorities, read only when a change of places is shown."""
        return dict(LocalAuthority.objects.values_list("pk", "name"))

    def label(self, model, name: str) -> str:
        if (model, name) in FIELD_LABELS:
            return FIELD_LABELS[(model, name)]
        if model is Screening:
            return screening_question(name)
        return capfirst(str(model._meta.get_field(name).verbose_name))

    def value(self, model, name: str, value, record) -> str:
        if value in (None, "", []):
            return BLANK
        if (model, name) == (Answer, "value"):
            return self._answer(record.question_id, value)
        field = model._meta.get_field(name)
        if field.many_to_many:
            return ", ".join(self._linked(item) for item in value)
        if field.is_relation:
            return self._related(field, value)
        if (model, name) in self.scale_of_field:
            scale = self.scale_of_field[(model, name)]
            return self.scales[scale].get(value) or self.version.label_for(scale, value)
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        return self._plain(value)

    def _plain(self, value) -> str:
        if isinstance(value, bool):
            return "Yes" if value else "No"
        if isinstance(value, datetime):
            return date_format(timezone.localtime(value), MOMENT_FORMAT)
        if isinstance(value, date):
            return date_format(value, DATE_FORMAT)
        if isinstance(value, list):
            return "; ".join(str(item) for item in value)
        return str(value)

    def _related(self, field, value) -> str:
        if field.related_model is get_user_model():
            return self.people.get(value, "A former user")
        if field.related_model is Assessment:
            return self.references.get(value, "An earlier version")
        if field.name == "principle":
            return self.principles.get(value, "A principle")
        if field.name == "characteristic":
            return self.characteristics.get(value, "A characteristic")
        if field.name == "question":
            question = self.questions.get(value)
            return question.text if question else "A question"
        if field.name == "framework_version":
            return f"{self.version.name} {self.version.label}" if value == self.version.pk else str(value)
        return str(value)

    def _answer(self, question_id: int, value) -> str:
        question = self.questions.get(question_id)
        if question is None:
            return self._plain(value)
        if question.type == Question.Type.YES_NO:
            return "Yes" if value else "No"
        if question.type == Question.Type.DATE:
            try:
                return date_format(date.fromisoformat(value), DATE_FORMAT)
            except (TypeError, ValueError):
                return str(value)
        if question.type in Question.CHOICE_TYPES:
            labels = self._option_labels(question)
            return ", ".join(
                labels.get(item, item) for item in (value if isinstance(value, list) else [value])
            )
        return self._plain(value)

    def _option_labels(self, question: Question) -> dict[str, str]:
        if question.options_from == Question.OptionsFrom.LEVELS:
            return self.levels  # read once, not once per answer
        if question.options_from == Question.OptionsFrom.DECISIONS:
            return self.scales[Scale.DECISION]
        return version_option_labels(self.version, question)

    def _linked(self, item) -> str:
        """An item of a many-to-many change, shown as what it links to."""
        if isinstance(item, dict):
            if "characteristic" in item:
                return self.characteristics.get(item["characteristic"], "A characteristic")
            if "localauthority" in item:
                return self.authorities.get(item["localauthority"], "A local authority")
            if "intersectionalimpact" in item:
                label = kind_of_model(IntersectionalImpact).history_label
                return f"{label} {item['intersectionalimpact']}"
        return str(item)

    def describe(self, model, record) -> str:
        if model is Assessment:
            return "Assessment details"
        if model is Answer:
            return f"Answer: {self._related(Answer._meta.get_field('question'), record.question_id)}"
        if model is NoneApplies:
            kind = next((k for k in row_kinds() if k.prefix == record.kind and k.none_applies), None)
            return kind.none_applies.label if kind else "None applies"
        if model is Evidence:
            return f"Evidence: {record.title}"
        if model is Screening:
            return SCREENING_TITLE
        return kind_of_model(model).describe(record, self)


def _framework_names(version) -> list[tuple[str, int, str, str]]:
    """(kind, pk, key, name) of the version's characteristics, principles and levels, in one query."""
    parts = [
        model.objects.filter(version=version)
        .order_by()
        .annotate(row_kind=Value(kind, output_field=CharField()))
        .values_list("row_kind", "pk", "key", "name")
        for model, kind in ((Characteristic, "characteristic"), (Principle, "principle"), (Level, "level"))
    ]
    return list(parts[0].union(*parts[1:], all=True))


def _who(record) -> str:
    user = record.history_user
    return person_name(user) if user else "The system"


def _records(model, assessment: Assessment):
    key = "id" if model is Assessment else "assessment_id"
    return list(
        model.history.filter(**{key: assessment.pk}).select_related("history_user").order_by("history_date")
    )


def _changes_of(model, records, reader: _Reader) -> list[Change]:
    changes, previous = [], {}
    for record in records:
        before = previous.get(record.id)
        kind = {"+": "created", "~": "changed", "-": "deleted"}[record.history_type]
        fields = []
        if before is not None and kind == "changed":
            delta = record.diff_against(before, excluded_fields=IGNORED_FIELDS | {PLACES_FIELD})
            fields = [
                (
                    reader.label(model, c.field),
                    reader.value(model, c.field, c.old, record),
                    reader.value(model, c.field, c.new, record),
                )
                for c in delta.changes
            ]
            if model is Assessment:
                fields += reader.place_change(before, record)
            if not fields:
                previous[record.id] = record
                continue
        elif before is None and kind != "deleted":
            # A new row, or the first change of a row made blank in bulk (which leaves no record).
            fields = _first_values(model, record, reader)
        changes.append(
            Change(record.history_date, _who(record), reader.describe(model, record), kind, fields)
        )
        previous[record.id] = record
    return changes


def _first_values(model, record, reader: _Reader) -> list[tuple[str, str, str]]:
    """(field, from, to) for each value a row starts with, other than its defaults."""
    fields = []
    for field in model._meta.concrete_fields:
        if field.is_relation or not field.editable or field.primary_key or field.name in IGNORED_FIELDS:
            continue
        value = getattr(record, field.attname, None)
        if value in (None, "", []) or value == field.get_default():
            continue
        fields.append(
            (reader.label(model, field.name), BLANK, reader.value(model, field.name, value, record))
        )
    return fields


def assessment_changes(assessment: Assessment) -> list[Change]:
    records = {Assessment: _records(Assessment, assessment)}
    for model in _tracked_models():
        records[model] = _records(model, assessment)
    reader = _Reader(assessment, records)
    changes = []
    for model, model_records in records.items():
        changes += _changes_of(model, model_records, reader)
    changes.sort(key=lambda change: change.when, reverse=True)
    return changes[:MAX_SHOWN]
