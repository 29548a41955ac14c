"""What post_migrate receivers ask before they write."""


def schema_is_current(app_config, apps) -> bool:
    """Whether an app's tables match its models (not when migrating backwards or part-way).

    ``apps``: the migration state that post_migrate passes; None means the models' own.
    """
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
