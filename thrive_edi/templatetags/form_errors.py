"""``{% form_error_summary form %}``: the GOV.UK error summary of a form, each link on the
element a user types into first (``thrive_edi.forms.field_anchor``). A page of several forms
passes the ones above it as well, in the page's order: ``{% form_error_summary form before=forms %}``."""

from django import template

from thrive_edi.forms import form_errors

register = template.Library()


@register.inclusion_tag("includes/error_summary.html")
def form_error_summary(form, before=()):
    return {
        "errors": [
            error
            for each in (*before, form)
            if each is not None and each.is_bound
            for error in form_errors(each)
        ]
    }
