"""The framework guide: read-only pages of a framework version for every signed-in user.

Stable addresses the assessment wizard links to:
- ``frameworks:guide`` (/framework/), with anchors ``#principle-<key>``, ``#characteristic-<key>``
  and ``#section-<key>``, shows the current version;
- ``frameworks:principle`` and ``frameworks:characteristic`` (/framework/principles/<key>/...) show
  one item of the current version;
- ``frameworks:version_guide``, ``frameworks:version_principle``, ``frameworks:version_characteristic``
  (/framework/versions/<id>/...) show a given published or retired version, for assessments made
  against an older version (``Principle.get_absolute_url()`` and friends point there).
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from frameworks.models import FrameworkVersion
from frameworks.selectors import (
    characteristic_or_404,
    framework_guide,
    principle_or_404,
    visible_version_or_404,
)

NO_CURRENT_VERSION = "No framework version has been published yet."


def _current_or_404() -> FrameworkVersion:
    version = FrameworkVersion.objects.current()
    if version is None:
        raise Http404(NO_CURRENT_VERSION)
    return version


@require_GET
def guide(request: HttpRequest) -> HttpResponse:
    version = FrameworkVersion.objects.current()
    context = {"guide": framework_guide(version=version, link_to="current") if version else None}
    return render(request, "frameworks/guide.html", {**context, "no_version_message": NO_CURRENT_VERSION})


@require_GET
def version_guide(request: HttpRequest, pk: int) -> HttpResponse:
    version = visible_version_or_404(pk)
    return render(request, "frameworks/guide.html", {"guide": framework_guide(version=version)})


@require_GET
def principle(request: HttpRequest, key: str) -> HttpResponse:
    return _principle_page(request, _current_or_404(), key, reverse("frameworks:guide"))


@require_GET
def version_principle(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    version = visible_version_or_404(pk)
    return _principle_page(request, version, key, version.get_absolute_url())


@require_GET
def characteristic(request: HttpRequest, key: str) -> HttpResponse:
    return _characteristic_page(request, _current_or_404(), key, reverse("frameworks:guide"))


@require_GET
def version_characteristic(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    version = visible_version_or_404(pk)
    return _characteristic_page(request, version, key, version.get_absolute_url())


def _principle_page(
    request: HttpRequest, version: FrameworkVersion, key: str, guide_url: str
) -> HttpResponse:
    item = principle_or_404(version=version, key=key)
    context = {"principle": item, "version": version, "back_url": f"{guide_url}#principle-{key}"}
    return render(request, "frameworks/principle.html", context)


def _characteristic_page(
    request: HttpRequest, version: FrameworkVersion, key: str, guide_url: str
) -> HttpResponse:
    item = characteristic_or_404(version=version, key=key)
    context = {"characteristic": item, "version": version, "back_url": f"{guide_url}#characteristic-{key}"}
    return render(request, "frameworks/characteristic.html", context)
