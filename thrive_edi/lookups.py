"""``field__in_array=subquery``: ``field IN (subquery)``, written on PostgreSQL as
``field = ANY(ARRAY(subquery))``.

PostgreSQL runs ``IN (subquery)`` beside an OR as a filter on every row of the table; the
ARRAY form is worked out once, so ``owner = me OR id = ANY(ARRAY(...))`` can be answered from
two indexes (a BitmapOr), in time that grows with the user's rows, not with the table.
"""

from django.db import models
from django.db.models import Lookup


@models.Field.register_lookup
class InArray(Lookup):
    lookup_name = "in_array"

    def _sides(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        if not rhs.startswith("("):
            rhs = f"({rhs})"
        return lhs, rhs, (*lhs_params, *rhs_params)

    def as_sql(self, compiler, connection):
        lhs, rhs, params = self._sides(compiler, connection)
        return f"{lhs} IN {rhs}", params

    def as_postgresql(self, compiler, connection):
        lhs, rhs, params = self._sides(compiler, connection)
        return f"{lhs} = ANY(ARRAY{rhs})", params
