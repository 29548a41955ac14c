from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from frameworks.models import FrameworkVersion
from frameworks.services import framework_export


class Command(BaseCommand):
    help = "Write a framework version as a framework file (YAML), which import_framework reads back."

    def add_arguments(self, parser):
        parser.add_argument(
            "version", help='The version label (for example "2022/23"), "current", or the version\'s id.'
        )
        parser.add_argument("-o", "--output", help="Write to this file instead of standard output.")

    def handle(self, *args, version: str, output: str | None, **options):
        found = find_version(version)
        text = framework_export(version=found)
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stderr.write(f"Wrote {found} to {output}.")
        else:
            self.stdout.write(text, ending="")


def find_version(wanted: str) -> FrameworkVersion:
    versions = FrameworkVersion.objects.all()
    found = versions.current() if wanted == "current" else versions.filter(label=wanted).first()
    if found is None and wanted.isdigit():
        found = versions.filter(pk=int(wanted)).first()
    if found is None:
        labels = ", ".join(versions.values_list("label", flat=True)) or "none"
        raise CommandError(f"No framework version {wanted!r}. Versions: {labels}.")
    return found
