"""Reading and checking framework files: raw YAML in, canonical data (or every problem) out.

The file's shape is declared once, as the pydantic models at the end of this module; pydantic
collects every problem, and ``_problems`` words each one for people: the key path
(``principles[2].levels[1]``) and what is wrong. The file's name is added by FrameworkFileError.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any, get_args

import yaml
from django.core.exceptions import ValidationError
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic import ValidationError as SchemaError
from pydantic_core import PydanticCustomError

from frameworks.models import FrameworkVersion, Question, ScaleOption, humanise_key, key_validator
from frameworks.scales import Requirement, Scale, StructuredPart, code_keys

# The scales listed under ``scales:``; the others have top-level entries of their own.
RATING_SCALES = (
    Scale.IMPACT,
    Scale.EVIDENCE_CONFIDENCE,
    Scale.PRINCIPLE_ALIGNMENT,
    Scale.PARTICIPATION,
    Scale.DUTY_CONTRIBUTION,
)
KEY_LENGTH = 50
ITEM_NAME_LENGTH = 200
NAME_LENGTH = FrameworkVersion._meta.get_field("name").max_length
LABEL_LENGTH = FrameworkVersion._meta.get_field("label").max_length
ALIGNED_LENGTH = FrameworkVersion._meta.get_field("aligned_with").max_length
OPTION_LABEL_LENGTH = ScaleOption._meta.get_field("label").max_length


class FrameworkFileError(ValidationError):
    """A framework file that cannot be loaded. ``problems``: every (key path, problem) found."""

    def __init__(self, source: str, problems: list[tuple[str, str]]):
        self.source = source
        self.problems = problems
        lines = [
            f"{source}: {path}: {problem}" if path else f"{source}: {problem}" for path, problem in problems
        ]
        super().__init__(lines, code="invalid_framework_file")

    def __str__(self) -> str:
        return "\n".join(self.messages)


class _UniqueKeyLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """YAML's safe loader, except that a key repeated in one mapping is an error, not a silent overwrite."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, str | int | float | bool) and key in seen:
                raise yaml.constructor.ConstructorError(
                    "while reading a mapping", node.start_mark, f"duplicate key '{key}'", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _yaml_problem(error: yaml.YAMLError) -> str:
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or str(error)
    where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
    return f"invalid YAML{where}: {problem}"


def read_framework_file(text: str | bytes, *, source: str = "<framework file>") -> dict:
    """Parse and check a framework file; return canonical data or raise FrameworkFileError."""
    try:
        raw = yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as error:
        raise FrameworkFileError(source, [("", _yaml_problem(error))]) from None
    return check_framework_data(raw, source=source)


def check_framework_data(raw: Any, *, source: str = "<framework data>") -> dict:
    """Check parsed framework data; return its canonical form or raise FrameworkFileError."""
    # The keys the file declares, which a principle's pillar and levels must name.
    declared = {name: _declared_keys(raw, name) for name in ("levels", "pillars")}
    try:
        return FrameworkFile.model_validate(raw, context=declared).model_dump()
    except SchemaError as error:
        raise FrameworkFileError(source, _problems(error)) from None


def clean_text(value: str) -> str:
    return value.replace("\r\n", "\n").strip()


def _declared_keys(raw: Any, name: str) -> list[str]:
    items = raw.get(name) if isinstance(raw, dict) else None
    items = items if isinstance(items, list) else []
    return [item["key"] for item in items if isinstance(item, dict) and isinstance(item.get("key"), str)]


# Problems, in people's words. A check of ours refuses a value with one or more problems, each
# a message or (path below the value, message, path of the item that ``{}`` in it names).


def _refuse(*problems: str | tuple) -> PydanticCustomError:
    return PydanticCustomError("framework", "the framework file's own check", {"problems": problems})


def _checked(value: Any, problems: list) -> Any:
    if problems:
        raise _refuse(*problems)
    return value


MESSAGES = {  # pydantic's error types, worded as the rest of the product words its messages
    "model_type": "expected a mapping of fields, found {found}",
    "list_type": "expected a list, found {found}",
    "string_type": "expected text, found {found}",
    "bool_type": "expected true or false, found {found}",
    "string_too_short": "is empty: expected text",
    "string_too_long": "is too long: {length} characters, at most {max_length} allowed",
    "too_short": "must list at least one item",
}


def _problems(error: SchemaError) -> list[tuple[str, str]]:
    problems = []
    for item in error.errors(include_url=False):
        loc, kind, found, ctx = item["loc"], item["type"], item["input"], item.get("ctx", {})
        if kind == "framework":
            for at, message, other in (((), p, ()) if isinstance(p, str) else p for p in ctx["problems"]):
                problems.append((_path(loc + at), message.format(_path(loc + other))))
        elif kind == "missing":
            problems.append((_path(loc[:-1]) or "(top level)", f"missing required field '{loc[-1]}'"))
        elif kind in ("extra_forbidden", "invalid_key"):  # a key the schema lacks, or one that is not text
            allowed = ", ".join(_fields(_model_at(loc[:-1])))
            problems.append(
                (_path((*loc[:-1], str(loc[-1]))), f"unknown key '{loc[-1]}' (allowed here: {allowed})")
            )
        elif kind in MESSAGES:
            length = len(found) if isinstance(found, str) else 0
            problems.append((_path(loc), MESSAGES[kind].format(found=_describe(found), length=length, **ctx)))
        else:
            problems.append((_path(loc), item["msg"]))
    return problems


def _describe(value: Any) -> str:
    quote_hint = " (put it in quotes to use it as text)"
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return f"{'true' if value else 'false'}, a yes/no value{quote_hint}"
    if isinstance(value, int | float):
        return f"a number ({value}){quote_hint}"
    if isinstance(value, str):
        return f"text ({value[:40]!r})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping of fields"
    return type(value).__name__


def _path(loc: Iterable) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text


def _fields(model: type[BaseModel]) -> dict[str, Any]:
    """A model's fields, by the names the file gives them."""
    return {field.validation_alias or name: field for name, field in model.model_fields.items()}


def _model_at(loc: tuple) -> type[BaseModel]:
    """The model that the file's entry at ``loc`` is read as."""
    model: Any = FrameworkFile
    for part in loc:
        if isinstance(part, str):
            model = _fields(model)[part].annotation
            while not (isinstance(model, type) and issubclass(model, BaseModel)):
                model = next(arg for arg in get_args(model) if not isinstance(arg, str | int | float))
    return model


# The checks that the models below use.


def _key(value: Any) -> str:
    if not isinstance(value, str):
        raise _refuse(f"expected a key, found {_describe(value)}")
    try:
        key_validator(value)
    except ValidationError:
        rule = "use lower-case letters, digits and underscores, starting with a letter"
        raise _refuse(f"'{value}' is not a valid key: {rule}") from None
    if len(value) > KEY_LENGTH:
        raise _refuse(f"key '{value}' is too long: at most {KEY_LENGTH} characters")
    return value


def _one_of(what: str, known: list[str] | str, *, empty: str | None = None) -> Any:
    """A key among ``known``, or among the keys the file declares under the name ``known``.

    ``empty``: what an empty value stands for, where one may be given.
    """

    def check(value: Any, info: ValidationInfo) -> str:
        allowed = info.context[known] if isinstance(known, str) else known
        if value in (None, "") and empty is not None:
            return empty
        if value in (None, "") and isinstance(known, list):
            raise _refuse(f"is empty: expected one of {', '.join(allowed)}")
        if _key(value) not in allowed:
            raise _refuse(f"unknown {what} '{value}' (known {what}s: {', '.join(allowed) or 'none'})")
        return value

    return Annotated[str, PlainValidator(check)]


def _repeats(entries: Iterable[tuple[tuple, Any]], listed_twice: str = "") -> list[tuple]:
    """A problem for each (path, entry) whose key an earlier entry has.

    In a list of keys, ``listed_twice`` names what the keys are; in a list of entries, the
    repeated ``key`` field is at fault, and the problem names the entry that has it first.
    """
    seen: dict[str, tuple] = {}
    problems = []
    for at, entry in entries:
        key = getattr(entry, "key", entry)
        if key in seen and listed_twice:
            problems.append((at, f"{listed_twice} '{key}' is listed twice", ()))
        elif key in seen:
            problems.append(((*at, "key"), f"duplicate key '{key}': {{}} already uses it", seen[key]))
        seen.setdefault(key, at)
    return problems


def _once(listed_twice: str = "") -> AfterValidator:
    """A list whose entries (or keys) each have a key of their own."""
    return AfterValidator(lambda items: _checked(items, _repeats(_indexed(items), listed_twice)))


def _indexed(items: list, *above: Any) -> Iterable[tuple[tuple, Any]]:
    return (((*above, i), item) for i, item in enumerate(items))


def _code_keys(scale: Scale) -> AfterValidator:
    """A scale's options, whose keys must be exactly the code's keys for that scale."""

    def check(rows: list) -> list:
        expected, found = code_keys(scale), [row.key for row in rows]
        missing = ", ".join(repr(key) for key in expected if key not in found)
        extra = ", ".join(repr(key) for key in found if key not in expected)
        if not missing and not extra:
            return rows
        differences = [f"missing {missing}"] if missing else []
        differences += [f"not in the code {extra}"] if extra else []
        raise _refuse(
            f"keys differ from the code's: {'; '.join(differences)} (the code expects: {', '.join(expected)})"
        )

    return AfterValidator(check)


def _text(max_length: int | None = None, *, optional: bool = False) -> Any:
    """Text, trimmed; optional text may be left out, empty or null."""

    def cleaned(value: Any) -> Any:
        return "" if value is None and optional else clean_text(value) if isinstance(value, str) else value

    return Annotated[
        str, StringConstraints(min_length=int(not optional), max_length=max_length), BeforeValidator(cleaned)
    ]


def _list(item: Any, *checks: AfterValidator, at_least_one: bool = False) -> Any:
    """A list, which may be left out or null unless it must have ``at_least_one`` item."""
    none_is_empty = BeforeValidator(lambda value: [] if value is None else value)
    return Annotated[list[item], Field(min_length=int(at_least_one)), none_is_empty, *checks]


def _scale(entry: type[BaseModel], scale: Scale) -> Any:
    return Annotated[list[entry], _once(), _code_keys(scale)]


Key = Annotated[str, PlainValidator(_key)]
Name = _text(ITEM_NAME_LENGTH)
OptionalText = _text(optional=True)
OptionLabel = _text(OPTION_LABEL_LENGTH)


# The file's shape.


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class Header(_Entry):
    name: _text(NAME_LENGTH)
    version: _text(LABEL_LENGTH)
    aligned_with: _text(ALIGNED_LENGTH, optional=True) = ""
    summary: OptionalText = ""


class LevelEntry(_Entry):
    key: Key
    name: Name


class PillarEntry(LevelEntry):
    summary: OptionalText = ""


class PrincipleEntry(_Entry):
    key: Key
    pillar: _one_of("pillar", "pillars")
    name: Name
    levels: _list(_one_of("level", "levels"), _once("level")) = []
    summary: _text()
    questions: _list(_text()) = []


class SubgroupEntry(_Entry):
    key: Key
    name: Name


class CategoryEntry(_Entry):
    name: Name
    groups: _list(SubgroupEntry, at_least_one=True)


class Breakdown(_Entry):
    """The finer groups a characteristic may be assessed by, in their high-level categories."""

    name: Name
    categories: _list(CategoryEntry, at_least_one=True)


class CharacteristicEntry(_Entry):
    key: Key
    name: Name
    guidance: OptionalText = ""
    breakdown: Breakdown | None = None


class Characteristics(_Entry):
    protected: _list(CharacteristicEntry, at_least_one=True)
    additional: _list(CharacteristicEntry) = []

    @model_validator(mode="after")
    def _keys_once_across_kinds(self) -> Characteristics:
        rows = [*_indexed(self.protected, "protected"), *_indexed(self.additional, "additional")]
        finer = [  # a finer group's key is its own across every characteristic
            entry
            for at, row in rows
            if row.breakdown is not None
            for c, category in enumerate(row.breakdown.categories)
            for entry in _indexed(category.groups, *at, "breakdown", "categories", c, "groups")
        ]
        return _checked(self, _repeats(rows) + _repeats(finer))


class OptionEntry(_Entry):
    key: Key
    label: OptionLabel
    requires: _list(
        _one_of("requirement", Requirement.values), AfterValidator(lambda keys: [*dict.fromkeys(keys)])
    ) = []


class AimEntry(_Entry):
    key: Key
    label: Annotated[OptionLabel, Field(validation_alias="name")]


class ActivityTypeEntry(_Entry):
    key: Key
    label: OptionLabel

    @model_validator(mode="before")
    @classmethod
    def _key_alone(cls, value: Any) -> Any:
        """An activity type may be given as its key alone, and is then labelled after it."""
        return {"key": value, "label": humanise_key(value)} if isinstance(value, str) else value


class Scales(_Entry):
    impact: _scale(OptionEntry, Scale.IMPACT)
    evidence_confidence: _scale(OptionEntry, Scale.EVIDENCE_CONFIDENCE)
    principle_alignment: _scale(OptionEntry, Scale.PRINCIPLE_ALIGNMENT)
    participation: _scale(OptionEntry, Scale.PARTICIPATION)
    duty_contribution: _scale(OptionEntry, Scale.DUTY_CONTRIBUTION)


class QuestionEntry(_Entry):
    key: Key
    text: _text()
    help: OptionalText = ""
    type: _one_of("question type", Question.Type.values)
    options: _list(Key, _once("option")) = []
    options_from: _one_of("options source", Question.OptionsFrom.values, empty="") = ""
    required: bool = False
    guidance: OptionalText = ""

    @model_validator(mode="after")
    def _options_fit_the_type(self) -> QuestionEntry:
        choice, options = self.type in Question.CHOICE_TYPES, bool(self.options) + bool(self.options_from)
        if choice and not options:
            raise _refuse(f"a {self.type} question needs 'options' or 'options_from'")
        if choice and options > 1:
            raise _refuse("give either 'options' or 'options_from', not both")
        if not choice and options:
            raise _refuse(f"a {self.type} question has no options")
        return self


class SectionEntry(_Entry):
    key: Key
    title: Name
    purpose: _text()
    guidance: OptionalText = ""
    structured: _one_of("structured part", StructuredPart.values, empty="") = ""
    questions: _list(QuestionEntry) = []


class FrameworkFile(_Entry):
    framework: Header
    levels: _list(LevelEntry, _once(), at_least_one=True)
    pillars: _list(PillarEntry, _once(), at_least_one=True)
    principles: _list(PrincipleEntry, _once(), at_least_one=True)
    characteristics: Characteristics
    scales: Scales
    psed_aims: _scale(AimEntry, Scale.PSED_AIM)
    decisions: _scale(OptionEntry, Scale.DECISION)
    activity_types: _scale(ActivityTypeEntry, Scale.ACTIVITY_TYPE)
    eia_template: _list(SectionEntry, at_least_one=True)

    @field_validator("eia_template")
    @classmethod
    def _keys_once_and_parts_held_once(cls, sections: list[SectionEntry]) -> list[SectionEntry]:
        problems = _repeats(_indexed(sections))
        problems += _repeats(
            entry for i, s in enumerate(sections) for entry in _indexed(s.questions, i, "questions")
        )
        held_by: dict[str, tuple] = {}
        for i, section in enumerate(sections):
            if section.structured in held_by:
                message = f"structured part '{section.structured}' is already held by {{}}"
                problems.append(((i, "structured"), message, held_by[section.structured]))
            elif section.structured:
                held_by[section.structured] = (i,)
        return _checked(sections, problems)
