from unittest import mock

import pytest
from django.urls import reverse

from assessments.tests.factories import make_assessment
from thrive_edi import context_processors

pytestmark = pytest.mark.django_db


def test_the_layout_context_is_worked_out_once_for_a_page_and_the_panels_rendered_with_it(client, staff_user):
    assessment = make_assessment(staff_user)
    client.force_login(staff_user)
    with mock.patch.object(
        context_processors, "navigation_for", wraps=context_processors.navigation_for
    ) as navigation:
        page = client.get(reverse("assessments:detail", args=[assessment.reference]))
    assert page.status_code == 200
    assert 'class="govuk-service-navigation' in page.content.decode()
    assert navigation.call_count == 1
    # Each request works it out afresh: nothing carries over from the request before.
    with mock.patch.object(
        context_processors, "navigation_for", wraps=context_processors.navigation_for
    ) as navigation:
        client.get(reverse("assessments:detail", args=[assessment.reference]))
    assert navigation.call_count == 1
