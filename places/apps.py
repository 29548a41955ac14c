from django.apps import AppConfig
from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import post_migrate

from thrive_edi.migrating import schema_is_current


class PlacesConfig(AppConfig):
    name = "places"
    verbose_name = "Places in London"

    def ready(self) -> None:
        # The data migration loads London on a fresh install; a flushed database (post_migrate
        # is sent after flush too) gets it back here.
        post_migrate.connect(load_london_after_migrate, sender=self, dispatch_uid="places.load_london")


def load_london_after_migrate(sender, using=DEFAULT_DB_ALIAS, apps=None, **kwargs) -> None:
    if using != DEFAULT_DB_ALIAS or not schema_is_current(sender, apps):
        return
    from places.london import load_london

    load_london()
