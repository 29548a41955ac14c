"""Demo users, one per role, for trying the service locally. Never in production."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import ProtectedError, Q, QuerySet

from thrive_edi.roles import Role
from thrive_edi.services import user_create

DEMO_PASSWORD = "thrive-demo-2026"
DEMO_USERS = (
    ("staff", Role.STAFF, "Sam", "Okafor"),
    ("approver", Role.APPROVER, "Amina", "Rahman"),
    ("board", Role.BOARD, "Bola", "Adeyemi"),
    ("admin", Role.ADMIN, "Alex", "Nowak"),
)
DEMO_USERNAMES = frozenset(username for username, *_ in DEMO_USERS)
# A demo user is one of the names above with the address the demo gave it: someone really
# called "admin", with a real address, is not one.
DEMO_EMAIL_DOMAIN = "thrive-edi.localhost"


def demo_email(username: str) -> str:
    return f"{username}@{DEMO_EMAIL_DOMAIN}"


def is_demo_user(user) -> bool:
    username = user.get_username()
    return username in DEMO_USERNAMES and user.email == demo_email(username)


def demo_users() -> QuerySet:
    query = Q(pk__in=[])
    for username in DEMO_USERNAMES:
        query |= Q(username=username, email=demo_email(username))
    return get_user_model()._default_manager.filter(query)


def demo_user_refused(user) -> bool:
    """With DEBUG off a demo user, whose password is published, never signs in."""
    return not settings.DEBUG and is_demo_user(user)


def demo_users_load() -> list:
    if not settings.DEBUG:
        raise ImproperlyConfigured("Demo users exist only when DEBUG is on.")
    User = get_user_model()
    users = []
    for username, role, first_name, last_name in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = user_create(
                username=username,
                password=DEMO_PASSWORD,
                role=role,
                email=demo_email(username),
                first_name=first_name,
                last_name=last_name,
                # A published password, short of the rules on purpose: these users sign in
                # only with DEBUG on.
                validate=False,
            )
        users.append(user)
    return users


def demo_users_remove() -> tuple[list[str], list[str]]:
    """Delete the demo users; one who wrote records that must be kept is deactivated and loses
    its password instead. Returns the usernames removed and those deactivated."""
    removed, closed = [], []
    for user in demo_users().order_by("username"):
        username = user.get_username()
        try:
            with transaction.atomic():
                user.delete()
            removed.append(username)
        except ProtectedError:
            user.is_active = False
            user.set_unusable_password()
            user.save(update_fields=["is_active", "password"])
            closed.append(username)
    return removed, closed
