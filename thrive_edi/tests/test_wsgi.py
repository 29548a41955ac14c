"""The WSGI entry point gunicorn serves: loaded whole, then beyond the collector's full passes."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

STARTED = """
import gc, json, sys
import thrive_edi.wsgi
print(json.dumps({
    "frozen": gc.get_freeze_count(),
    "views_loaded": "assessments.views.assessment" in sys.modules,
    "callable": callable(thrive_edi.wsgi.application),
}))
"""


def test_a_worker_loads_its_views_at_start_and_freezes_what_it_loaded():
    unwanted = {"DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE"}
    base = {key: value for key, value in os.environ.items() if key not in unwanted}
    result = subprocess.run(
        [sys.executable, "-c", STARTED],
        cwd=ROOT,
        env={**base, "DEBUG": "0", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "testserver"},
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    started = json.loads(result.stdout.strip().splitlines()[-1])
    assert started["callable"] and started["views_loaded"]
    # Django, the apps and the views come to well over 100,000 objects; none is frozen by default.
    assert started["frozen"] > 100_000
