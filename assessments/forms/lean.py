"""Row forms drawn without a template for every field.

The impact grid is 24 rows of 9 fields, 12 of them radio buttons, and each action offers every
characteristic as a checkbox; drawn by crispy-forms-gds, a template for every field and every
option took most of those pages' time.
``row_html`` writes the same GOV.UK markup straight from the row's crispy layout: the same
elements, attributes and text (``test_lean_rows`` draws rows both ways and compares them).
Two differences are meant: every value is escaped, labels and hints too (crispy marks them
safe), and a layout option these functions do not draw is refused rather than dropped.
"""

from crispy_forms.utils import TEMPLATE_PACK
from crispy_forms_gds.layout import Field
from django.forms import BoundField, CheckboxSelectMultiple, HiddenInput, RadioSelect, Textarea, TextInput
from django.forms.utils import flatatt
from django.template import Context
from django.utils.formats import localize
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from thrive_edi.forms import gds_helper

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
        undrawn = (set(item.context) - context) | (set(item.attrs) - attributes)
        if undrawn or getattr(item, "template", Field.template) != Field.template:
            raise TypeError(f"{name}: a lean row does not draw {sorted(undrawn) or 'its own template'}")
        if kind is Textarea:
            parts.append(_textarea(field, item))
        elif kind is TextInput:
            parts.append(_text_input(field, item))
        else:
            parts.append(_choices(field, item, multiple=kind is CheckboxSelectMultiple))
    return mark_safe("".join(parts))  # noqa: S308 - each part is escaped as it is made


def hidden_html(field: BoundField) -> SafeString:
    """A hidden field as Django draws it (``str(field)``), without its two widget templates."""
    widget = field.field.widget
    if type(widget) is not HiddenInput:
        return mark_safe(str(field))  # noqa: S308 - Django's own drawing
    value = widget.format_value(field.value())
    return format_html(
        '<input type="hidden" name="{}"{}{}>',
        field.html_name,
        format_html(' value="{}"', value) if value is not None else "",
        flatatt(_widget_attrs(field, {})),
    )


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


def _error_ids(field: BoundField) -> list[str]:
    return [f"{field.auto_id}_{number}_error" for number, _ in enumerate(field.errors, start=1)]


def _errors(field: BoundField) -> SafeString:
    return format_html_join(
        "",
        '<span id="{}" class="govuk-error-message">'
        '<span class="govuk-visually-hidden">Error:</span> {}</span>',
        zip(_error_ids(field), field.errors, strict=True),
    )


def _hint(field: BoundField) -> SafeString:
    if not field.help_text:
        return mark_safe("")
    return format_html('<div id="{}_hint" class="govuk-hint">{}</div>', field.auto_id, field.help_text)


def _group_class(field: BoundField) -> str:
    return "govuk-form-group govuk-form-group--error" if field.errors else "govuk-form-group"


def conditional_id(field: BoundField, value) -> str:
    """The id of what choosing ``value`` of ``field`` reveals."""
    return f"conditional-{field.html_name}-{value}"


def radios_revealing(form, item: Field, revealed: dict) -> SafeString:
    """Radios whose choices each reveal more (``{value: html}``), drawn as GOV.UK's conditional
    reveal: without JavaScript everything is shown (the stylesheet hides the unchosen parts only
    once the script runs); with it, only what the chosen radio reveals. The page's own script
    (``static/js/reveal.mjs``) follows the choice: GOV.UK's would mark the radios
    ``aria-expanded``, which radios may not carry (axe-core refuses it)."""
    return _choices(form[item.fields[0]], item, multiple=False, revealed=revealed)


def _choices(field: BoundField, item: Field, *, multiple: bool, revealed: dict | None = None) -> SafeString:
    """Radios, or checkboxes when ``multiple``, in a fieldset; ``revealed``: what each radio's
    choice reveals, drawn after it."""
    context = item.context
    described_by = ([f"{field.auto_id}_hint"] if field.help_text else []) + _error_ids(field)
    fieldset = (
        format_html('<fieldset class="govuk-fieldset" aria-describedby="{}">', " ".join(described_by))
        if described_by
        else mark_safe('<fieldset class="govuk-fieldset">')
    )
    legend_class = "govuk-fieldset__legend"
    if context.get("legend_size"):
        legend_class += f" {context['legend_size']}"
    kind = "checkboxes" if multiple else "radios"
    group_class = f"govuk-{kind}--inline" if context.get("radios_inline") else f"govuk-{kind}"
    if context.get(f"{kind}_small"):
        group_class += f" govuk-{kind}--small"
    chosen = {str(value) for value in field.value() or []} if multiple else {str(field.value())}
    checked = mark_safe(' checked="checked"')
    revealed = revealed or {}
    items = format_html_join(
        "",
        '<div class="govuk-{kind}__item"><input type="{type}" name="{name}" class="govuk-{kind}__input" '
        'id="id_{name}_{position}" value="{value}"{checked}{controls}>'
        '<label class="govuk-label govuk-{kind}__label" for="id_{name}_{position}">{label}</label></div>'
        "{reveals}",
        (
            {
                "kind": kind,
                "type": "checkbox" if multiple else "radio",
                "name": field.html_name,
                "position": position,
                "value": value,
                "checked": checked if str(value) in chosen else "",
                "label": label,
                "controls": "",
                "reveals": format_html(
                    '<div class="govuk-radios__conditional{}" id="{}" data-reveal-when="{}" '
                    'data-reveal-values="{}">{}</div>',
                    "" if str(value) in chosen else " govuk-radios__conditional--hidden",
                    conditional_id(field, value),
                    field.html_name,
                    value,
                    revealed[value],
                )
                if value in revealed
                else "",
            }
            for position, (value, label) in enumerate(field.field.choices, start=1)
        ),
    )
    legend = format_html('<legend class="{}">{}</legend>', legend_class, field.label) if field.label else ""
    return format_html(
        '<div id="div_{}" class="{}">{}{}{}{}<div class="{}">{}</div></fieldset></div>',
        field.auto_id,
        _group_class(field),
        fieldset,
        legend,
        _hint(field),
        _errors(field),
        group_class,
        items,
    )


def _element_attrs(field: BoundField, attrs: dict) -> SafeString:
    """The attributes of what ``field.as_widget(attrs=attrs)`` draws, as crispy-forms-gds draws
    forms: no browser validation ahead of the service's own messages."""
    return flatatt(_widget_attrs(field, attrs, required=False))


def _textarea_element(field: BoundField, attrs: dict) -> SafeString:
    """What ``field.as_widget(attrs=attrs)`` draws, without Django's two widget templates."""
    value = field.field.widget.format_value(field.value())
    return format_html(
        '<textarea name="{}"{}>\n{}</textarea>', field.html_name, _element_attrs(field, attrs), value or ""
    )


def _input_element(field: BoundField, attrs: dict) -> SafeString:
    """What ``field.as_widget(attrs=attrs)`` draws for a text box, without Django's templates."""
    widget = field.field.widget
    value = widget.format_value(field.value())
    return format_html(
        '<input type="{}" name="{}"{}{}>',
        widget.input_type,
        field.html_name,
        format_html(' value="{}"', value) if value is not None else "",
        _element_attrs(field, attrs),
    )


def _text_input(field: BoundField, item: Field) -> SafeString:
    """A text box in its form group, as crispy-forms-gds draws ``Field.text``."""
    css = ["govuk-input"]
    for name in field.field.widget.attrs.get("class", "").split():
        if name not in css:
            css.append(name)
    if field.errors:
        css.append("govuk-input--error")
    attrs = {"class": " ".join(css)}
    if item.attrs.get("class"):
        attrs["class"] += " " + item.attrs["class"]
    if field.help_text or field.errors:  # otherwise the widget's own, as crispy-forms-gds leaves it
        hint = [f"{field.auto_id}_hint"] if field.help_text else []
        attrs["aria-describedby"] = " ".join(hint + _error_ids(field))
    label = (
        format_html('<label for="{}" class="govuk-label">{}</label>', field.id_for_label, field.label)
        if field.label
        else ""
    )
    return format_html(
        '<div id="div_{}" class="{}">{}{}{}{}</div>',
        field.auto_id,
        _group_class(field),
        label,
        _hint(field),
        _errors(field),
        _input_element(field, attrs),
    )


def _textarea(field: BoundField, item: Field) -> SafeString:
    limit = item.context.get("max_characters")
    described_by = [f"{field.auto_id}_hint"] if field.help_text else []
    css = ["govuk-textarea"]
    for name in [*field.field.widget.attrs.get("class", "").split(), *item.attrs.get("class", "").split()]:
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
        attrs["aria-describedby"] = " ".join(described_by + _error_ids(field))
    label = (
        format_html('<label for="{}" class="govuk-label">{}</label>', field.id_for_label, field.label)
        if field.label
        else ""
    )
    group = format_html(
        '<div id="div_{}" class="{}">{}{}{}{}{}</div>',
        field.auto_id,
        _group_class(field),
        label,
        _hint(field),
        _errors(field),
        _textarea_element(field, attrs),
        format_html(
            '<span id="{}-info" class="govuk-hint govuk-character-count__message" aria-live="polite">'
            "You can enter up to {} characters</span>",
            field.id_for_label,
            localize(limit),
        )
        if limit
        else "",
    )
    if not limit:
        return group
    return format_html(
        '<div class="govuk-character-count" data-module="govuk-character-count" data-maxlength="{}">{}</div>',
        localize(limit),
        group,
    )
