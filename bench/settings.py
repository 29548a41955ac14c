"""The project's own settings, with one addition: a trivial page to compare the others with.

Same middleware, same database, same everything; only the URLconf adds ``/bench/trivial/``.
"""

from thrive_edi.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
