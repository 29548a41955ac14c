"""The authentication backend: Django's, reading a signed-in user and their roles in one query."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from thrive_edi.aggregates import JoinedText
from thrive_edi.demo import demo_user_refused
from thrive_edi.roles import GROUP_SEPARATOR


class RoleReadingBackend(ModelBackend):
    """Every request reads its user; this reads the user's group names in the same query.

    ``roles.user_roles`` takes them from ``group_names`` instead of a query of its own.
    With DEBUG off the demo users are refused like an inactive user: at sign-in with the usual
    message, and on every request of a session they opened before.
    """

    def user_can_authenticate(self, user):
        return super().user_can_authenticate(user) and not demo_user_refused(user)

    def get_user(self, user_id):
        user = (
            get_user_model()
            ._default_manager.annotate(group_names=JoinedText("groups__name", GROUP_SEPARATOR))
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None
