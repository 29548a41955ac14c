from django.apps import AppConfig
from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import post_migrate


class FrameworksConfig(AppConfig):
    name = "frameworks"
    verbose_name = "EDI Framework and EIA template"

    def ready(self) -> None:
        # A fresh install, and every flushed test database, starts with the default framework
        # published: post_migrate is sent after migrate and after flush.
        post_migrate.connect(
            load_default_framework_after_migrate, sender=self, dispatch_uid="frameworks.load_default"
        )


def load_default_framework_after_migrate(sender, using=DEFAULT_DB_ALIAS, apps=None, verbosity=1, **kwargs):
    if using != DEFAULT_DB_ALIAS or not _schema_is_current(sender, apps):
        return
    from frameworks.services import framework_load_default

    version = framework_load_default()
    if version is not None and verbosity >= 1:
        print(f"  Loaded and published the default framework: {version}.")


def _schema_is_current(app_config, apps) -> bool:
    """Whether the frameworks tables match the models (not when migrating backwards or part-way)."""
    if apps is None:
        return True
    for model in app_config.get_models():
        try:
            migrated = apps.get_model(model._meta.label)
        except LookupError:
            return False
        if _field_names(migrated) != _field_names(model):
            return False
    return True


def _field_names(model) -> set[str]:
    return {field.name for field in (*model._meta.concrete_fields, *model._meta.many_to_many)}
