from django.template.loader import render_to_string

from pledges.permissions import may_link
from pledges.selectors import commitment_links_of


def commitments_panel(sender, request, assessment, **kwargs):
    """On an assessment's page: the commitments it and its actions serve, and a link to change them."""
    own, by_action = commitment_links_of(assessment)
    may_change = may_link(request.user, assessment)
    if not own and not by_action and not may_change:
        return None
    return render_to_string(
        "pledges/_assessment_panel.html",
        {
            "assessment": assessment,
            "commitments": own,
            "action_links": sum(len(values) for values in by_action.values()),
            "may_change": may_change,
        },
        request=request,
    )
