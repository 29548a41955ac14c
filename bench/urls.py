"""The project's URLs plus ``/bench/trivial/``: a short text answer behind the same middleware.

It needs a signed-in user like every other page (LoginRequiredMiddleware), so that comparing
a page with it measures what the page itself costs.
"""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.urls import path

from thrive_edi.urls import handler403, handler404, handler500, urlpatterns  # noqa: F401

TRIVIAL_PATH = "bench/trivial/"
# The same answer without signing in: what the public register's pages are compared with.
PUBLIC_TRIVIAL_PATH = "bench/trivial/public/"


def trivial(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok\n", content_type="text/plain")


@login_not_required
def public_trivial(request: HttpRequest) -> HttpResponse:
    return trivial(request)


urlpatterns = [
    path(TRIVIAL_PATH, trivial, name="bench_trivial"),
    path(PUBLIC_TRIVIAL_PATH, public_trivial, name="bench_trivial_public"),
    *urlpatterns,
]
