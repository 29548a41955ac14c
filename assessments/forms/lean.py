"""Row forms drawn without a template for every field.

The impact grid is 24 rows of 9 fields, 12 of them radio buttons, and each action offers every
characteristic as a checkbox; drawn by crispy-forms-gds, a template for every field and every
option took most of those pages' time.
``row_html`` writes the same GOV.UK markup straight from the row's crispy layout: the same
elements, attributes and text (``test_lean_rows`` draws rows both ways and compares them).
Two differences are meant: every value is escaped, labels and hints too (crispy marks them
safe), and a layout option these functions do not draw is refused rather than dropped.
The markup is written with f-strings and ``thrive_edi.forms.escaped`` (what
``conditional_escape`` does, without the check for lazy arguments that made Django's helpers
most of the time spent here).
"""

import functools

from crispy_forms.utils import TEMPLATE_PACK
from crispy_forms_gds.layout import Field
from django.forms import BoundField, CheckboxSelectMultiple, HiddenInput, RadioSelect, Textarea, TextInput
from django.template import Context
from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from thrive_edi.forms import escaped, gds_helper

# The crispy options each kind of field is drawn with here: (context, attributes).
DRAWN_OPTIONS = {
    RadioSelect: ({"legend_size", "radios_small", "radios_inline"}, set()),
    CheckboxSelectMultiple: ({"legend_size", "checkboxes_small"}, set()),
    Textarea: ({"max_characters"}, {"class", "rows"}),
    TextInput: (set(), {"class"}),
}


def row_html(form, layout=None, *, hidden: bool = True) -> SafeString:
    """Every field of a row form: hidden ones, then those of ``form.layout()`` in order.

    Radios, checkbox lists, text areas and text boxes, the fields a row has many of, are
    written here; the rest (a select, a date, the box that removes a row) are drawn by crispy
    as before. ``layout`` and ``hidden``: draw only those items, without the hidden fields.
    """
    parts = [hidden_html(field) for field in form.hidden_fields()] if hidden else []
    for item in form.layout() if layout is None else layout:
        (name,) = item.fields
        field = form[name]
        kind = type(field.field.widget)
        if kind not in DRAWN_OPTIONS:
            parts.append(_drawn_by_crispy(form, item))
            continue
        context, attributes = DRAWN_OPTIONS[kind]
        undrawn = (item.context.keys() - context) | (item.attrs.keys() - attributes)
        if undrawn or getattr(item, "template", Field.template) != Field.template:
            raise TypeError(f"{name}: a lean row does not draw {sorted(undrawn) or 'its own template'}")
        if kind is Textarea:
            parts.append(_textarea(_Drawn(field), item))
        elif kind is TextInput:
            parts.append(_text_input(_Drawn(field), item))
        else:
            parts.append(_choices(_Drawn(field), item, multiple=kind is CheckboxSelectMultiple))
    return SafeString("".join(parts))  # each part is escaped as it is made


def _attributes(attrs: dict) -> str:
    """``flatatt``: ` name="value"` pairs in name order, then the true booleans' names (the
    names are the code's own: only the values are escaped)."""
    pairs = sorted(
        (name, value) for name, value in attrs.items() if value is not None and type(value) is not bool
    )
    flags = sorted(name for name, value in attrs.items() if value is True)
    return "".join(f' {name}="{escaped(value)}"' for name, value in pairs) + "".join(
        f" {name}" for name in flags
    )


class _Drawn:
    """What drawing a field reads of it again and again, read once (each read of a bound
    field's errors makes a new list)."""

    __slots__ = ("auto_id", "bound", "error_ids", "errors", "help_text", "label", "name")

    def __init__(self, bound: BoundField):
        self.bound = bound
        self.auto_id = bound.auto_id
        self.name = bound.html_name
        self.errors = bound.errors
        self.help_text = bound.help_text
        self.label = bound.label
        self.error_ids = [f"{self.auto_id}_{number}_error" for number in range(1, len(self.errors) + 1)]


def hidden_html(field: BoundField) -> SafeString:
    """A hidden field as Django draws it (``str(field)``), without its two widget templates."""
    widget = field.field.widget
    if type(widget) is not HiddenInput:
        return mark_safe(str(field))  # noqa: S308 - Django's own drawing
    value = widget.format_value(field.value())
    shown = f' value="{escaped(value)}"' if value is not None else ""
    attributes = _attributes(_widget_attrs(field, {}))
    return SafeString(f'<input type="hidden" name="{escaped(field.html_name)}"{shown}{attributes}>')


def management_html(form) -> SafeString:
    """A formset's management form as Django draws it (``str(form)``): its hidden fields, each
    drawn by ``hidden_html``; one with errors (a tampered page) is drawn by Django."""
    if form.errors:
        return mark_safe(str(form))  # noqa: S308 - Django's own drawing
    return SafeString("".join(hidden_html(field) for field in form.hidden_fields()))


def _widget_attrs(field: BoundField, attrs: dict, *, required: bool = True) -> dict:
    """The attributes Django gives the field's widget, with ``attrs`` added."""
    widget = field.field.widget
    attrs = field.build_widget_attrs(attrs, widget)
    if not required:
        attrs.pop("required", None)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    return widget.build_attrs(widget.attrs, attrs)


def _drawn_by_crispy(form, item: Field) -> SafeString:
    helper = gds_helper(item)
    context = Context(helper.get_attributes(template_pack=TEMPLATE_PACK))
    return helper.render_layout(form, context, template_pack=TEMPLATE_PACK)


def _errors(field: _Drawn) -> str:
    if not field.errors:
        return ""
    return "".join(
        f'<span id="{escaped(error_id)}" class="govuk-error-message">'
        f'<span class="govuk-visually-hidden">Error:</span> {escaped(error)}</span>'
        for error_id, error in zip(field.error_ids, field.errors, strict=True)
    )


def _hint(field: _Drawn) -> str:
    if not field.help_text:
        return ""
    return f'<div id="{escaped(field.auto_id)}_hint" class="govuk-hint">{escaped(field.help_text)}</div>'


def _group(field: _Drawn, *inside: str) -> str:
    """The field's form group: its label or legend, hint and errors, then ``inside``."""
    group_class = "govuk-form-group govuk-form-group--error" if field.errors else "govuk-form-group"
    return f'<div id="div_{escaped(field.auto_id)}" class="{group_class}">' + "".join(inside) + "</div>"


def conditional_id(field: BoundField, value) -> str:
    """The id of what choosing ``value`` of ``field`` reveals."""
    return f"conditional-{field.html_name}-{value}"


def radios_revealing(form, item: Field, revealed: dict) -> SafeString:
    """Radios whose choices each reveal more (``{value: html}``), drawn as GOV.UK's conditional
    reveal: without JavaScript everything is shown (the stylesheet hides the unchosen parts only
    once the script runs); with it, only what the chosen radio reveals. The page's own script
    (``static/js/reveal.mjs``) follows the choice: GOV.UK's would mark the radios
    ``aria-expanded``, which radios may not carry (axe-core refuses it)."""
    return _choices(_Drawn(form[item.fields[0]]), item, multiple=False, revealed=revealed)


def _choices(field: _Drawn, item: Field, *, multiple: bool, revealed: dict | None = None) -> SafeString:
    """Radios, or checkboxes when ``multiple``, in a fieldset; ``revealed``: what each radio's
    choice reveals, drawn after it."""
    context = item.context
    described_by = ([f"{field.auto_id}_hint"] if field.help_text else []) + field.error_ids
    fieldset = (
        f'<fieldset class="govuk-fieldset" aria-describedby="{escaped(" ".join(described_by))}">'
        if described_by
        else '<fieldset class="govuk-fieldset">'
    )
    legend_class = "govuk-fieldset__legend"
    if context.get("legend_size"):
        legend_class += f" {context['legend_size']}"
    kind = "checkboxes" if multiple else "radios"
    group_class = f"govuk-{kind}--inline" if context.get("radios_inline") else f"govuk-{kind}"
    if context.get(f"{kind}_small"):
        group_class += f" govuk-{kind}--small"
    value = field.bound.value()
    chosen = {str(value) for value in value or []} if multiple else {str(value)}
    revealed = revealed or {}
    name = escaped(field.name)
    input_type = "checkbox" if multiple else "radio"
    items = []
    for position, (value, text, escaped_value, escaped_label) in enumerate(
        _options(field.bound.field.choices), start=1
    ):
        is_chosen = text in chosen
        checked = ' checked="checked"' if is_chosen else ""
        element_id = f"id_{name}_{position}"
        items.append(
            f'<div class="govuk-{kind}__item"><input type="{input_type}" name="{name}" '
            f'class="govuk-{kind}__input" id="{element_id}" value="{escaped_value}"{checked}>'
            f'<label class="govuk-label govuk-{kind}__label" for="{element_id}">{escaped_label}</label>'
            "</div>"
        )
        if value in revealed:
            hidden = "" if is_chosen else " govuk-radios__conditional--hidden"
            reveals_id = escaped(conditional_id(field.bound, value))
            items.append(
                f'<div class="govuk-radios__conditional{hidden}" id="{reveals_id}" data-reveal-when="{name}" '
                f'data-reveal-values="{escaped_value}">{escaped(revealed[value])}</div>'
            )
    legend = f'<legend class="{escaped(legend_class)}">{escaped(field.label)}</legend>' if field.label else ""
    return SafeString(
        _group(
            field,
            fieldset,
            legend,
            _hint(field),
            _errors(field),
            f'<div class="{escaped(group_class)}">',
            *items,
            "</div></fieldset>",
        )
    )


def _options(choices) -> list[tuple]:
    """Each option as (value, value as text, value escaped, label escaped): made once for options
    every row shares (``FixedChoices``), the same dozen on each of the grid's rows."""
    made = getattr(choices, "drawn", None)
    if made is None:
        made = [(value, str(value), escaped(value), escaped(label)) for value, label in choices]
        if hasattr(choices, "drawn"):
            choices.drawn = made
    return made


def _element_attrs(field: _Drawn, attrs: dict) -> str:
    """The attributes of what ``field.as_widget(attrs=attrs)`` draws, as crispy-forms-gds draws
    forms: no browser validation ahead of the service's own messages."""
    return _attributes(_widget_attrs(field.bound, attrs, required=False))


def _textarea_element(field: _Drawn, attrs: dict) -> str:
    """What ``field.as_widget(attrs=attrs)`` draws, without Django's two widget templates."""
    value = field.bound.field.widget.format_value(field.bound.value())
    attributes = _element_attrs(field, attrs)
    return f'<textarea name="{escaped(field.name)}"{attributes}>\n{escaped(value or "")}</textarea>'


def _input_element(field: _Drawn, attrs: dict) -> str:
    """What ``field.as_widget(attrs=attrs)`` draws for a text box, without Django's templates."""
    widget = field.bound.field.widget
    value = widget.format_value(field.bound.value())
    shown = f' value="{escaped(value)}"' if value is not None else ""
    attributes = _element_attrs(field, attrs)
    return f'<input type="{escaped(widget.input_type)}" name="{escaped(field.name)}"{shown}{attributes}>'


def _label(field: _Drawn) -> str:
    if not field.label:
        return ""
    for_id = escaped(field.bound.id_for_label)
    return f'<label for="{for_id}" class="govuk-label">{escaped(field.label)}</label>'


def _text_input(field: _Drawn, item: Field) -> SafeString:
    """A text box in its form group, as crispy-forms-gds draws ``Field.text``."""
    css = ["govuk-input"]
    for name in field.bound.field.widget.attrs.get("class", "").split():
        if name not in css:
            css.append(name)
    if field.errors:
        css.append("govuk-input--error")
    attrs = {"class": " ".join(css)}
    if item.attrs.get("class"):
        attrs["class"] += " " + item.attrs["class"]
    if field.help_text or field.errors:  # otherwise the widget's own, as crispy-forms-gds leaves it
        hint = [f"{field.auto_id}_hint"] if field.help_text else []
        attrs["aria-describedby"] = " ".join(hint + field.error_ids)
    return SafeString(
        _group(field, _label(field), _hint(field), _errors(field), _input_element(field, attrs))
    )


@functools.lru_cache(maxsize=16)
def _shown_limit(limit: int, language: str) -> str:
    """A character limit as the page writes it (20,000), made once for each language."""
    return escaped(localize(limit))


def _textarea(field: _Drawn, item: Field) -> SafeString:
    limit = item.context.get("max_characters")
    described_by = [f"{field.auto_id}_hint"] if field.help_text else []
    css = ["govuk-textarea"]
    for name in [
        *field.bound.field.widget.attrs.get("class", "").split(),
        *item.attrs.get("class", "").split(),
    ]:
        if name not in css:
            css.append(name)
    if "govuk-js-character-count" in css:
        described_by.append(f"{field.auto_id}-info")
    if field.errors and not field.help_text:
        described_by = []  # as crispy-forms-gds: the error messages describe the box instead
    if field.errors:
        css.append("govuk-input--error")
    attrs = {**item.attrs, "class": " ".join(css)}
    if described_by or field.errors:
        attrs["aria-describedby"] = " ".join(described_by + field.error_ids)
    shown_limit = _shown_limit(limit, get_language()) if limit else ""
    counted = (
        f'<span id="{escaped(field.bound.id_for_label)}-info" '
        'class="govuk-hint govuk-character-count__message" '
        f'aria-live="polite">You can enter up to {shown_limit} characters</span>'
        if limit
        else ""
    )
    group = _group(
        field, _label(field), _hint(field), _errors(field), _textarea_element(field, attrs), counted
    )
    if limit:
        group = (
            '<div class="govuk-character-count" data-module="govuk-character-count" '
            f'data-maxlength="{shown_limit}">{group}</div>'
        )
    return SafeString(group)
