"""Every change to framework versions that has a rule: import, copy, publish, freeze.

Keyword-only functions, one transaction each. The assessments app calls
``framework_version_freeze`` when the first assessment using a version is submitted.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from frameworks.files import (
    FrameworkFileError,
    check_framework_data,
    dump_framework_file,
    file_shape,
    framework_data,
    read_framework_file,
)
from frameworks.models import (
    Characteristic,
    FrameworkVersion,
    Level,
    Pillar,
    Principle,
    Question,
    ScaleOption,
    Section,
    Subgroup,
    VersionStateError,
)
from frameworks.scales import SCALE_KEYS, Scale
from frameworks.selectors import version_options_forget

DEFAULT_FRAMEWORK_FILE = Path(__file__).resolve().parent / "data" / "thrive-edi-2022-23.yaml"
ORDER_STEP = 10  # gaps between positions, so admins can slot a row in between

PUBLISH_ONLY_DRAFTS = "Only a draft version can be published; this one is {status}."
PUBLISH_INCOMPLETE = "This version cannot be published until these problems are fixed:"
LABEL_TAKEN = "a version labelled '{label}' already exists; choose another version label"


@transaction.atomic
def framework_import(
    *,
    data: str | bytes | dict | None = None,
    path: str | os.PathLike | None = None,
    source: str | None = None,
    label: str | None = None,
) -> FrameworkVersion:
    """Load a framework file (``path``), its text or its parsed data (``data``) as a new draft.

    ``label`` replaces the file's version label. All or nothing: a file with any problem
    loads nothing and raises FrameworkFileError, naming the file, the key path and the problem.
    """
    if (data is None) == (path is None):
        raise TypeError("framework_import needs either data or path.")
    if path is not None:
        source = source or str(path)
        try:
            data = Path(path).read_bytes()
        except OSError as error:
            raise FrameworkFileError(source, [("", f"cannot be read: {error.strerror}")]) from None
    source = source or "<framework data>"
    if isinstance(data, str | bytes):
        canonical = read_framework_file(data, source=source)
    else:
        canonical = check_framework_data(data, source=source)
    if label is not None:
        canonical["framework"]["version"] = _checked_label(label, source=source)
    return _version_create(data=canonical, source=source)


def framework_export(*, version: FrameworkVersion) -> str:
    """The version as the text of a framework file (``framework_import`` reads it back)."""
    return dump_framework_file(framework_data(version))


@transaction.atomic
def framework_version_copy(*, version: FrameworkVersion, label: str | None = None) -> FrameworkVersion:
    """A deep copy of a version as a new, unfrozen draft; ``label`` defaults to "<label> (copy)"."""
    data = framework_data(version)
    data["framework"]["version"] = label or _free_copy_label(version.label)
    copy = _version_create(data=data, source=f"copy of {version}")
    FrameworkVersion.objects.filter(pk=copy.pk).update(copied_from=version)
    copy.copied_from = version
    return copy


@transaction.atomic
def framework_version_publish(*, version: FrameworkVersion) -> FrameworkVersion:
    """Make a draft the current version; the previously current one is retired (and stays readable)."""
    locked = list(
        FrameworkVersion.objects.select_for_update()
        .filter(Q(pk=version.pk) | Q(status=FrameworkVersion.Status.PUBLISHED))
        .order_by("pk")
    )
    target = next(candidate for candidate in locked if candidate.pk == version.pk)
    if not target.is_draft:
        raise VersionStateError(
            PUBLISH_ONLY_DRAFTS.format(status=target.get_status_display().lower()), code="not_draft"
        )
    problems = framework_version_problems(version=target)
    if problems:
        raise VersionStateError([PUBLISH_INCOMPLETE, *problems], code="incomplete")
    FrameworkVersion.objects.filter(status=FrameworkVersion.Status.PUBLISHED).update(
        status=FrameworkVersion.Status.RETIRED
    )
    now = timezone.now()
    FrameworkVersion.objects.filter(pk=target.pk).update(
        status=FrameworkVersion.Status.PUBLISHED, published_at=now
    )
    version.status, version.published_at = FrameworkVersion.Status.PUBLISHED, now
    version_options_forget()  # written by update(), which sends no signal
    return version


@transaction.atomic
def framework_version_freeze(*, version: FrameworkVersion) -> FrameworkVersion:
    """Freeze a version for good: called when the first assessment using it is submitted.

    Idempotent: freezing a frozen version keeps its first freezing time.
    """
    FrameworkVersion.objects.filter(pk=version.pk, frozen_at__isnull=True).update(frozen_at=timezone.now())
    version.frozen_at = FrameworkVersion.objects.values_list("frozen_at", flat=True).get(pk=version.pk)
    return version


@transaction.atomic
def framework_version_fill_scales(*, version: FrameworkVersion) -> int:
    """Give a version every fixed scale key it lacks, worded as in the code. Returns how many it added.

    A version made from scratch (rather than imported or copied) starts with the code's wording,
    which admins may then change.
    """
    existing = set(ScaleOption.objects.filter(version=version).values_list("scale", "key"))
    missing = [
        ScaleOption(version=version, scale=scale, key=key, label=label, order=ORDER_STEP * (index + 1))
        for scale, choices in SCALE_KEYS.items()
        for index, (key, label) in enumerate(choices.choices)
        if (scale.value, key) not in existing
    ]
    ScaleOption.objects.bulk_create(missing)
    return len(missing)


def framework_version_problems(*, version: FrameworkVersion) -> list[str]:
    """What stops a version from being published: the checks an imported file must pass."""
    try:
        check_framework_data(file_shape(framework_data(version)), source=str(version))
    except FrameworkFileError as error:
        return [f"{path}: {problem}" if path else problem for path, problem in error.problems]
    return []


def framework_load_default() -> FrameworkVersion | None:
    """On a fresh install (no version at all), load the default framework and publish it."""
    with transaction.atomic():
        if FrameworkVersion.objects.exists():
            return None
        version = _version_create(data=_default_data(), source=str(DEFAULT_FRAMEWORK_FILE))
        return framework_version_publish(version=version)


@functools.cache
def _default_data() -> dict:
    # Read once per process: the test database is flushed, and the default reloaded, many times.
    return read_framework_file(DEFAULT_FRAMEWORK_FILE.read_bytes(), source=str(DEFAULT_FRAMEWORK_FILE))


def _checked_label(label: str, *, source: str) -> str:
    label = label.strip()
    limit = FrameworkVersion._meta.get_field("label").max_length
    if not label or len(label) > limit:
        raise FrameworkFileError(
            source, [("framework.version", f"the version label must be 1 to {limit} characters")]
        )
    return label


def _free_copy_label(label: str) -> str:
    limit = FrameworkVersion._meta.get_field("label").max_length
    base = label[: limit - len(" (copy 999)")]
    taken = set(FrameworkVersion.objects.filter(label__startswith=base).values_list("label", flat=True))
    candidate, number = f"{base} (copy)", 2
    while candidate in taken:
        candidate, number = f"{base} (copy {number})", number + 1
    return candidate


def _version_create(*, data: dict, source: str) -> FrameworkVersion:
    """Create a draft version from canonical data, in bulk (a fixed number of queries)."""
    header = data["framework"]
    if FrameworkVersion.objects.filter(label=header["version"]).exists():
        raise FrameworkFileError(source, [("framework.version", LABEL_TAKEN.format(label=header["version"]))])
    version = FrameworkVersion.objects.create(
        name=header["name"],
        label=header["version"],
        aligned_with=header["aligned_with"],
        summary=header["summary"],
    )
    levels = Level.objects.bulk_create(
        Level(version=version, key=row["key"], name=row["name"], order=ORDER_STEP * (index + 1))
        for index, row in enumerate(data["levels"])
    )
    pillars = Pillar.objects.bulk_create(
        Pillar(
            version=version,
            key=row["key"],
            name=row["name"],
            summary=row["summary"],
            order=ORDER_STEP * (i + 1),
        )
        for i, row in enumerate(data["pillars"])
    )
    level_by_key = {level.key: level for level in levels}
    pillar_by_key = {pillar.key: pillar for pillar in pillars}
    principles = Principle.objects.bulk_create(
        Principle(
            version=version,
            key=row["key"],
            name=row["name"],
            pillar=pillar_by_key[row["pillar"]],
            summary=row["summary"],
            guiding_questions=row["questions"],
            order=ORDER_STEP * (index + 1),
        )
        for index, row in enumerate(data["principles"])
    )
    Principle.levels.through.objects.bulk_create(
        Principle.levels.through(principle_id=principle.pk, level_id=level_by_key[key].pk)
        for principle, row in zip(principles, data["principles"], strict=True)
        for key in row["levels"]
    )
    characteristic_rows = [(kind, row) for kind, rows in data["characteristics"].items() for row in rows]
    characteristics = Characteristic.objects.bulk_create(
        Characteristic(
            version=version,
            kind=kind,
            order=ORDER_STEP * (index + 1),
            breakdown=(row.get("breakdown") or {}).get("name", ""),
            **{field: value for field, value in row.items() if field != "breakdown"},
        )
        for kind, rows in data["characteristics"].items()
        for index, row in enumerate(rows)
    )
    Subgroup.objects.bulk_create(
        Subgroup(
            version=version,
            characteristic=characteristic,
            category=category["name"],
            key=group["key"],
            name=group["name"],
            order=ORDER_STEP * (index + 1),
        )
        for characteristic, (_kind, row) in zip(characteristics, characteristic_rows, strict=True)
        for index, (category, group) in enumerate(
            (category, group)
            for category in (row.get("breakdown") or {}).get("categories", [])
            for group in category["groups"]
        )
    )
    sections = Section.objects.bulk_create(
        Section(
            version=version,
            order=ORDER_STEP * (index + 1),
            **{field: value for field, value in row.items() if field != "questions"},
        )
        for index, row in enumerate(data["eia_template"])
    )
    Question.objects.bulk_create(
        Question(version=version, section=section, order=ORDER_STEP * (index + 1), **question)
        for section, row in zip(sections, data["eia_template"], strict=True)
        for index, question in enumerate(row["questions"])
    )
    scale_rows = [*((Scale(name), rows) for name, rows in data["scales"].items())]
    scale_rows += [
        (Scale.PSED_AIM, data["psed_aims"]),
        (Scale.DECISION, data["decisions"]),
        (Scale.ACTIVITY_TYPE, data["activity_types"]),
    ]
    ScaleOption.objects.bulk_create(
        ScaleOption(
            version=version,
            scale=scale,
            key=row["key"],
            label=row["label"],
            requires=row.get("requires", []),
            order=ORDER_STEP * (index + 1),
        )
        for scale, rows in scale_rows
        for index, row in enumerate(rows)
    )
    return version
