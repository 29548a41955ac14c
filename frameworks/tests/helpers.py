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


def form_post_data(form) -> dict:
    """The data a browser would post for an unchanged form (as rendered with its initial values)."""
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None or value is False:
            continue
        key = form.add_prefix(name)
        if value is True:
            data[key] = "on"
        elif isinstance(value, list | tuple):
            data[key] = [str(getattr(item, "pk", item)) for item in value]
        else:
            data[key] = str(getattr(value, "pk", value))
    return data


def admin_change_post_data(response) -> dict:
    """What posting an admin change page unchanged sends: the main form and every inline formset."""
    data = form_post_data(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(form_post_data(formset.management_form))
        for form in formset.forms:
            data.update(form_post_data(form))
    return data
