"""/metrics: open only to the configured addresses (behind the trusted proxies) and token."""

import pytest
from django.db import connection
from django.urls import reverse
from prometheus_client.parser import text_string_to_metric_families

from reporting.tasks import render_pdf

TOKEN = "a-long-random-metrics-token-for-tests-only"


def samples(response) -> dict[tuple[str, tuple], float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }


@pytest.fixture
def nobody_allowed(settings):
    settings.METRICS_ALLOWED_ADDRESSES = []
    settings.METRICS_TOKEN = ""
    settings.TRUSTED_PROXIES = []
    return settings


@pytest.mark.django_db
def test_nobody_reads_metrics_until_an_address_or_token_is_configured(client, nobody_allowed, staff_user):
    assert client.get(reverse("metrics")).status_code == 404
    client.force_login(staff_user)  # a signed-in person is nobody special here
    assert client.get(reverse("metrics")).status_code == 404
    assert client.get(reverse("metrics"), HTTP_AUTHORIZATION="Bearer ").status_code == 404


@pytest.mark.django_db
def test_an_allowed_address_reads_latency_by_view_and_query_counts(client, nobody_allowed):
    nobody_allowed.METRICS_ALLOWED_ADDRESSES = ["127.0.0.0/8"]
    client.get(reverse("login"))
    response = client.get(reverse("metrics"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert 'django_http_requests_latency_seconds_by_view_method_count{method="GET",view="login"}' in text
    if connection.vendor == "postgresql":  # counted by the wrapped PostgreSQL backend
        assert 'django_db_execute_total{alias="default",vendor="postgresql"}' in text
    assert "thrive_edi_task_queue_depth" in text and "thrive_edi_pdfs" in text
    assert client.post(reverse("metrics")).status_code == 405


@pytest.mark.django_db
def test_behind_a_proxy_the_forwarded_client_address_is_the_one_checked(client, nobody_allowed):
    nobody_allowed.TRUSTED_PROXIES = ["127.0.0.1"]
    nobody_allowed.METRICS_ALLOWED_ADDRESSES = ["10.0.0.5"]
    url = reverse("metrics")
    assert client.get(url, HTTP_X_FORWARDED_FOR="10.0.0.5").status_code == 200
    assert client.get(url, HTTP_X_FORWARDED_FOR="10.0.0.6").status_code == 404
    # The proxy itself is not on the list, and a client cannot name an allowed address itself.
    assert client.get(url).status_code == 404
    assert client.get(url, HTTP_X_FORWARDED_FOR="10.0.0.5", REMOTE_ADDR="203.0.113.9").status_code == 404
    assert client.get(url, HTTP_X_FORWARDED_FOR="10.0.0.5, 10.0.0.6").status_code == 404


@pytest.mark.django_db
def test_the_bearer_token_opens_metrics_from_anywhere_and_a_wrong_one_does_not(client, nobody_allowed):
    nobody_allowed.METRICS_TOKEN = TOKEN
    url = reverse("metrics")
    remote = {"REMOTE_ADDR": "203.0.113.9"}
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {TOKEN}", **remote).status_code == 200
    assert client.get(url, HTTP_AUTHORIZATION=f"bearer {TOKEN}", **remote).status_code == 200
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {TOKEN}x", **remote).status_code == 404
    assert client.get(url, HTTP_AUTHORIZATION=f"Basic {TOKEN}", **remote).status_code == 404
    assert client.get(url, **remote).status_code == 404


@pytest.mark.django_db
def test_the_queue_depth_counts_tasks_waiting_for_a_worker(client, nobody_allowed):
    nobody_allowed.METRICS_ALLOWED_ADDRESSES = ["127.0.0.1"]
    nobody_allowed.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    depth = ("thrive_edi_task_queue_depth", (("queue", "default"),))
    assert samples(client.get(reverse("metrics")))[depth] == 0
    results = [render_pdf.enqueue(snapshot_id) for snapshot_id in (101, 102, 103)]
    assert samples(client.get(reverse("metrics")))[depth] == 3
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(pk=results[0].id).update(status=TaskResultStatus.RUNNING)
    assert samples(client.get(reverse("metrics")))[depth] == 2
