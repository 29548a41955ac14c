from django.apps import apps

from frameworks.models import Principle


def frameworks_counts() -> dict[str, int]:
    """How many rows each frameworks table holds: compared before and after a refused change."""
    counts = {
        model._meta.label: model._base_manager.count()
        for model in apps.get_app_config("frameworks").get_models()
    }
    counts["principle levels"] = Principle.levels.through.objects.count()
    return counts


def frameworks_snapshot() -> dict[str, list]:
    """Every row of every frameworks table, for checking that nothing at all changed."""
    snapshot = {
        model._meta.label: sorted(map(repr, model._base_manager.values_list()))
        for model in apps.get_app_config("frameworks").get_models()
    }
    snapshot["principle levels"] = sorted(
        Principle.levels.through.objects.values_list("principle_id", "level_id")
    )
    return snapshot
