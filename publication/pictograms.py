"""The pictures an Easy Read point may have: OpenMoji pictograms (CC BY-SA 4.0), installed from
npm and copied into static/build/pictograms by scripts/build-assets.mjs (which reads the file
names from pictograms.json beside this module)."""

import base64
import functools
import json
from pathlib import Path

from django.conf import settings
from django.templatetags.static import static
from django.utils.translation import gettext_lazy as _

PICTOGRAMS_FILE = Path(__file__).parent / "pictograms.json"
BUILD_DIR = Path(settings.BASE_DIR) / "static" / "build" / "pictograms"
ATTRIBUTION = _("Pictures: OpenMoji, the open-source emoji and icon project, licensed under CC BY-SA 4.0.")
ATTRIBUTION_URL = "https://openmoji.org/"
LICENCE_URL = "https://creativecommons.org/licenses/by-sa/4.0/"

# The alternative text of each picture, in the words an Easy Read reader would use.
_ALT_TEXT = {
    "people": _("A group of people"),
    "speaking": _("A person speaking"),
    "home": _("A house"),
    "hospital": _("A hospital"),
    "calendar": _("A calendar"),
    "yes": _("A green tick"),
    "no": _("A red cross"),
    "money": _("A bag of money"),
    "phone": _("A telephone"),
    "letter": _("A letter"),
    "question": _("A question mark"),
    "good": _("A thumbs up"),
    "bad": _("A thumbs down"),
    "care": _("A heart"),
    "disability": _("The wheelchair symbol"),
    "together": _("Two hands shaking"),
    "idea": _("A light bulb"),
    "writing": _("A note and a pencil"),
    "school": _("A school"),
    "family": _("A family"),
    "ask": _("A person with a hand up"),
    "fix": _("A hammer and a spanner"),
    "warning": _("A warning sign"),
    "mind": _("A brain"),
    "talk": _("A speech bubble"),
    "look": _("A magnifying glass"),
    "plan": _("A clipboard"),
    "support": _("Two people hugging"),
    "world": _("The world"),
    "older": _("An older person"),
    "baby": _("A baby"),
    "travel": _("A bus"),
    "time": _("An alarm clock"),
    "listen": _("An ear"),
    "tell": _("A loudspeaker"),
}


@functools.cache
def _hexcodes() -> dict[str, str]:
    return json.loads(PICTOGRAMS_FILE.read_text())


def pictogram_keys() -> list[str]:
    return list(_hexcodes())


def alt_text(key: str) -> str:
    return str(_ALT_TEXT.get(key, _("A picture")))


def choices() -> list[tuple[str, str]]:
    return [(key, alt_text(key)) for key in pictogram_keys()]


def static_url(key: str) -> str:
    return static(f"build/pictograms/{_hexcodes()[key]}.svg")


@functools.cache
def data_uri(key: str) -> str:
    """The picture as a data: URL, for PDFs (which fetch nothing from disk or the network)."""
    svg = (BUILD_DIR / f"{_hexcodes()[key]}.svg").read_bytes()
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")
