"""``{{ user|person_name }}``: a person named as everywhere else (``thrive_edi.people``).

A built-in of the template engine (``TEMPLATES`` in settings), so no template loads it.
"""

from django import template

from thrive_edi.people import person_name as name_of

register = template.Library()


@register.filter
def person_name(user) -> str:
    return name_of(user) if user else ""
