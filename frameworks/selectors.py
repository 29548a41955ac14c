"""Reads of a framework version that span its models: the guide, and lookups for the guide's pages."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse

from frameworks.models import Characteristic, FrameworkVersion, Level, Pillar, Principle, Section
from frameworks.scales import Scale
from thrive_edi.kept import kept_under, mark_renew_on_commit

# The scales the guide explains, in the order an assessment meets them.
GUIDE_SCALES = (
    Scale.IMPACT,
    Scale.EVIDENCE_CONFIDENCE,
    Scale.PARTICIPATION,
    Scale.PRINCIPLE_ALIGNMENT,
    Scale.DUTY_CONTRIBUTION,
    Scale.PSED_AIM,
    Scale.DECISION,
)


@dataclass
class ScaleGuide:
    key: str
    name: str
    options: list[tuple[str, str]]


@dataclass
class FrameworkGuide:
    """Everything the guide shows of one version, read in a fixed number of queries."""

    version: FrameworkVersion
    levels: list[Level] = field(default_factory=list)
    pillars: list[Pillar] = field(default_factory=list)  # each with .principles_in_order
    protected: list[Characteristic] = field(default_factory=list)
    additional: list[Characteristic] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)  # each with .questions prefetched
    scales: list[ScaleGuide] = field(default_factory=list)


def framework_guide(*, version: FrameworkVersion, link_to: str | None = "version") -> FrameworkGuide:
    """The guide's content for a version. ``link_to``: where principles and characteristics link:

    "current" (``/framework/principles/<key>/``), "version" (``/framework/versions/<id>/...``),
    or None (no links, for the admin preview of a draft).
    """
    principles = Principle.objects.filter(version=version).prefetch_related("levels")
    pillars = list(
        Pillar.objects.filter(version=version).prefetch_related(
            Prefetch("principles", queryset=principles, to_attr="principles_in_order")
        )
    )
    characteristics = list(Characteristic.objects.filter(version=version))
    guide = FrameworkGuide(
        version=version,
        levels=list(Level.objects.filter(version=version)),
        pillars=pillars,
        protected=[c for c in characteristics if c.kind == Characteristic.Kind.PROTECTED],
        additional=[c for c in characteristics if c.kind == Characteristic.Kind.ADDITIONAL],
        sections=list(Section.objects.filter(version=version).prefetch_related("questions")),
        scales=[ScaleGuide(scale.value, scale.label, version.choices(scale)) for scale in GUIDE_SCALES],
    )
    for pillar in pillars:
        for principle in pillar.principles_in_order:
            principle.guide_url = guide_url(principle, link_to)
    for characteristic in characteristics:
        characteristic.guide_url = guide_url(characteristic, link_to)
    return guide


def guide_url(item: Principle | Characteristic, link_to: str | None) -> str:
    if link_to is None:
        return ""
    if link_to == "version":
        return item.get_absolute_url()
    name = "frameworks:principle" if isinstance(item, Principle) else "frameworks:characteristic"
    return reverse(name, args=[item.key])


def visible_version_or_404(pk: int) -> FrameworkVersion:
    """A version every signed-in user may read (the current one or a retired one); drafts are 404."""
    return get_object_or_404(FrameworkVersion.objects.visible(), pk=pk)


def principle_or_404(*, version: FrameworkVersion, key: str) -> Principle:
    queryset = Principle.objects.select_related("pillar").prefetch_related("levels")
    principle = get_object_or_404(queryset, version=version, key=key)
    principle.version = version
    return principle


def characteristic_or_404(*, version: FrameworkVersion, key: str) -> Characteristic:
    characteristic = get_object_or_404(Characteristic, version=version, key=key)
    characteristic.version = version
    return characteristic


# The versions a filter offers, kept in the shared cache under a mark that every publication,
# save or deletion of a version renews (``version_options_forget``).
VERSION_OPTIONS_KEY = "frameworks:version-options"
VERSION_OPTIONS_MARK_KEY = "frameworks:version-options:mark"
VERSION_OPTIONS_KEPT_FOR = 60 * 60


def visible_version_options() -> list[tuple[int, str]]:
    """(pk, name and label) of the versions every signed-in user may read, newest first, as a
    filter offers them: a query at every view of a list otherwise."""
    return kept_under(
        VERSION_OPTIONS_KEY,
        [VERSION_OPTIONS_MARK_KEY],
        lambda: [
            (version.pk, str(version))
            for version in FrameworkVersion.objects.visible().only("pk", "name", "label")
        ],
        VERSION_OPTIONS_KEPT_FOR,
    )


def version_options_forget(**kwargs) -> None:
    """The versions changed (a receiver of ``post_save`` and ``post_delete`` too): the filters'
    options are read again once the change commits."""
    mark_renew_on_commit(VERSION_OPTIONS_MARK_KEY)
