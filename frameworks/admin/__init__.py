"""Django admin for framework versions and their content (the admin site lets in the Admin role only).

A frozen version, and everything in it, is shown read-only; the way to change it is "Create a
new draft version from this one". The model layer refuses such changes too: this is the
friendly face of that rule, not the rule itself.
"""

from frameworks.admin import content, versions
from frameworks.admin.versions import (
    COPY_ACTION_LABEL,
    CURRENT_NOTICE,
    FROZEN_NOTICE,
    PUBLISH_ACTION_LABEL,
    PUBLISH_ONE_MESSAGE,
)

__all__ = [
    "COPY_ACTION_LABEL",
    "CURRENT_NOTICE",
    "FROZEN_NOTICE",
    "PUBLISH_ACTION_LABEL",
    "PUBLISH_ONE_MESSAGE",
    "content",
    "versions",
]
