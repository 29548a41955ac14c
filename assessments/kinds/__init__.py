"""The registry of the kinds of rows an assessment holds beyond its answers.

Each kind is defined once, in its own module of this package (see ``base.RowKind`` for what a
kind declares). The section page, the rules, the summary, the history, the PDF and the
re-assessment's copy all read ``row_kinds()``; none of them names a kind's prefix or model.
``ROW_KINDS`` is also the order in which a re-assessment copies the rows: a kind comes after
those its rows link to (actions link to combinations).
"""

from contextlib import contextmanager

from assessments.kinds.actions import ActionKind, impacts_without_action
from assessments.kinds.base import (
    ADD_ROW_ID,
    CopyContext,
    MatchedRowKind,
    RowKind,
    RuleFailure,
    SummaryTable,
    field_group_id,
)
from assessments.kinds.combinations import CombinationKind
from assessments.kinds.duties import DutyKind
from assessments.kinds.impacts import NOT_NEEDED, ImpactKind
from assessments.kinds.participation import ParticipationKind
from assessments.kinds.principles import PrincipleKind
from assessments.kinds.subgroups import SubgroupKind, breakdowns_offered

ROW_KINDS: list[RowKind] = [
    ImpactKind(),
    SubgroupKind(),
    CombinationKind(),
    PrincipleKind(),
    DutyKind(),
    ParticipationKind(),
    ActionKind(),
]


def row_kinds() -> list[RowKind]:
    return list(ROW_KINDS)


def kind_for(structured: str) -> RowKind | None:
    """The main kind of row a section holding ``structured`` (a ``StructuredPart``) shows, if any."""
    return next((kind for kind in ROW_KINDS if kind.structured == structured), None)


def kinds_for(structured: str) -> list[RowKind]:
    """Every kind of row a section holding ``structured`` shows: the main one first, then those
    drawn inside its rows (``RowKind.nested_in``)."""
    return [kind for kind in ROW_KINDS if structured and kind.structured == structured]


def kind_of_model(model) -> RowKind | None:
    return next((kind for kind in ROW_KINDS if kind.model is model), None)


@contextmanager
def registered(kind: RowKind):
    """``kind`` registered for the duration of the block: a kind defined for a test."""
    ROW_KINDS.append(kind)
    try:
        yield kind
    finally:
        ROW_KINDS.remove(kind)


__all__ = [
    "ADD_ROW_ID",
    "NOT_NEEDED",
    "ROW_KINDS",
    "CopyContext",
    "MatchedRowKind",
    "RowKind",
    "RuleFailure",
    "SummaryTable",
    "breakdowns_offered",
    "field_group_id",
    "impacts_without_action",
    "kind_for",
    "kind_of_model",
    "kinds_for",
    "registered",
    "row_kinds",
]
