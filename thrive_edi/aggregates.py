"""Database functions the ORM lacks in Django 5.2, written for both SQLite and PostgreSQL."""

from django.db.models import Aggregate, TextField, Value
from django.db.models.functions import Cast


class JoinedText(Aggregate):
    """The values of a group joined into one string with ``separator`` (NULL for no values).

    PostgreSQL's ``STRING_AGG`` and SQLite's ``GROUP_CONCAT`` take the same two arguments;
    the order of the values is the database's.
    """

    function = "STRING_AGG"
    output_field = TextField()

    def __init__(self, expression, separator: str = ",", **extra):
        super().__init__(Cast(expression, TextField()), Value(separator), **extra)

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="GROUP_CONCAT", **extra_context)


def split_joined(text: str | None, separator: str = ",") -> list[str]:
    return text.split(separator) if text else []
