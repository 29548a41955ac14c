from importlib import import_module

from django.apps import apps
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
        # Each app may add demo content of its own in <app>/demo.py, in the order of
        # INSTALLED_APPS, so that later apps build on earlier ones.
        by_name = {user.username: user for user in users}
        for app_config in apps.get_app_configs():
            try:
                module = import_module(f"{app_config.name}.demo")
            except ModuleNotFoundError as error:
                if error.name != f"{app_config.name}.demo":
                    raise
                continue
            loader = getattr(module, "load_demo_content", None)
            if loader is not None:
                loader(by_name)
        names = ", ".join(user.username for user in users)
        self.stdout.write(self.style.SUCCESS(f"Demo users ready: {names} (password {DEMO_PASSWORD})."))
