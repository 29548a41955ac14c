"""The EDI Framework and the EIA template, as versioned data.

A FrameworkVersion holds everything an assessment is carried out against: principles,
characteristics, the template's sections and questions, and the wording of the fixed scales.
Exactly one version is published (current) at a time; new assessments use it. Once an
assessment has been submitted against a version, the version is frozen: neither it nor
anything in it may change or be deleted, whichever way the change is attempted.
"""

from frameworks.models.content import (
    Characteristic,
    Level,
    Pillar,
    Principle,
    Question,
    ScaleOption,
    Section,
    Subgroup,
)
from frameworks.models.versions import (
    DELETE_CURRENT_MESSAGE,
    FROZEN_MESSAGE,
    FrameworkVersion,
    FrameworkVersionQuerySet,
    FrozenVersionError,
    VersionContent,
    VersionContentQuerySet,
    VersionStateError,
    humanise_key,
    key_validator,
)

__all__ = [
    "DELETE_CURRENT_MESSAGE",
    "FROZEN_MESSAGE",
    "Characteristic",
    "FrameworkVersion",
    "FrameworkVersionQuerySet",
    "FrozenVersionError",
    "Level",
    "Pillar",
    "Principle",
    "Question",
    "ScaleOption",
    "Section",
    "Subgroup",
    "VersionContent",
    "VersionContentQuerySet",
    "VersionStateError",
    "humanise_key",
    "key_validator",
]
