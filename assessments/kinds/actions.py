"""The action plan: what will be done about each impact that needs it; rows users add."""

from assessments.display import NOT_ANSWERED, combination_name
from assessments.forms import ActionFormSet, people_who_assess
from assessments.forms.common import SharedChoices
from assessments.kinds.base import RowKind, copy_fields, day, text
from assessments.kinds.subgroups import SubgroupKind
from assessments.models import Action, IntersectionalImpact
from assessments.selectors import linked_characteristics, version_characteristics
from assessments.thresholds import CONFIDENCE_NEEDING_ACTION, IMPACTS_NEEDING_ACTION
from frameworks.scales import Scale, StructuredPart
from thrive_edi.people import person_name


def impacts_without_action(content) -> list[str]:
    """Names of the impacts that need an action and have none linked to them."""
    linked_characteristics = {c.pk for action in content.actions for c in action.characteristic_list}
    linked_combinations = {i.pk for action in content.actions for i in action.combination_list}
    impact_labels = content.version.labels(Scale.IMPACT)
    missing = []
    for rating in content.ratings:
        if rating.characteristic_id in linked_characteristics or rating.is_relevant is False:
            continue
        if rating.impact in IMPACTS_NEEDING_ACTION:
            missing.append(
                f"{rating.characteristic.name} ({impact_labels.get(rating.impact, rating.impact)})"
            )
        elif rating.confidence in CONFIDENCE_NEEDING_ACTION:
            missing.append(f"{rating.characteristic.name} (no evidence)")
    for index, item in enumerate(content.intersectional):
        if item.impact in IMPACTS_NEEDING_ACTION and item.pk not in linked_combinations:
            names = " and ".join(c.name for c in item.characteristic_list) or f"combination {index + 1}"
            missing.append(f"{names} ({impact_labels.get(item.impact, item.impact)})")
    # A finer group's impact is met by an action for its characteristic: actions name characteristics.
    characteristics = {rating.characteristic_id: rating.characteristic for rating in content.ratings}
    for row in SubgroupKind().rows(content):
        characteristic_id = row.subgroup.characteristic_id
        if (
            row.relevant
            and row.impact in IMPACTS_NEEDING_ACTION
            and characteristic_id not in linked_characteristics
        ):
            name = f"{characteristics[characteristic_id].name}: the {row.subgroup.name} group"
            missing.append(f"{name} ({impact_labels.get(row.impact, row.impact)})")
    return missing


def _groups(action) -> str:
    """The characteristics, then each combination by its name, set apart by semicolons (the
    names of a combination's characteristics are joined by "and")."""
    names = [c.name for c in action.characteristic_list]
    names += [f"Combination: {combination_name(i)}" for i in action.combination_list]
    return "; ".join(names) or NOT_ANSWERED


class ActionKind(RowKind):
    structured = StructuredPart.ACTION_PLAN
    model = Action
    formset_class = ActionFormSet
    prefix = "actions"
    content_attr = "actions"
    history_label = "Action"
    caption = "Action plan"
    headers = ("Issue", "Action", "Groups", "Principle", "Owner", "Due", "Measure", "Status")
    column_widths = (15, 15, 15, 15, 10, 10, 10, 10)
    template_name = "assessments/parts/actions.html"
    adds_rows = True
    add_label = "Add an action"
    row_noun = "action"
    needs_started_first = StructuredPart.IMPACT_GRID  # actions link to rated impacts
    lists_people = True  # each action's owner, from the people who assess
    # Its rule reads the impacts too, which someone may have saved since the page loaded.
    also_reads = ("ratings", "intersectional")

    def queryset(self, assessment):
        return super().queryset(assessment).prefetch_related("characteristics", "intersectional_impacts")

    def form_kwargs(self, content):
        return {
            **super().form_kwargs(content),
            "characteristics": SharedChoices(
                version_characteristics(content.version), label=lambda c: c.name
            ),
            "combinations": SharedChoices(
                IntersectionalImpact.objects.filter(assessment=content.assessment)
                .prefetch_related(linked_characteristics())
                .order_by("pk"),
                label=combination_name,
            ),
            "principles": SharedChoices(
                content.version.principles.order_by("order", "pk"), label=lambda p: p.name
            ),
            "people": SharedChoices(people_who_assess(), label=person_name),
        }

    def failures(self, content, section):
        failures = [
            self.failure(section, f"Add an action for {name}") for name in impacts_without_action(content)
        ]
        texts = [
            ("issue", "Describe the issue"),
            ("action", "Describe the action"),
            ("measure", "Say how progress will be measured"),
        ]
        checks = [
            (
                field,
                lambda row, field=field: not getattr(row, field).strip(),
                lambda i, row, message=message: f"{message} (action {i + 1})",
            )
            for field, message in texts
        ]
        checks += [
            ("owner", lambda row: row.owner_id is None, lambda i, row: f"Choose who owns action {i + 1}"),
            (
                "due_date",
                lambda row: row.due_date is None,
                lambda i, row: f"Enter a due date for action {i + 1}",
            ),
        ]
        return failures + self.row_failures(section, self.rows(content), checks)

    def table_rows(self, content):
        return [
            [
                text(a.issue),
                text(a.action),
                _groups(a),
                a.principle.name if a.principle else "None",
                person_name(a.owner) if a.owner else NOT_ANSWERED,
                day(a.due_date),
                text(a.measure),
                a.get_status_display(),
            ]
            for a in self.rows(content)
        ]

    def copy(self, old, new, context):
        combinations = context.copies.get("intersectional", {})
        principles = context.principles
        copied = context.copies.setdefault(self.prefix, {})
        for action in Action.objects.filter(assessment=old).prefetch_related(
            "characteristics", "intersectional_impacts"
        ):
            copy = Action(
                assessment=new, principle=principles.get(action.principle.key) if action.principle else None
            )
            copy_fields(action, copy, context.user, except_links=("principle_id",))
            copy.save()
            copy.characteristics.set(
                [
                    context.characteristics[c.key]
                    for c in action.characteristics.all()
                    if c.key in context.characteristics
                ]
            )
            copy.intersectional_impacts.set([combinations[i.pk] for i in action.intersectional_impacts.all()])
            copied[action.pk] = copy
            if action.principle and action.principle.key not in principles:
                context.lost.append(
                    f"The principle of action “{action.action[:60]}”: "
                    f"{action.principle.name} is not in the current framework."
                )
        # A "none applies" choice that made an action (no participation yet) keeps its copy.
        for choice, old_action in context.copies.get("none-applies", {}).values():
            if old_action in copied:
                choice.action = copied[old_action]
                choice.save(update_fields=["action"])
