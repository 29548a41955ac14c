"""How people are named on pages, in emails, exports and signed-off documents."""

from django.db.models import QuerySet

# What ``person_name`` reads of a person.
NAME_FIELDS = ("first_name", "last_name", "username")


def person_name(user) -> str:
    """A person's full name, or their username when they have not given one."""
    return user.get_full_name() or user.get_username()


def with_names(queryset: QuerySet, *relations: str) -> QuerySet:
    """``queryset`` with the people its ``relations`` point to joined, each read only as far as
    ``person_name`` needs: a user's row is eleven columns (its password hash among them), each
    selected, converted and set on every row of a list of comments or events that shows a name."""
    own = [field.name for field in queryset.model._meta.concrete_fields]
    named = [f"{relation}__{name}" for relation in relations for name in NAME_FIELDS]
    return queryset.select_related(*relations).only(*own, *named)
