from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from thrive_edi.demo import DEMO_PASSWORD, demo_users_load


class Command(BaseCommand):
    help = "Load the demo users (one per role) and demo content. Works only with DEBUG on."

    def handle(self, *args, **options):
        try:
            users = demo_users_load()
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from None
        names = ", ".join(user.username for user in users)
        self.stdout.write(self.style.SUCCESS(f"Demo users ready: {names} (password {DEMO_PASSWORD})."))
