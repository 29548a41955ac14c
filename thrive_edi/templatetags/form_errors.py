"""``{% form_error_summary form %}``: the GOV.UK error summary of a form, each link on the
element a user types into first (``thrive_edi.forms.field_anchor``)."""

from django import template

from thrive_edi.forms import form_errors

register = template.Library()


@register.inclusion_tag("includes/error_summary.html")
def form_error_summary(form):
    return {"errors": form_errors(form) if form is not None and form.is_bound else []}
