"""Holds a signed-in session to its second factor: until it is given, nothing else opens."""

from django.contrib.auth.views import redirect_to_login
from django.urls import reverse

from thrive_edi.two_factor.policy import Owed, second_factor_owed

# The page where each thing owed is done.
PAGE_FOR = {Owed.SET_UP: "account:set_up", Owed.CODE: "account:verify"}
# Open to a session that still owes its second factor: signing out, and the session clock.
ALWAYS_OPEN = frozenset({"logout", "session_status", "session_keep_alive"})


class SecondFactorMiddleware:
    """After ``OTPMiddleware`` and ``LoginRequiredMiddleware``. A user who must give a second
    factor and has not goes to the page that asks for it, with the page they wanted as ``next``.
    Pages open to anonymous visitors stay open."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not getattr(view_func, "login_required", True):
            return None
        owed = second_factor_owed(request)
        if owed is None:
            return None
        page = PAGE_FOR[owed]
        if request.resolver_match.view_name in ALWAYS_OPEN | {page}:
            return None
        return redirect_to_login(request.get_full_path(), login_url=reverse(page))
