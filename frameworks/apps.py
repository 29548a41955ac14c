from django.apps import AppConfig
from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import post_delete, post_migrate, post_save

from thrive_edi.migrating import schema_is_current


class FrameworksConfig(AppConfig):
    name = "frameworks"
    verbose_name = "EDI Framework and EIA template"

    def ready(self) -> None:
        # A fresh install, and every flushed test database, starts with the default framework
        # published: post_migrate is sent after migrate and after flush.
        post_migrate.connect(
            load_default_framework_after_migrate, sender=self, dispatch_uid="frameworks.load_default"
        )
        from frameworks.models import FrameworkVersion
        from frameworks.selectors import version_options_forget

        for signal in (post_save, post_delete):
            signal.connect(
                version_options_forget, sender=FrameworkVersion, dispatch_uid="frameworks.version_options"
            )


def load_default_framework_after_migrate(sender, using=DEFAULT_DB_ALIAS, apps=None, verbosity=1, **kwargs):
    if using != DEFAULT_DB_ALIAS or not schema_is_current(sender, apps):
        return
    from frameworks.services import framework_load_default

    version = framework_load_default()
    if version is not None and verbosity >= 1:
        print(f"  Loaded and published the default framework: {version}.")
