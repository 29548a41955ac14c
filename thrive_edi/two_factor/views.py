"""The pages of multi-factor sign-in: the code after the password, setting up, recovery codes."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import time_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login

from thrive_edi.audit import log_security_event
from thrive_edi.two_factor import services
from thrive_edi.two_factor.forms import TOO_MANY_TRIES, WRONG_CODE, WRONG_SET_UP_CODE, CodeForm, SetUpForm
from thrive_edi.two_factor.policy import (
    HAS_DEVICE_SESSION_KEY,
    Owed,
    second_factor_owed,
    second_factor_required,
)

# The recovery codes just made, kept until the page that shows them once.
NEW_RECOVERY_CODES_SESSION_KEY = "thrive_new_recovery_codes"
SET_UP_MESSAGE = "Your authenticator app is set up. Thrive EDI will ask for a code from it when you sign in."
NEW_RECOVERY_CODES_MESSAGE = "You have new recovery codes. The old ones no longer work."
TURNED_OFF_MESSAGE = "Multi-factor sign-in is off. You sign in with your password alone."


def _next_url(request: HttpRequest) -> str:
    wanted = request.POST.get("next") or request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(wanted, {request.get_host()}, request.is_secure()):
        return wanted
    return reverse("home")


def _code_refused(request, form, check, wrong_message: str) -> None:
    if check.wait_until is not None:
        log_security_event("second_factor_throttled", request=request, failures=check.failures)
        wait = time_format(timezone.localtime(check.wait_until), "H:i:s")
        form.add_error("code", TOO_MANY_TRIES.format(time=wait))
    else:
        log_security_event("second_factor_failed", request=request, failures=check.failures)
        form.add_error("code", wrong_message)


@never_cache
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    owed = second_factor_owed(request)
    if owed == Owed.SET_UP:
        return redirect_to_login(_next_url(request), login_url=reverse("account:set_up"))
    if owed is None:
        return redirect(_next_url(request))
    form = CodeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        check = services.second_factor_check(user=request.user, code=form.cleaned_data["code"])
        if check.device is not None:
            otp_login(request, check.device)
            request.session.cycle_key()  # a new session key for the session that gained a factor
            log_security_event("second_factor_verified", request=request, device=check.device.name)
            if check.is_recovery_code:
                left = services.recovery_codes_left(user=request.user)
                log_security_event("recovery_code_used", request=request, remaining=left)
                messages.info(request, f"You used a recovery code. You have {left} left.")
            return redirect(_next_url(request))
        _code_refused(request, form, check, WRONG_CODE)
    return render(request, "account/verify.html", {"form": form, "next": _next_url(request)})


@never_cache
@require_http_methods(["GET", "POST"])
def set_up(request: HttpRequest) -> HttpResponse:
    if second_factor_owed(request) == Owed.CODE:  # a new app may not stand in for the code
        return redirect_to_login(_next_url(request), login_url=reverse("account:verify"))
    device = services.authenticator_start(user=request.user)
    form = SetUpForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        check = services.authenticator_confirm(device=device, code=form.cleaned_data["code"])
        if check.device is not None:
            otp_login(request, check.device)
            request.session.cycle_key()  # a new session key for the session that gained a factor
            request.session[HAS_DEVICE_SESSION_KEY] = True
            request.session[NEW_RECOVERY_CODES_SESSION_KEY] = check.recovery_codes
            log_security_event("second_factor_enrolled", request=request)
            messages.success(request, SET_UP_MESSAGE)
            return redirect_to_login(_next_url(request), login_url=reverse("account:recovery_codes"))
        _code_refused(request, form, check, WRONG_SET_UP_CODE)
    context = {
        "form": form,
        "next": _next_url(request),
        "qr_code": services.qr_code_svg(device),
        "key_text": services.key_text(device),
        "required": second_factor_required(request.user),
    }
    return render(request, "account/set_up.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """GET shows codes just made, once; POST makes a new set."""
    if services.authenticator_of(request.user) is None:
        return redirect("account:security")
    if request.method == "POST":
        request.session[NEW_RECOVERY_CODES_SESSION_KEY] = services.recovery_codes_make(user=request.user)
        log_security_event("recovery_codes_made", request=request)
        messages.success(request, NEW_RECOVERY_CODES_MESSAGE)
        return redirect("account:recovery_codes")
    codes = request.session.pop(NEW_RECOVERY_CODES_SESSION_KEY, None)
    context = {
        "recovery_codes": codes,
        "left": services.recovery_codes_left(user=request.user),
        "next": _next_url(request),
    }
    return render(request, "account/recovery_codes.html", context)


@never_cache
@require_http_methods(["GET"])
def security(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {
        "authenticator": services.authenticator_of(user),
        "left": services.recovery_codes_left(user=user),
        "required": second_factor_required(user),
    }
    return render(request, "account/security.html", context)


@require_POST
def turn_off(request: HttpRequest) -> HttpResponse:
    if second_factor_required(request.user):
        raise PermissionDenied("Approvers and Admins sign in with a second factor.")
    services.second_factor_remove(user=request.user)
    request.session[HAS_DEVICE_SESSION_KEY] = False
    request.session.pop(DEVICE_ID_SESSION_KEY, None)
    log_security_event("second_factor_removed", request=request)
    messages.success(request, TURNED_OFF_MESSAGE)
    return redirect("account:security")
