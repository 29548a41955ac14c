from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from thrive_edi.audit import log_security_event
from thrive_edi.two_factor.services import second_factor_remove


class Command(BaseCommand):
    help = (
        "Remove a user's authenticator app and recovery codes, for someone who has lost both. "
        "Approvers and Admins set up a new app at their next sign-in."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, **options):
        user = get_user_model()._default_manager.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"There is no user {options['username']!r}.")
        second_factor_remove(user=user)
        log_security_event("second_factor_reset", username=user.get_username())
        self.stdout.write(f"Multi-factor sign-in reset for {user.get_username()}.")
