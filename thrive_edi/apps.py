from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ThriveEdiConfig(AppConfig):
    name = "thrive_edi"
    verbose_name = "Thrive EDI"

    def ready(self) -> None:
        from thrive_edi import audit, checks, roles  # noqa: F401 - checks registers itself

        audit.connect_signals()
        from django.contrib.auth.signals import user_logged_in

        from thrive_edi.two_factor.policy import remember_device_on_sign_in

        user_logged_in.connect(remember_device_on_sign_in, dispatch_uid="thrive_edi.two_factor.sign_in")
        # Groups and their permissions are made again after every migrate and flush, so a new
        # model's permissions reach the roles without a manual step.
        post_migrate.connect(roles.sync_roles_after_migrate, dispatch_uid="thrive_edi.sync_roles")
        # The database cache's table (rate limits) is made by every migrate, test databases too.
        post_migrate.connect(create_cache_table, dispatch_uid="thrive_edi.cache_table")


def create_cache_table(sender, using="default", **kwargs) -> None:
    from django.apps import apps
    from django.core.management import call_command

    # post_migrate is sent once per app with models (this one has none): act at the first, so
    # that the other apps' receivers (the default framework's loading) may use the cache.
    with_models = [config for config in apps.get_app_configs() if config.models_module]
    if with_models and sender.label == with_models[0].label:
        call_command("createcachetable", database=using, verbosity=0)
