"""A refusal that says why: the 403 page shows its reason, a way back and what the person typed."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied


@dataclass(frozen=True)
class TypedAnswer:
    label: str
    value: str


class Refusal(PermissionDenied):
    def __init__(self, reason: str, *, back_url: str = "", back_label: str = "", typed=()):
        super().__init__(reason)
        self.reason = reason
        self.back_url = back_url
        self.back_label = back_label
        self.typed: tuple[TypedAnswer, ...] = tuple(typed)
