"""Panels other apps add to an assessment's page, without this app importing them.

A panel is a callable ``(request, assessment) -> str | None`` returning safe HTML.
"""

from collections.abc import Callable

from django.utils.safestring import SafeString

PANELS: list[Callable] = []


def register(panel: Callable) -> Callable:
    if panel not in PANELS:
        PANELS.append(panel)
    return panel


def rendered_panels(request, assessment) -> list[SafeString]:
    return [html for html in (panel(request, assessment) for panel in PANELS) if html]
