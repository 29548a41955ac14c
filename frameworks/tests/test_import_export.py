from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command
from django.db import DatabaseError

from frameworks.files import FrameworkFileError, framework_data
from frameworks.models import FrameworkVersion, ScaleOption, VersionContentQuerySet
from frameworks.scales import Scale
from frameworks.services import (
    DEFAULT_FRAMEWORK_FILE,
    framework_export,
    framework_import,
    framework_version_copy,
)
from frameworks.tests.helpers import frameworks_counts, frameworks_snapshot

pytestmark = pytest.mark.django_db

DEFAULT_TEXT = DEFAULT_FRAMEWORK_FILE.read_text(encoding="utf-8")


def _stripped(value):
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, list):
        return [_stripped(item) for item in value]
    if isinstance(value, dict):
        return {key: _stripped(item) for key, item in value.items()}
    return value


def test_the_export_of_the_default_framework_holds_the_content_of_its_file(current_version):
    exported = yaml.safe_load(framework_export(version=current_version))
    assert exported == _stripped(yaml.safe_load(DEFAULT_TEXT))


def test_export_then_import_then_export_gives_identical_files(current_version):
    draft = framework_version_copy(version=current_version, label="2030/31")
    first = framework_export(version=draft)
    draft.delete()
    imported = framework_import(data=first)
    assert imported.label == "2030/31" and imported.is_draft
    assert framework_export(version=imported) == first


def test_edited_wording_and_optional_fields_survive_the_round_trip(current_version):
    draft = framework_version_copy(version=current_version, label="2031/32")
    ScaleOption.objects.filter(version=draft, scale=Scale.ACTIVITY_TYPE, key="fund_round").update(
        label="Grant round"
    )
    ScaleOption.objects.filter(version=draft, scale=Scale.DECISION, key="stop").update(
        requires=["justification"]
    )
    draft.sections.filter(key="about").update(guidance="Keep it short.\nOne paragraph is enough.")
    draft.questions.filter(key="aims").update(help="Say who, and by when.")
    draft.principles.filter(key="equity").update(guiding_questions=[])
    first = framework_export(version=draft)
    draft.delete()
    imported = framework_import(data=first, source="edited.yaml")
    assert framework_export(version=imported) == first
    assert imported.labels(Scale.ACTIVITY_TYPE)["fund_round"] == "Grant round"
    assert imported.requirements(Scale.DECISION)["stop"] == ["justification"]
    assert imported.sections.get(key="about").guidance == "Keep it short.\nOne paragraph is enough."
    assert imported.questions.get(key="aims").help == "Say who, and by when."


def test_the_commands_export_and_import_a_version_through_files(current_version, tmp_path):
    first, second = tmp_path / "first.yaml", tmp_path / "second.yaml"
    call_command("export_framework", "2022/23", "-o", str(first), stderr=_Sink())
    call_command("import_framework", str(first), "--label", "2023/24", stdout=_Sink())
    imported = FrameworkVersion.objects.get(label="2023/24")
    assert imported.is_draft
    call_command("export_framework", "2023/24", "--output", str(second), stderr=_Sink())
    assert second.read_text().replace("2023/24", "2022/23") == first.read_text()
    original, copy = framework_data(current_version), framework_data(imported)
    original["framework"].pop("version"), copy["framework"].pop("version")
    assert copy == original


def test_the_import_command_says_what_it_loaded_and_can_publish(current_version, tmp_path):
    path = tmp_path / "next.yaml"
    path.write_text(DEFAULT_TEXT.replace('version: "2022/23"', 'version: "2026/27"'))
    out = _Sink()
    call_command("import_framework", str(path), "--publish", stdout=out)
    assert "Loaded Thrive LDN EDI Framework 2026/27 published as the current version" in out.text
    assert "8 principles, 9 protected characteristics, 15 additional groups, 10 sections" in out.text
    assert FrameworkVersion.objects.current().label == "2026/27"


def test_the_export_command_writes_the_current_version_to_standard_output(current_version):
    out = _Sink()
    call_command("export_framework", "current", stdout=out)
    assert out.text == framework_export(version=current_version)
    out = _Sink()
    call_command("export_framework", str(current_version.pk), stdout=out)
    assert out.text == framework_export(version=current_version)


def test_exporting_an_unknown_version_names_the_versions_there_are(current_version):
    with pytest.raises(CommandError, match=r"No framework version '1999'. Versions: 2022/23."):
        call_command("export_framework", "1999")


# Bad files: each is refused as a whole, with a message that names the file, the key path and
# the problem, and leaves the database as it was.

BAD_FILES = {
    "unknown key": (
        (
            "  - {key: individuals, name: Individuals}",
            "  - {key: individuals, name: Individuals, colour: purple}",
        ),
        "levels[0].colour: unknown key 'colour' (allowed here: key, name)",
    ),
    "duplicate key": (
        ("  - key: participation\n    pillar: enabler", "  - key: equity\n    pillar: enabler"),
        "principles[1].key: duplicate key 'equity': principles[0] already uses it",
    ),
    "duplicate key in one mapping": (
        ("{key: age, name: Age, guidance:", "{key: age, name: Age, name: Years, guidance:"),
        "invalid YAML at line 110, column 29: duplicate key 'name'",
    ),
    "missing required field": (
        ("    pillar: enabler\n    name: Equity\n", "    pillar: enabler\n"),
        "principles[0]: missing required field 'name'",
    ),
    "bad type (text for yes/no)": (
        (
            'this activity?", type: long_text, required: true}',
            'this activity?", type: long_text, required: perhaps}',
        ),
        "eia_template[0].questions[0].required: expected true or false, found text ('perhaps')",
    ),
    "bad type (number for text)": (
        ('version: "2022/23"', "version: 2023"),
        "framework.version: expected text, found a number (2023) (put it in quotes to use it as text)",
    ),
    "unknown level": (
        (
            "    name: Equity\n    levels: [communities, systems]",
            "    name: Equity\n    levels: [communities, citizens]",
        ),
        "principles[0].levels[1]: unknown level 'citizens' (known levels: individuals, communities, systems)",
    ),
    "unknown pillar": (
        ("  - key: equity\n    pillar: enabler", "  - key: equity\n    pillar: enablers"),
        "principles[0].pillar: unknown pillar 'enablers' (known pillars: enabler, direct_action)",
    ),
    "scale keys differ from the code's": (
        ("{key: unknown, label: Unknown,", "{key: not_known, label: Unknown,"),
        "scales.impact: keys differ from the code's: missing 'unknown'; not in the code 'not_known' "
        "(the code expects: significant_positive, positive, neutral, negative, "
        "significant_negative, unknown)",
    ),
    "PSED aims differ from the code's": (
        ("  - {key: foster_good_relations, name: Foster good relations}\n", ""),
        "psed_aims: keys differ from the code's: missing 'foster_good_relations'",
    ),
    "invalid YAML syntax": (
        (
            "    name: Equity\n    levels: [communities, systems]",
            "    name: Equity\n    levels: [communities, systems",
        ),
        "invalid YAML at line 43, column 12",
    ),
    "unknown question type": (
        ('this activity?", type: long_text,', 'this activity?", type: essay,'),
        "eia_template[0].questions[0].type: unknown question type 'essay' (known question types: short_text",
    ),
    "empty question type": (
        ('this activity?", type: long_text,', 'this activity?", type: "",'),
        "eia_template[0].questions[0].type: is empty: expected one of short_text, long_text",
    ),
    "choice question without options": (
        ("type: choice, options: [new, changed, existing], required", "type: choice, required"),
        "eia_template[0].questions[2]: a choice question needs 'options' or 'options_from'",
    ),
    "invalid key": (
        ("- {key: age, name: Age,", "- {key: Age group, name: Age,"),
        "characteristics.protected[0].key: 'Age group' is not a valid key: use lower-case letters",
    ),
    "structured part held twice": (
        ("structured: impact_grid ", "structured: participation_log "),
        "eia_template[3].structured: structured part 'participation_log' is already held by eia_template[2]",
    ),
    "unknown requirement": (
        ("label: Unknown, requires: [evidence_action]}", "label: Unknown, requires: [apology]}"),
        "scales.impact[5].requires[0]: unknown requirement 'apology' (known requirements: action, ",
    ),
    "missing top-level entry": (
        ("activity_types: [policy,", "activity_kinds: [policy,"),
        "(top level): missing required field 'activity_types'",
    ),
    "a key that is not text": (
        ("  - {key: individuals, name: Individuals}", "  - {key: individuals, name: Individuals, 1: one}"),
        "levels[0].1: unknown key '1' (allowed here: key, name)",
    ),
    "empty guiding question": (
        ("      - Who decides, and who holds the budget?", '      - " "'),
        "principles[5].questions[0]: is empty: expected text",
    ),
    "duplicate version label": (
        ("", ""),
        "framework.version: a version labelled '2022/23' already exists; choose another version label",
    ),
}


@pytest.mark.parametrize("mistake", BAD_FILES)
def test_a_bad_file_loads_nothing_and_says_where_and_what_is_wrong(current_version, tmp_path, mistake):
    (old, new), expected = BAD_FILES[mistake]
    assert DEFAULT_TEXT.count(old) == 1 or old == ""
    path = tmp_path / "bad-framework.yaml"
    path.write_text(DEFAULT_TEXT.replace(old, new, 1) if old else DEFAULT_TEXT, encoding="utf-8")
    before = frameworks_snapshot()
    with pytest.raises(FrameworkFileError) as caught:
        framework_import(path=path)
    assert f"{path}: {expected}" in str(caught.value)
    assert frameworks_snapshot() == before


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("- just\n- a list\n", "expected a mapping of fields, found a list"),
        ("", "expected a mapping of fields, found an empty value"),
        ("framework: [", "invalid YAML at line 2, column 1: did not find expected node content"),
    ],
)
def test_a_file_that_is_not_a_framework_at_all_is_refused(current_version, text, expected):
    before = frameworks_counts()
    with pytest.raises(FrameworkFileError, match=expected):
        framework_import(data=text, source="odd.yaml")
    assert frameworks_counts() == before


def test_every_problem_of_a_file_is_reported_at_once(current_version):
    text = DEFAULT_TEXT.replace(
        "  - key: equity\n    pillar: enabler", "  - key: equity\n    pillar: enablers"
    )
    text = text.replace("{key: unknown, label: Unknown,", "{key: not_known, label: Unknown,")
    with pytest.raises(FrameworkFileError) as caught:
        framework_import(data=text, source="two-mistakes.yaml", label="2099")
    assert [path for path, _ in caught.value.problems] == ["principles[0].pillar", "scales.impact"]


def test_the_import_command_refuses_a_bad_file_and_names_it(current_version, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(DEFAULT_TEXT.replace("{key: individuals, name: Individuals}", "{key: individuals}"))
    before = frameworks_snapshot()
    with pytest.raises(CommandError) as caught:
        call_command("import_framework", str(path), "--label", "2040/41")
    assert str(caught.value) == f"Nothing was loaded.\n{path}: levels[0]: missing required field 'name'"
    assert frameworks_snapshot() == before


@pytest.mark.parametrize("label", ["", "   ", "x" * 51])
def test_a_replacement_label_must_fit(current_version, label):
    before = frameworks_counts()
    with pytest.raises(FrameworkFileError, match="the version label must be 1 to 50 characters"):
        framework_import(data=DEFAULT_TEXT, label=label)
    assert frameworks_counts() == before


def test_a_missing_file_is_refused_with_its_name(current_version, tmp_path):
    missing = tmp_path / "nowhere.yaml"
    with pytest.raises(FrameworkFileError, match=f"{missing}: cannot be read: No such file or directory"):
        framework_import(path=missing)


def test_a_failure_half_way_through_loading_leaves_nothing_behind(current_version, monkeypatch):
    original = VersionContentQuerySet.bulk_create

    def failing_bulk_create(queryset, objs, *args, **kwargs):
        if queryset.model is ScaleOption:
            raise DatabaseError("the disk is full")
        return original(queryset, objs, *args, **kwargs)

    monkeypatch.setattr(VersionContentQuerySet, "bulk_create", failing_bulk_create)
    before = frameworks_snapshot()
    with pytest.raises(DatabaseError):
        framework_import(data=DEFAULT_TEXT, label="2050/51")
    assert frameworks_snapshot() == before


def test_the_projects_copy_of_the_default_framework_is_a_valid_framework_file():
    assert Path(DEFAULT_FRAMEWORK_FILE).name == "thrive-edi-2022-23.yaml"
    from frameworks.files import read_framework_file

    data = read_framework_file(DEFAULT_TEXT, source="default")
    assert data["framework"]["version"] == "2022/23"
    assert len(data["characteristics"]["protected"]) == 9


class _Sink:
    """A stream for a command's output."""

    def __init__(self):
        self.text = ""

    def write(self, text):
        self.text += text

    def flush(self):
        pass
