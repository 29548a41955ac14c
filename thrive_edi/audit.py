"""Security events as structured log lines: who, what, when (UTC) and from where."""

import logging

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

from thrive_edi.addresses import client_ip

logger = logging.getLogger("thrive_edi.security")


def log_security_event(event: str, *, request=None, username: str | None = None, **fields) -> None:
    if username is None and request is not None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            username = user.get_username()
    logger.info(
        event,
        extra={
            "event": event,
            "username": username,
            "ip": client_ip(request),
            "path": getattr(request, "path", None),
            **fields,
        },
    )


def _on_login(sender, request, user, **kwargs):
    log_security_event("login", request=request, username=user.get_username())


def _on_logout(sender, request, user, **kwargs):
    log_security_event("logout", request=request, username=user.get_username() if user else None)


def _on_login_failed(sender, credentials, request=None, **kwargs):
    # Refused unread during a pause (axes counted nothing): "locked_out" says so; it is no failure.
    if (
        getattr(request, "axes_locked_out", False)
        and getattr(request, "axes_failures_since_start", 0) is None
    ):
        return
    log_security_event("login_failed", request=request, username=credentials.get("username"))


def _on_locked_out(sender, request, username, ip_address, **kwargs):
    log_security_event("locked_out", request=request, username=username)


def connect_signals() -> None:
    user_logged_in.connect(_on_login, dispatch_uid="thrive_edi.audit.login")
    user_logged_out.connect(_on_logout, dispatch_uid="thrive_edi.audit.logout")
    user_login_failed.connect(_on_login_failed, dispatch_uid="thrive_edi.audit.login_failed")
    user_locked_out.connect(_on_locked_out, dispatch_uid="thrive_edi.audit.locked_out")
