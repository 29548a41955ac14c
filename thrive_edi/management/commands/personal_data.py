import json
import sys

from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder

from thrive_edi.personal_data import (
    PSEUDONYM,
    PersonNotFound,
    person_find,
    personal_data_erase,
    personal_data_export,
)

CONFIRMATION_REFUSED = "Nothing was changed. Type yes when asked, or give --yes, to erase a person."


class Command(BaseCommand):
    help = (
        "Personal data held about a person (UK GDPR): export it as JSON, or erase the person from "
        "live data (signed-off records keep their names)."
    )

    # Tests give the answer to the confirmation question here.
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        export = actions.add_parser("export", help="Write everything held about a person as JSON.")
        export.add_argument("person", help="username or email address")
        export.add_argument("--output", "-o", help="write to this file instead of standard output")
        erase = actions.add_parser(
            "erase",
            help=f"Close the account and replace the person's name with '{PSEUDONYM} <id>' in live data.",
        )
        erase.add_argument("person", help="username or email address")
        erase.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, **options):
        try:
            user = person_find(options["person"])
        except PersonNotFound as error:
            raise CommandError(str(error)) from None
        return getattr(self, f"_{options['action']}")(user, options)

    def _export(self, user, options) -> None:
        data = personal_data_export(user=user)
        text = json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8") as output:
                output.write(text + "\n")
            self.stderr.write(f"Personal data of user {user.pk} written to {options['output']}.")
        else:
            self.stdout.write(text)

    def _erase(self, user, options) -> None:
        if not options["yes"]:
            self.stdout.write(
                f"This closes the account of {user.get_full_name() or user.get_username()} (user {user.pk}) "
                f"and replaces their name with '{PSEUDONYM} {user.pk}' everywhere but in signed-off "
                "records. It cannot be undone."
            )
            stdin = options.get("stdin") or sys.stdin
            self.stdout.write("Type yes to erase them: ", ending="")
            self.stdout.flush()
            if stdin.readline().strip().lower() != "yes":
                raise CommandError(CONFIRMATION_REFUSED)
        done = personal_data_erase(user=user)
        self.stdout.write(f"User {user.pk} erased: now {PSEUDONYM} {user.pk}.")
        for what, count in done.items():
            self.stdout.write(f"  {what.replace('_', ' ')}: {count}")
