"""Saving a "none applies" choice from its section page (``kinds.NoneAppliesChoice``).

Called by ``services.section_save`` inside its transaction. A choice that says no one has taken
part yet puts an action in the action plan, due the day people will take part: made once, its
due date kept in step with the choice, and removed with the choice while nobody has started it.
"""

from assessments.models import Action, NoneApplies
from assessments.sections import NoneAppliesPart


def _action_for(choice: NoneApplies, part: NoneAppliesPart, user) -> Action:
    spec = part.choice
    assessment = part.content.assessment
    return Action.objects.create(
        assessment=assessment,
        issue=spec.action_issue,
        action=f"{spec.action_text}\n\n{choice.reason.strip()}".strip(),
        measure=spec.action_measure,
        owner_id=assessment.owner_id,
        due_date=choice.expected_on,
        updated_by=user,
    )


def _withdraw(stored: NoneApplies) -> None:
    action = stored.action
    stored.delete()
    if action is not None and action.status == Action.Status.OPEN and not action.progress_notes:
        action.delete()


def none_applies_apply(part: NoneAppliesPart, user) -> None:
    """Store the valid parts of the choice; a mistaken value keeps what was stored."""
    form, stored = part.form, part.stored
    form.is_valid()
    cleaned = form.cleaned_data
    if "applies" not in cleaned:
        return
    if not cleaned["applies"]:
        if stored is not None:
            _withdraw(stored)
        return
    rows_remain = part.kind.model.objects.filter(assessment=part.content.assessment).exists()
    if rows_remain:
        # Kept as typed, but it counts only once the rows are gone: say so beside the box.
        form.add_error("applies", part.choice.rows_too)
    choice = stored or NoneApplies(assessment=part.content.assessment, kind=part.kind.prefix)
    changed = stored is None
    for name in ("reason", "expected_on"):
        if name in cleaned and cleaned[name] != getattr(choice, name):
            setattr(choice, name, cleaned[name])
            changed = True
    if changed:
        choice.updated_by = user
        choice.save()
    if not part.choice.asks_when or choice.expected_on is None or rows_remain:
        return
    if choice.action is None:
        if changed:
            choice.action = _action_for(choice, part, user)
            choice.save(update_fields=["action"])
    elif choice.action.due_date != choice.expected_on and choice.action.status == Action.Status.OPEN:
        choice.action.due_date = choice.expected_on
        choice.action.updated_by = user
        choice.action.save()
