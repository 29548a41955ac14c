"""The project's URLs plus ``/bench/trivial/``: a short text answer behind the same middleware.

It needs a signed-in user like every other page (LoginRequiredMiddleware), so that comparing
a page with it measures what the page itself costs.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from thrive_edi.urls import handler403, handler404, handler500, urlpatterns  # noqa: F401

TRIVIAL_PATH = "bench/trivial/"


def trivial(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok\n", content_type="text/plain")


urlpatterns = [path(TRIVIAL_PATH, trivial, name="bench_trivial"), *urlpatterns]
