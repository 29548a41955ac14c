"""The project's own deployment checks (``manage.py check --deploy``)."""

from django.conf import settings
from django.core.checks import Warning, register
from django.db import DatabaseError

from thrive_edi.demo import demo_users

SQLITE_IN_PRODUCTION = "thrive_edi.W001"
DEMO_USERS_EXIST = "thrive_edi.W002"


@register(deploy=True)
def database_is_for_production(app_configs, **kwargs):
    """With DEBUG off, the database should be PostgreSQL: an unset or empty DATABASE_URL means
    the SQLite file, which is for trying the app out."""
    engine = settings.DATABASES["default"]["ENGINE"]
    if settings.DEBUG or not engine.endswith("sqlite3"):
        return []
    return [
        Warning(
            "DEBUG is off but the database is the SQLite file: DATABASE_URL is unset or empty.",
            hint="Set DATABASE_URL to the PostgreSQL database, for example "
            "postgres://user:password@host:5432/thrive_edi.",
            id=SQLITE_IN_PRODUCTION,
        )
    ]


@register(deploy=True)
def no_demo_users(app_configs, **kwargs):
    """The demo users' password is published. They cannot sign in with DEBUG off, but they have
    no place in a production database."""
    try:
        usernames = sorted(demo_users().filter(is_active=True).values_list("username", flat=True))
    except DatabaseError:
        # No database yet (or not reachable): nothing to warn of.
        return []
    if not usernames:
        return []
    return [
        Warning(
            f"The demo users exist in this database: {', '.join(usernames)}.",
            hint="Run `python manage.py remove_demo_users`.",
            id=DEMO_USERS_EXIST,
        )
    ]
