"""Reading and checking framework files: raw YAML in, canonical data (or every problem) out.

Each problem names the key path (``principles[2].levels[1]``) and what is wrong; the file's
name is added by FrameworkFileError.
"""

from __future__ import annotations

from typing import Any

import yaml
from django.core.exceptions import ValidationError

from frameworks.models import (
    Characteristic,
    FrameworkVersion,
    Question,
    ScaleOption,
    humanise_key,
    key_validator,
)
from frameworks.scales import Requirement, Scale, StructuredPart, code_keys

TOP_LEVEL = (
    "framework",
    "levels",
    "pillars",
    "principles",
    "characteristics",
    "scales",
    "psed_aims",
    "decisions",
    "activity_types",
    "eia_template",
)
# The scales listed under ``scales:``; the others have top-level entries of their own.
RATING_SCALES = (
    Scale.IMPACT,
    Scale.EVIDENCE_CONFIDENCE,
    Scale.PRINCIPLE_ALIGNMENT,
    Scale.PARTICIPATION,
    Scale.DUTY_CONTRIBUTION,
)
KEY_LENGTH = 50
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
    reader = _Reader()
    data = reader.framework(raw)
    if reader.problems:
        raise FrameworkFileError(source, reader.problems)
    return data


def _at(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


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


def clean_text(value: str) -> str:
    return value.replace("\r\n", "\n").strip()


class _Reader:
    """Walks raw YAML data into canonical data, collecting problems rather than stopping at the first."""

    def __init__(self) -> None:
        self.problems: list[tuple[str, str]] = []

    def problem(self, path: str, message: str) -> None:
        self.problems.append((path, message))

    # Building blocks.
    def mapping(self, value: Any, path: str, required: tuple, optional: tuple = ()) -> dict | None:
        if not isinstance(value, dict):
            self.problem(path, f"expected a mapping of fields, found {_describe(value)}")
            return None
        allowed = (*required, *optional)
        for key in value:
            if key not in allowed:
                self.problem(_at(path, str(key)), f"unknown key '{key}' (allowed here: {', '.join(allowed)})")
        for key in required:
            if key not in value:
                self.problem(path or "(top level)", f"missing required field '{key}'")
        return value

    def items(self, mapping: dict, key: str, path: str, *, non_empty: bool = False) -> list[tuple[str, Any]]:
        where = _at(path, key)
        if key not in mapping:
            return []
        value = mapping[key]
        if value is None:
            value = []
        if not isinstance(value, list):
            self.problem(where, f"expected a list, found {_describe(value)}")
            return []
        if non_empty and not value:
            self.problem(where, "must list at least one item")
        return [(f"{where}[{index}]", item) for index, item in enumerate(value)]

    def text(self, mapping: dict, key: str, path: str, *, required: bool = True, max_length: int = 0) -> str:
        where = _at(path, key)
        value = mapping.get(key)
        if key not in mapping or (value is None and not required):
            return ""
        if not isinstance(value, str):
            self.problem(where, f"expected text, found {_describe(value)}")
            return ""
        value = clean_text(value)
        if required and not value:
            self.problem(where, "is empty: expected text")
        if max_length and len(value) > max_length:
            self.problem(where, f"is too long: {len(value)} characters, at most {max_length} allowed")
        return value

    def texts(self, mapping: dict, key: str, path: str) -> list[str]:
        result = []
        for item_path, item in self.items(mapping, key, path):
            if not isinstance(item, str) or not item.strip():
                self.problem(item_path, f"expected text, found {_describe(item)}")
            else:
                result.append(clean_text(item))
        return result

    def boolean(self, mapping: dict, key: str, path: str) -> bool:
        value = mapping.get(key, False)
        if not isinstance(value, bool):
            self.problem(_at(path, key), f"expected true or false, found {_describe(value)}")
            return False
        return value

    def key_value(self, value: Any, path: str) -> str:
        if not isinstance(value, str):
            self.problem(path, f"expected a key, found {_describe(value)}")
            return ""
        try:
            key_validator(value)
        except ValidationError:
            self.problem(
                path,
                f"'{value}' is not a valid key: use lower-case letters, digits and underscores, "
                "starting with a letter",
            )
            return ""
        if len(value) > KEY_LENGTH:
            self.problem(path, f"key '{value}' is too long: at most {KEY_LENGTH} characters")
            return ""
        return value

    def own_key(self, mapping: dict, path: str, seen: dict[str, str]) -> str:
        """The ``key`` of an item, which must not repeat another item's key in ``seen``."""
        if "key" not in mapping:
            return ""
        key = self.key_value(mapping["key"], _at(path, "key"))
        if key and key in seen:
            self.problem(_at(path, "key"), f"duplicate key '{key}': {seen[key]} already uses it")
        elif key:
            seen[key] = path
        return key

    def reference(self, value: Any, path: str, known: list[str], what: str) -> str:
        key = self.key_value(value, path)
        if key and key not in known:
            self.problem(path, f"unknown {what} '{key}' (known {what}s: {', '.join(known) or 'none'})")
            return ""
        return key

    def choice(
        self, mapping: dict, key: str, path: str, allowed: list[str], what: str, *, required: bool = False
    ) -> str:
        if mapping.get(key) in (None, ""):
            if required and key in mapping:
                self.problem(_at(path, key), f"is empty: expected one of {', '.join(allowed)}")
            return ""
        return self.reference(mapping[key], _at(path, key), allowed, what)

    # The file, part by part.
    def framework(self, raw: Any) -> dict:
        root = self.mapping(raw, "", TOP_LEVEL)
        if root is None:
            return {}
        data: dict[str, Any] = {"framework": self.header(root)}
        data["levels"] = self.named_list(root, "levels", ("key", "name"), ())
        data["pillars"] = self.named_list(root, "pillars", ("key", "name"), ("summary",))
        data["principles"] = self.principles(root, [lv["key"] for lv in data["levels"]], data["pillars"])
        data["characteristics"] = self.characteristics(root)
        data["scales"] = {}
        scales = self.mapping(root["scales"], "scales", RATING_SCALES) if "scales" in root else None
        for scale in RATING_SCALES:
            if scales is not None and scale in scales:
                data["scales"][str(scale)] = self.scale(scales[scale], f"scales.{scale}", scale)
        for name, scale, label, plain in (
            ("psed_aims", Scale.PSED_AIM, "name", False),
            ("decisions", Scale.DECISION, "label", False),
            ("activity_types", Scale.ACTIVITY_TYPE, "label", True),
        ):
            data[name] = self.scale(root[name], name, scale, label=label, plain=plain) if name in root else []
        data["eia_template"] = self.template(root)
        return data

    def header(self, root: dict) -> dict:
        if "framework" not in root:
            return {}
        header = self.mapping(
            root["framework"], "framework", ("name", "version"), ("aligned_with", "summary")
        )
        if header is None:
            return {}
        return {
            "name": self.text(header, "name", "framework", max_length=NAME_LENGTH),
            "version": self.text(header, "version", "framework", max_length=LABEL_LENGTH),
            "aligned_with": self.text(
                header, "aligned_with", "framework", required=False, max_length=ALIGNED_LENGTH
            ),
            "summary": self.text(header, "summary", "framework", required=False),
        }

    def named_list(self, root: dict, name: str, required: tuple, optional: tuple) -> list[dict]:
        seen: dict[str, str] = {}
        result = []
        for path, item in self.items(root, name, "", non_empty=True):
            entry = self.mapping(item, path, required, optional)
            if entry is None:
                continue
            row = {
                "key": self.own_key(entry, path, seen),
                "name": self.text(entry, "name", path, max_length=200),
            }
            for field in optional:
                row[field] = self.text(entry, field, path, required=False)
            result.append(row)
        return result

    def principles(self, root: dict, level_keys: list[str], pillars: list[dict]) -> list[dict]:
        pillar_keys = [pillar["key"] for pillar in pillars if pillar["key"]]
        seen: dict[str, str] = {}
        result = []
        for path, item in self.items(root, "principles", "", non_empty=True):
            entry = self.mapping(item, path, ("key", "pillar", "name", "summary"), ("levels", "questions"))
            if entry is None:
                continue
            levels: list[str] = []
            for level_path, level in self.items(entry, "levels", path):
                key = self.reference(level, level_path, level_keys, "level")
                if key in levels:
                    self.problem(level_path, f"level '{key}' is listed twice")
                elif key:
                    levels.append(key)
            result.append(
                {
                    "key": self.own_key(entry, path, seen),
                    "pillar": self.reference(entry["pillar"], f"{path}.pillar", pillar_keys, "pillar")
                    if "pillar" in entry
                    else "",
                    "name": self.text(entry, "name", path, max_length=200),
                    "levels": levels,
                    "summary": self.text(entry, "summary", path),
                    "questions": self.texts(entry, "questions", path),
                }
            )
        return result

    def characteristics(self, root: dict) -> dict:
        if "characteristics" not in root:
            return {}
        groups = self.mapping(root["characteristics"], "characteristics", ("protected",), ("additional",))
        if groups is None:
            return {}
        seen: dict[str, str] = {}
        subgroup_keys: dict[str, str] = {}
        result: dict[str, list[dict]] = {}
        for kind in Characteristic.Kind.values:
            result[kind] = []
            for path, item in self.items(groups, kind, "characteristics", non_empty=kind == "protected"):
                entry = self.mapping(item, path, ("key", "name"), ("guidance", "breakdown"))
                if entry is None:
                    continue
                result[kind].append(
                    {
                        "key": self.own_key(entry, path, seen),
                        "name": self.text(entry, "name", path, max_length=200),
                        "guidance": self.text(entry, "guidance", path, required=False),
                        "breakdown": self.breakdown(entry["breakdown"], f"{path}.breakdown", subgroup_keys)
                        if "breakdown" in entry
                        else None,
                    }
                )
        return result

    def breakdown(self, value: Any, path: str, seen: dict[str, str]) -> dict | None:
        """The finer groups a characteristic may be assessed by, in their high-level categories."""
        entry = self.mapping(value, path, ("name", "categories"))
        if entry is None:
            return None
        categories = []
        for category_path, item in self.items(entry, "categories", path, non_empty=True):
            category = self.mapping(item, category_path, ("name", "groups"))
            if category is None:
                continue
            groups = []
            for group_path, group in self.items(category, "groups", category_path, non_empty=True):
                row = self.mapping(group, group_path, ("key", "name"))
                if row is not None:
                    groups.append(
                        {
                            "key": self.own_key(row, group_path, seen),
                            "name": self.text(row, "name", group_path, max_length=200),
                        }
                    )
            categories.append(
                {"name": self.text(category, "name", category_path, max_length=200), "groups": groups}
            )
        return {"name": self.text(entry, "name", path, max_length=200), "categories": categories}

    def scale(
        self, value: Any, path: str, scale: Scale, *, label: str = "label", plain: bool = False
    ) -> list:
        """A scale's options; its keys must be exactly the code's keys for that scale."""
        if not isinstance(value, list):
            self.problem(path, f"expected a list, found {_describe(value)}")
            return []
        seen: dict[str, str] = {}
        result = []
        optional = () if scale in (Scale.PSED_AIM, Scale.ACTIVITY_TYPE) else ("requires",)
        for index, item in enumerate(value):
            item_path = f"{path}[{index}]"
            if plain and isinstance(item, str):
                entry = {"key": item, label: humanise_key(item)}
            else:
                entry = self.mapping(item, item_path, ("key", label), optional)
                if entry is None:
                    continue
            row = {
                "key": self.own_key(entry, item_path, seen),
                "label": self.text(entry, label, item_path, max_length=OPTION_LABEL_LENGTH),
                "requires": [],
            }
            for requirement_path, requirement in self.items(entry, "requires", item_path):
                known = Requirement.values
                key = self.reference(requirement, requirement_path, known, "requirement")
                if key and key not in row["requires"]:
                    row["requires"].append(key)
            result.append(row)
        expected = code_keys(scale)
        found = [row["key"] for row in result if row["key"]]
        missing = [key for key in expected if key not in found]
        extra = [key for key in found if key not in expected]
        if missing or extra:
            parts = []
            if missing:
                parts.append("missing " + ", ".join(f"'{key}'" for key in missing))
            if extra:
                parts.append("not in the code " + ", ".join(f"'{key}'" for key in extra))
            self.problem(
                path,
                f"keys differ from the code's: {'; '.join(parts)} (the code expects: {', '.join(expected)})",
            )
        if scale in (Scale.PSED_AIM, Scale.ACTIVITY_TYPE):
            for row in result:
                del row["requires"]
        return result

    def template(self, root: dict) -> list[dict]:
        sections: list[dict] = []
        section_keys: dict[str, str] = {}
        question_keys: dict[str, str] = {}
        structured_by: dict[str, str] = {}
        for path, item in self.items(root, "eia_template", "", non_empty=True):
            entry = self.mapping(
                item, path, ("key", "title", "purpose"), ("guidance", "structured", "questions")
            )
            if entry is None:
                continue
            structured = self.choice(entry, "structured", path, StructuredPart.values, "structured part")
            if structured in structured_by:
                self.problem(
                    f"{path}.structured",
                    f"structured part '{structured}' is already held by {structured_by[structured]}",
                )
            elif structured:
                structured_by[structured] = path
            sections.append(
                {
                    "key": self.own_key(entry, path, section_keys),
                    "title": self.text(entry, "title", path, max_length=200),
                    "purpose": self.text(entry, "purpose", path),
                    "guidance": self.text(entry, "guidance", path, required=False),
                    "structured": structured,
                    "questions": [
                        self.question(question, question_path, question_keys)
                        for question_path, question in self.items(entry, "questions", path)
                    ],
                }
            )
        return sections

    def question(self, item: Any, path: str, seen: dict[str, str]) -> dict:
        entry = self.mapping(
            item, path, ("key", "text", "type"), ("help", "guidance", "options", "options_from", "required")
        )
        if entry is None:
            return {}
        question_type = self.choice(entry, "type", path, Question.Type.values, "question type", required=True)
        options: list[str] = []
        for option_path, option in self.items(entry, "options", path):
            key = self.key_value(option, option_path)
            if key in options:
                self.problem(option_path, f"option '{key}' is listed twice")
            elif key:
                options.append(key)
        options_from = self.choice(entry, "options_from", path, Question.OptionsFrom.values, "options source")
        if question_type in Question.CHOICE_TYPES and not options and not options_from:
            self.problem(path, f"a {question_type} question needs 'options' or 'options_from'")
        elif question_type in Question.CHOICE_TYPES and options and options_from:
            self.problem(path, "give either 'options' or 'options_from', not both")
        elif question_type and question_type not in Question.CHOICE_TYPES and (options or options_from):
            self.problem(path, f"a {question_type} question has no options")
        return {
            "key": self.own_key(entry, path, seen),
            "text": self.text(entry, "text", path),
            "help": self.text(entry, "help", path, required=False),
            "type": question_type,
            "options": options,
            "options_from": options_from,
            "required": self.boolean(entry, "required", path),
            "guidance": self.text(entry, "guidance", path, required=False),
        }
