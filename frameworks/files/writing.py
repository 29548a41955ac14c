"""Writing framework versions as framework files (the reverse of ``frameworks.files.reading``)."""

from __future__ import annotations

import yaml

from frameworks.files.reading import RATING_SCALES, clean_text
from frameworks.models import (
    Characteristic,
    FrameworkVersion,
    Level,
    Pillar,
    Principle,
    ScaleOption,
    Section,
    Subgroup,
    humanise_key,
)
from frameworks.scales import Scale

FILE_HEADER = (
    "# Thrive EDI framework file: {name} {version}.\n# Load it with: python manage.py import_framework FILE\n"
)


def framework_data(version: FrameworkVersion) -> dict:
    """A version read from the database in canonical form (a fixed number of queries)."""
    principles = Principle.objects.filter(version=version).select_related("pillar").prefetch_related("levels")
    sections = Section.objects.filter(version=version).prefetch_related("questions")
    options_by_scale: dict[str, list[dict]] = {scale: [] for scale in Scale.values}
    for option in ScaleOption.objects.filter(version=version).order_by("scale", "order", "pk"):
        options_by_scale[option.scale].append(
            {"key": option.key, "label": clean_text(option.label), "requires": list(option.requires)}
        )
    for scale in (Scale.PSED_AIM, Scale.ACTIVITY_TYPE):
        for row in options_by_scale[scale]:
            del row["requires"]
    characteristics: dict[str, list[dict]] = {kind: [] for kind in Characteristic.Kind.values}
    subgroups: dict[int, list[Subgroup]] = {}
    for subgroup in Subgroup.objects.filter(version=version):
        subgroups.setdefault(subgroup.characteristic_id, []).append(subgroup)
    for characteristic in Characteristic.objects.filter(version=version):
        characteristics[characteristic.kind].append(
            {
                "key": characteristic.key,
                "name": clean_text(characteristic.name),
                "guidance": clean_text(characteristic.guidance),
                "breakdown": _breakdown(characteristic, subgroups.get(characteristic.pk, [])),
            }
        )
    return {
        "framework": {
            "name": clean_text(version.name),
            "version": clean_text(version.label),
            "aligned_with": clean_text(version.aligned_with),
            "summary": clean_text(version.summary),
        },
        "levels": [
            {"key": lv.key, "name": clean_text(lv.name)} for lv in Level.objects.filter(version=version)
        ],
        "pillars": [
            {"key": pillar.key, "name": clean_text(pillar.name), "summary": clean_text(pillar.summary)}
            for pillar in Pillar.objects.filter(version=version)
        ],
        "principles": [
            {
                "key": principle.key,
                "pillar": principle.pillar.key,
                "name": clean_text(principle.name),
                "levels": [
                    level.key for level in sorted(principle.levels.all(), key=lambda lv: (lv.order, lv.pk))
                ],
                "summary": clean_text(principle.summary),
                "questions": [clean_text(question) for question in principle.guiding_questions],
            }
            for principle in principles
        ],
        "characteristics": characteristics,
        "scales": {str(scale): options_by_scale[scale] for scale in RATING_SCALES},
        "psed_aims": options_by_scale[Scale.PSED_AIM],
        "decisions": options_by_scale[Scale.DECISION],
        "activity_types": options_by_scale[Scale.ACTIVITY_TYPE],
        "eia_template": [
            {
                "key": section.key,
                "title": clean_text(section.title),
                "purpose": clean_text(section.purpose),
                "guidance": clean_text(section.guidance),
                "structured": section.structured,
                "questions": [
                    {
                        "key": question.key,
                        "text": clean_text(question.text),
                        "help": clean_text(question.help),
                        "type": question.type,
                        "options": list(question.options),
                        "options_from": question.options_from,
                        "required": question.required,
                        "guidance": clean_text(question.guidance),
                    }
                    for question in section.questions.all()
                ],
            }
            for section in sections
        ],
    }


def _breakdown(characteristic: Characteristic, subgroups: list[Subgroup]) -> dict | None:
    """The characteristic's finer groups in canonical form, in their categories' order."""
    if not characteristic.breakdown and not subgroups:
        return None
    categories: dict[str, list[dict]] = {}
    for subgroup in subgroups:
        categories.setdefault(clean_text(subgroup.category), []).append(
            {"key": subgroup.key, "name": clean_text(subgroup.name)}
        )
    return {
        "name": clean_text(characteristic.breakdown),
        "categories": [{"name": name, "groups": groups} for name, groups in categories.items()],
    }


def _compact(row: dict, keep: tuple[str, ...] = ("key",)) -> dict:
    """A row without its empty optional fields, as a person would write it."""
    return {field: value for field, value in row.items() if field in keep or value not in ("", [], None)}


def file_shape(data: dict) -> dict:
    """Canonical data in the shape of a file: what ``check_framework_data`` reads."""
    activity_types: list = data["activity_types"]
    if all(row["label"] == humanise_key(row["key"]) for row in activity_types):
        activity_types = [row["key"] for row in activity_types]
    return {
        "framework": _compact(data["framework"], keep=("name", "version")),
        "levels": data["levels"],
        "pillars": [_compact(pillar) for pillar in data["pillars"]],
        "principles": [
            _compact(principle, keep=("key", "levels", "questions")) for principle in data["principles"]
        ],
        "characteristics": {
            kind: [_compact(row) for row in rows] for kind, rows in data["characteristics"].items()
        },
        "scales": {scale: [_compact(row) for row in rows] for scale, rows in data["scales"].items()},
        "psed_aims": [{"key": row["key"], "name": row["label"]} for row in data["psed_aims"]],
        "decisions": [_compact(row) for row in data["decisions"]],
        "activity_types": activity_types,
        "eia_template": [
            {
                **_compact({k: v for k, v in section.items() if k != "questions"}),
                "questions": [
                    _compact(question, keep=("key", "required")) for question in section["questions"]
                ],
            }
            for section in data["eia_template"]
        ],
    }


class _IndentedDumper(yaml.SafeDumper):
    """Indents list items under their key, as people write YAML by hand."""

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


def dump_framework_file(data: dict) -> str:
    """Canonical data as the text of a framework file."""
    header = FILE_HEADER.format(name=data["framework"]["name"], version=data["framework"]["version"])
    body = yaml.dump(
        file_shape(data),
        Dumper=_IndentedDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=1_000_000,  # one value per line: readable diffs
    )
    return header + body
