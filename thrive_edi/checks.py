"""The project's own deployment checks (``manage.py check --deploy``)."""

from django.conf import settings
from django.core.checks import Warning, register

SQLITE_IN_PRODUCTION = "thrive_edi.W001"


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
