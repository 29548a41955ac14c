"""The project's URLs plus two pages of the benchmark's own.

- ``/bench/trivial/``: a short text answer behind the same middleware. It needs a signed-in user
  like every other page (LoginRequiredMiddleware), so that comparing a page with it measures
  what the page itself costs.
- ``/bench/dashboard-cached/``: the dashboard with the whole portfolio's counts taken from the
  shared cache (counted afresh when missing; a sign-off would delete them) instead of the counts
  kept at each sign-off, so that the two designs are measured side by side.
"""

from unittest import mock

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.urls import path

from reporting.portfolio import count_whole_portfolio
from reporting.views import insight
from thrive_edi.urls import handler403, handler404, handler500, urlpatterns  # noqa: F401

TRIVIAL_PATH = "bench/trivial/"
CACHED_DASHBOARD_PATH = "bench/dashboard-cached/"
CACHE_KEY = "bench:portfolio-counts"
# The same answer without signing in: what the public register's pages are compared with.
PUBLIC_TRIVIAL_PATH = "bench/trivial/public/"


def trivial(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok\n", content_type="text/plain")


def cached_counts():
    return cache.get_or_set(CACHE_KEY, count_whole_portfolio, timeout=None)


def dashboard_cached(request: HttpRequest) -> HttpResponse:
    # Gunicorn's sync workers serve one request at a time: the swap lasts for this request only.
    with mock.patch.object(insight, "kept_counts", cached_counts):
        return insight.dashboard(request)


@login_not_required
def public_trivial(request: HttpRequest) -> HttpResponse:
    return trivial(request)


urlpatterns = [
    path(TRIVIAL_PATH, trivial, name="bench_trivial"),
    path(CACHED_DASHBOARD_PATH, dashboard_cached, name="bench_dashboard_cached"),
    path(PUBLIC_TRIVIAL_PATH, public_trivial, name="bench_trivial_public"),
    *urlpatterns,
]
