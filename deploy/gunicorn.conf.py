"""gunicorn's configuration for Thrive EDI, read from environment variables.

    gunicorn -c deploy/gunicorn.conf.py thrive_edi.wsgi:application

GUNICORN_BIND (127.0.0.1:8000), GUNICORN_WORKERS (3), GUNICORN_TIMEOUT (120 seconds: a PDF
rendered in the request on a slow day), GUNICORN_PIDFILE (none), GUNICORN_ACCESS_LOG (none; "-"
for standard output). With PROMETHEUS_MULTIPROC_DIR set, each worker writes its metrics there
and /metrics adds them up; the directory is emptied when gunicorn starts.
"""

import os
import shutil
from pathlib import Path

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30
# Requests arrive through nginx, which buffers slow clients: plain sync workers suffice.
worker_class = "sync"
# A worker is replaced after this many requests (a little jitter, so not all at once): bounds
# any slow growth in memory.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
pidfile = os.environ.get("GUNICORN_PIDFILE") or None
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
# Only the proxy on this machine may set X-Forwarded-* headers that gunicorn itself reads.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
proc_name = os.environ.get("GUNICORN_NAME", "thrive-edi")


def on_starting(server):
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        shutil.rmtree(directory, ignore_errors=True)
        Path(directory).mkdir(parents=True, exist_ok=True)


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
