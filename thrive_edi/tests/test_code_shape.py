"""The shape the code keeps: modules a reader can hold in mind, and no reach into the ORM's
private attributes (Django's own loading tools do what they did)."""

from pathlib import Path

from django.conf import settings

LONGEST_MODULE = 500
PRIVATE_ORM = ("_result_cache", "_prefetch_done", "_prefetched_objects_cache", "_state.fields_cache")
ROOT = Path(settings.BASE_DIR)


def _modules() -> list[Path]:
    """The project's own Python modules, without migrations and tests."""
    skipped = {".venv", "node_modules", "migrations", "tests", ".git"}
    return [path for path in ROOT.rglob("*.py") if not skipped.intersection(path.relative_to(ROOT).parts)]


def test_the_modules_are_found():
    names = {str(path.relative_to(ROOT)) for path in _modules()}
    assert {"assessments/views/assessment.py", "bench/run.py", "manage.py"} <= names


def test_no_module_is_longer_than_a_reader_can_hold():
    long = {
        str(path.relative_to(ROOT)): lines
        for path in _modules()
        if (lines := len(path.read_text().splitlines())) > LONGEST_MODULE
    }
    assert not long, f"modules over {LONGEST_MODULE} lines: {long}"


def test_no_module_reaches_into_the_orms_private_attributes():
    found = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in _modules()
        for name in PRIVATE_ORM
        if name in path.read_text()
    ]
    assert not found, found
