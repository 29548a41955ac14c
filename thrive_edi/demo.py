"""Demo users, one per role, for trying the service locally. Never in production."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured

from thrive_edi.roles import Role
from thrive_edi.services import user_create

DEMO_PASSWORD = "thrive-demo-2026"
DEMO_USERS = (
    ("staff", Role.STAFF, "Sam", "Okafor"),
    ("approver", Role.APPROVER, "Amina", "Rahman"),
    ("board", Role.BOARD, "Bola", "Adeyemi"),
    ("admin", Role.ADMIN, "Alex", "Nowak"),
)


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
                email=f"{username}@thrive-edi.localhost",
                first_name=first_name,
                last_name=last_name,
            )
        users.append(user)
    return users
