from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from thrive_edi.audit import log_security_event
from thrive_edi.middleware import mark_active, seconds_until_idle_timeout
from thrive_edi.roles import ROLE_DEFINITIONS, Role, user_roles

# The order in which a user with several roles sees their role's next steps.
HOME_SECTIONS = (Role.STAFF, Role.APPROVER, Role.BOARD, Role.ADMIN)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    roles = user_roles(request.user)
    sections = [role.value for role in HOME_SECTIONS if role in roles]
    return render(
        request,
        "home.html",
        {
            "role_sections": sections,
            "role_names": [ROLE_DEFINITIONS[role].group_name for role in HOME_SECTIONS if role in roles],
        },
    )


@login_not_required
@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "accessibility.html")


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


@never_cache
@require_GET
def session_status(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"seconds_left": seconds_until_idle_timeout(request)})


@never_cache
@require_POST
def session_keep_alive(request: HttpRequest) -> HttpResponse:
    mark_active(request)
    if request.headers.get("Accept") == "application/json":
        return JsonResponse({"seconds_left": seconds_until_idle_timeout(request)})
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "home"
    return redirect(next_url)


@login_not_required
def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    log_security_event("permission_denied", request=request, method=request.method)
    return render(request, "403.html", status=403)


@login_not_required
def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "404.html", status=404)


@login_not_required
def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors: the page must render even when they are what failed.
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render(), status=500)
