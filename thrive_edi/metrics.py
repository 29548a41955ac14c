"""The Prometheus endpoint: request latency by view and database queries (django-prometheus),
and the service's own figures, read from the database at each scrape.

Apps add figures by answering ``thrive_edi.signals.metrics_collected`` with metric families
(reporting: PDFs that could not be made). The task queue's depth is read here.

Under gunicorn with several workers, set ``PROMETHEUS_MULTIPROC_DIR`` (deploy/gunicorn.conf.py
empties it at start): each worker writes its figures there and any worker adds them all up.
"""

import hmac
import os

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily

from thrive_edi.addresses import client_ip, parse_address, parse_networks
from thrive_edi.signals import metrics_collected


def metrics_allowed(request) -> bool:
    """A bearer token equal to METRICS_TOKEN, or a client address in METRICS_ALLOWED_ADDRESSES."""
    token = settings.METRICS_TOKEN
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if token and scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode()):
        return True
    address = parse_address(client_ip(request) or "")
    if address is None:
        return False
    return any(
        address.version == network.version and address in network
        for network in parse_networks(tuple(settings.METRICS_ALLOWED_ADDRESSES))
    )


def task_queue_depth() -> GaugeMetricFamily:
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    family = GaugeMetricFamily(
        "thrive_edi_task_queue_depth",
        "Background tasks waiting in the database queue for a db_worker, by queue.",
        labels=["queue"],
    )
    waiting = (
        DBTaskResult.objects.filter(status=TaskResultStatus.READY)
        .order_by()
        .values_list("queue_name")
        .annotate(n=Count("pk"))
    )
    for queue, count in waiting:
        family.add_metric([queue], count)
    if not family.samples:
        family.add_metric(["default"], 0)
    return family


class ServiceCollector:
    """The service's own figures, read afresh at each scrape."""

    def collect(self):
        yield task_queue_depth()
        for _receiver, families in metrics_collected.send(sender=ServiceCollector):
            yield from families


def _registry() -> CollectorRegistry:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return registry
    return REGISTRY


@login_not_required
def metrics(request):
    """Open only to the configured addresses and token: everybody else is told nothing is here."""
    if not metrics_allowed(request):
        raise Http404
    return _export(request)


@require_GET
def _export(request):
    service = CollectorRegistry(auto_describe=False)
    service.register(ServiceCollector())
    body = generate_latest(_registry()) + generate_latest(service)
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
