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
        # Names kept by a process are read again once an admin changes them.
        from django.db.models.signals import post_delete, post_save

        from places.models import IntegratedCareSystem, LocalAuthority

        for model in (IntegratedCareSystem, LocalAuthority):
            for signal in (post_save, post_delete):
                signal.connect(
                    _names_changed, sender=model, dispatch_uid=f"places.names.{signal}.{model.__name__}"
                )


def _names_changed(**kwargs) -> None:
    from places.selectors import forget_known_place_groups

    forget_known_place_groups()


def load_london_after_migrate(sender, using=DEFAULT_DB_ALIAS, apps=None, **kwargs) -> None:
    if using != DEFAULT_DB_ALIAS or not schema_is_current(sender, apps):
        return
    _names_changed()
    from places.london import load_london

    load_london()
