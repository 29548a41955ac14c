import getpass

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from thrive_edi.roles import Role
from thrive_edi.services import user_create


class Command(BaseCommand):
    help = "Create a user with a role: staff, approver, board or admin."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=[role.value for role in Role])
        parser.add_argument("--email", default="")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument(
            "--password",
            help="The password; asked for at a prompt when left out (safer than a command line).",
        )

    def handle(self, *args, **options):
        password = options["password"]
        if password is None:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The two passwords differ.")
        try:
            user = user_create(
                username=options["username"],
                password=password,
                role=Role(options["role"]),
                email=options["email"],
                first_name=options["first_name"],
                last_name=options["last_name"],
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        self.stdout.write(self.style.SUCCESS(f"Created {user.username} with the role {options['role']}."))
