import json

from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder

from thrive_edi.personal_data import PersonNotFound, person_find, personal_data_export


class Command(BaseCommand):
    help = "Personal data held about a person (UK GDPR): export it as JSON."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        export = actions.add_parser("export", help="Write everything held about a person as JSON.")
        export.add_argument("person", help="username or email address")
        export.add_argument("--output", "-o", help="write to this file instead of standard output")

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
