from django.core.management.base import BaseCommand

from thrive_edi.audit import log_security_event
from thrive_edi.demo import demo_users_remove


class Command(BaseCommand):
    help = (
        "Remove the demo users. One who wrote records that must be kept (an assessment, a comment) "
        "is deactivated and left without a password instead."
    )

    def handle(self, *args, **options):
        removed, closed = demo_users_remove()
        for username in removed:
            log_security_event("demo_user_removed", username=username)
        for username in closed:
            log_security_event("demo_user_deactivated", username=username)
        self.stdout.write(
            f"Demo users removed: {', '.join(removed) or 'none'}; "
            f"deactivated (they wrote records): {', '.join(closed) or 'none'}."
        )
