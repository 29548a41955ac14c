import pytest

from frameworks.models import FrameworkVersion
from frameworks.services import framework_version_copy, framework_version_freeze


@pytest.fixture
def current_version(db) -> FrameworkVersion:
    """The default framework, loaded and published on every fresh database."""
    return FrameworkVersion.objects.current()


@pytest.fixture
def frozen_version(current_version) -> FrameworkVersion:
    return framework_version_freeze(version=current_version)


@pytest.fixture
def draft_version(current_version) -> FrameworkVersion:
    return framework_version_copy(version=current_version, label="2024/25")
