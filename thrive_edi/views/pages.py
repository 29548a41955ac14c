import re
from datetime import date

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from thrive_edi.audit import log_security_event
from thrive_edi.middleware import mark_active, seconds_until_idle_timeout
from thrive_edi.refusals import Refusal
from thrive_edi.roles import ROLE_DEFINITIONS, Role, role_grants, user_roles
from thrive_edi.signals import home_page_shown

ROLE_REFUSAL = "Your role does not allow you to see or change this."
BAD_REQUEST_HEADING = "Sorry, your browser sent a request the service could not read"
CSRF_SESSION_CHANGED_MESSAGE = "Your session changed: you signed in or out in another tab"
CSRF_FROM_ELSEWHERE_MESSAGE = "Your form could not be accepted"
# Never shown back after a refused form: the token of the old session, and any password.
NOT_SHOWN_BACK = ("csrfmiddlewaretoken", "password")

# The accessibility statement's dates: review it at least once a year, and whenever the service
# changes in a way that affects what it says.
ACCESSIBILITY_STATEMENT_PREPARED = date(2026, 11, 1)
ACCESSIBILITY_STATEMENT_REVIEWED = date(2026, 12, 1)
ACCESSIBILITY_STATEMENT_NEXT_REVIEW = date(2027, 12, 1)

# The order in which a user with several roles sees their role's next steps.
HOME_SECTIONS = (Role.STAFF, Role.APPROVER, Role.BOARD, Role.ADMIN)
# Whoever may start an assessment sees the staff part of the home page.
ASSESSES = "assessments.add_assessment"


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    roles = user_roles(request.user)
    if role_grants(request.user, ASSESSES):
        roles = roles | {Role.STAFF}  # an approver assesses their own work too
    context = {
        "role_sections": [role.value for role in HOME_SECTIONS if role in roles],
        "role_names": [
            ROLE_DEFINITIONS[role].group_name for role in HOME_SECTIONS if role in user_roles(request.user)
        ],
    }
    for _receiver, more in home_page_shown.send(sender=None, request=request):
        context.update(more or {})
    return render(request, "home.html", context)


@login_not_required
@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accessibility.html",
        {
            "contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL,
            "contact_phone": settings.ACCESSIBILITY_CONTACT_PHONE,
            "prepared_on": ACCESSIBILITY_STATEMENT_PREPARED,
            "reviewed_on": ACCESSIBILITY_STATEMENT_REVIEWED,
            "next_review": ACCESSIBILITY_STATEMENT_NEXT_REVIEW,
        },
    )


@login_not_required
@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "privacy.html",
        {
            "failed_sign_in_days": settings.RETENTION_FAILED_SIGN_IN_DAYS,
            "audit_log_days": settings.RETENTION_AUDIT_LOG_DAYS,
            "community_feedback_contact_days": settings.RETENTION_COMMUNITY_FEEDBACK_CONTACT_DAYS,
        },
    )


@login_not_required
@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page links to. Not a permanent redirect: the
    static file's name changes with its content."""
    return redirect(static("images/favicon.ico"))


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """Answered by HealthCheckMiddleware before the session or the user are read."""
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
    """The reason the code gave, a way back and what was typed; one log line (django.request's
    own line for a 403 is filtered out in settings.LOGGING)."""
    reason = str(exception) if exception is not None else ""
    log_security_event("permission_denied", request=request, method=request.method, reason=reason or None)
    context = {"reason": reason or ROLE_REFUSAL, "role_refusal": not reason}
    if isinstance(exception, Refusal):
        context.update(back_url=exception.back_url, back_label=exception.back_label, typed=exception.typed)
    return render(request, "403.html", context, status=403)


def _posted_fields(request: HttpRequest) -> list[tuple[str, str]]:
    try:
        data = request.POST
    except (RequestDataTooBig, TooManyFieldsSent):
        return []
    return [
        (key, value)
        for key in data
        if not any(word in key.lower() for word in NOT_SHOWN_BACK)
        for value in data.getlist(key)
    ]


# Posted keys that carry the form's workings (formset counts, row ids, which button) not answers.
_WORKINGS = re.compile(
    r"(^|-)(TOTAL_FORMS|INITIAL_FORMS|MIN_NUM_FORMS|MAX_NUM_FORMS|id|intent|revision|based_on)$"
)


def _is_typed(key: str, value: str) -> bool:
    """A value a person typed, to show back: not a choice's key (``negative``, ``yes``)."""
    return bool(value.strip()) and not _WORKINGS.search(key) and not re.fullmatch(r"[a-z0-9_-]+", value)


def _same_origin(request: HttpRequest) -> bool:
    """The refused post came from one of this service's own pages (the browser says where from),
    or from an origin trusted in CSRF_TRUSTED_ORIGINS (a proxy on another address)."""
    origin = request.headers.get("Origin", "")
    return bool(origin) and (
        origin == f"{request.scheme}://{request.get_host()}" or origin in settings.CSRF_TRUSTED_ORIGINS
    )


@login_not_required
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent with the token of an earlier session (signed in or out in another tab).

    What was typed comes back in a form with a fresh token that posts to the same address, so
    one more press sends it; nothing is sent again without that press. A post from another site
    gets the explanation only, never its fields: otherwise this page would hand another site's
    form a valid token.
    """
    log_security_event("csrf_failure", request=request, method=request.method, reason=reason)
    same_origin = _same_origin(request)
    fields = _posted_fields(request) if same_origin else []
    return render(
        request,
        "403_csrf.html",
        {
            "heading": CSRF_SESSION_CHANGED_MESSAGE if same_origin else CSRF_FROM_ELSEWHERE_MESSAGE,
            "from_elsewhere": not same_origin,
            "fields": fields,
            "typed": [value for key, value in fields if _is_typed(key, value)],
            "action": request.get_full_path(),
            "files_dropped": same_origin and bool(request.FILES),
        },
        status=403,
    )


@login_not_required
def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    # No context processors: the request may be malformed (an unknown host, too many fields),
    # so nothing is read from it.
    from django.template import loader

    return HttpResponse(loader.get_template("400.html").render({"heading": BAD_REQUEST_HEADING}), status=400)


@login_not_required
def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "404.html", status=404)


@login_not_required
def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors: the page must render even when they are what failed.
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render(), status=500)
