"""The WSGI entry point that gunicorn serves.

What a worker loads at its start (Django, the apps, the URLconf and the views it imports) lives
as long as the worker. Once it is loaded, ``gc.freeze()`` puts it beyond the garbage collector's
full passes: pages that make many objects (the impact grid builds and draws some 250 fields) set
one off every few dozen requests, and each walked all of the start's 160,000 objects again,
about 85 ms that one unlucky request waited. A full pass now walks only what requests made.
"""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thrive_edi.settings")

application = get_wsgi_application()
get_resolver().url_patterns  # noqa: B018 - the URLconf and its views, loaded now rather than at a first request
gc.collect()  # what loading left unreachable is freed, not kept for good
gc.freeze()
