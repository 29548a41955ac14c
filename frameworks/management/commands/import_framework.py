from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from frameworks.files import FrameworkFileError
from frameworks.models import FrameworkVersion, VersionStateError
from frameworks.services import framework_import, framework_version_publish


class Command(BaseCommand):
    help = (
        "Load a framework file (YAML) as a new draft framework version. A file with any problem "
        "loads nothing; every problem is listed with its key path."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The framework file to load.")
        parser.add_argument("--label", help="Use this version label instead of the file's framework.version.")
        parser.add_argument(
            "--publish", action="store_true", help="Publish the new version at once, making it current."
        )

    def handle(self, *args, file: str, label: str | None, publish: bool, **options):
        try:
            with transaction.atomic():  # publishing may fail: then nothing is loaded either
                version = framework_import(path=file, label=label)
                if publish:
                    version = framework_version_publish(version=version)
        except FrameworkFileError as error:
            raise CommandError(f"Nothing was loaded.\n{error}") from None
        except VersionStateError as error:
            raise CommandError("Nothing was loaded.\n" + "\n".join(error.messages)) from None
        counts = describe_counts(version)
        state = "published as the current version" if publish else "as a draft"
        self.stdout.write(self.style.SUCCESS(f"Loaded {version} {state} (id {version.pk}): {counts}."))


def describe_counts(version: FrameworkVersion) -> str:
    row = FrameworkVersion.objects.with_counts().get(pk=version.pk)
    return (
        f"{row.principle_count} principles, {row.protected_count} protected characteristics, "
        f"{row.additional_count} additional groups, {row.section_count} sections, "
        f"{row.question_count} questions"
    )
