"""Who must give a second factor after their password, and what a session still owes."""

from django.conf import settings
from django_otp import user_has_device

from thrive_edi.demo import is_demo_user
from thrive_edi.roles import Role, user_roles

# The roles that sign off and manage people: they may not sign in with a password alone.
ROLES_THAT_NEED_A_SECOND_FACTOR = frozenset({Role.APPROVER, Role.ADMIN})
# Whether the signed-in user had a confirmed device when they signed in: read once a session,
# not on every request.
HAS_DEVICE_SESSION_KEY = "thrive_has_second_factor"


class Owed:
    """What a signed-in session still has to do before it reaches anything else."""

    SET_UP = "set_up"  # no device yet, but the role needs one
    CODE = "code"  # a device: enter a code from it


def second_factor_required(user) -> bool:
    """Approvers and Admins need one. The demo users try the service without, only with DEBUG on
    (if one of them sets up an app, they are asked for its codes like anyone)."""
    if settings.DEBUG and is_demo_user(user):
        return False
    return bool(user_roles(user) & ROLES_THAT_NEED_A_SECOND_FACTOR)


def remember_device(request, user) -> bool:
    has_device = user_has_device(user)
    request.session[HAS_DEVICE_SESSION_KEY] = has_device
    return has_device


def has_device(request) -> bool:
    known = request.session.get(HAS_DEVICE_SESSION_KEY)
    return remember_device(request, request.user) if known is None else known


def second_factor_owed(request) -> str | None:
    """``Owed.SET_UP`` or ``Owed.CODE`` while the session needs a second factor, else None."""
    user = request.user
    # A request that did not pass OTPMiddleware (an error page drawn early) counts as unverified.
    if not user.is_authenticated or getattr(user, "is_verified", bool)():
        return None
    if has_device(request):
        return Owed.CODE
    return Owed.SET_UP if second_factor_required(user) else None


def remember_device_on_sign_in(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        remember_device(request, user)
