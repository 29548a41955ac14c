"""The accessibility statement follows the model statement of the 2018 accessibility regulations."""

import pytest
from django.urls import reverse

from thrive_edi.views.pages import ACCESSIBILITY_STATEMENT_NEXT_REVIEW, ACCESSIBILITY_STATEMENT_REVIEWED

MODEL_STATEMENT_HEADINGS = (
    "How accessible this service is",
    "Feedback and contact information",
    "Enforcement procedure",
    "Technical information about this service's accessibility",
    "Compliance status",
    "Non-accessible content",
    "Non-compliance with the accessibility regulations",
    "Disproportionate burden",
    "Content that's not within the scope of the accessibility regulations",
    "What we're doing to improve accessibility",
    "Preparation of this accessibility statement",
)


@pytest.mark.django_db
def test_the_statement_gives_every_part_of_the_model_statement(client, settings):
    settings.ACCESSIBILITY_CONTACT_EMAIL = "access@example.org"
    settings.ACCESSIBILITY_CONTACT_PHONE = "020 7946 0000"

    response = client.get(reverse("accessibility"))

    assert response.status_code == 200
    html = response.content.decode().replace("&#x27;", "'")
    for heading in MODEL_STATEMENT_HEADINGS:
        assert heading in html, heading
    assert 'href="mailto:access@example.org"' in html
    assert "020 7946 0000" in html
    assert "partially compliant" in html
    assert f"{ACCESSIBILITY_STATEMENT_REVIEWED.day} {ACCESSIBILITY_STATEMENT_REVIEWED:%B %Y}" in html
    assert f"{ACCESSIBILITY_STATEMENT_NEXT_REVIEW.day} {ACCESSIBILITY_STATEMENT_NEXT_REVIEW:%B %Y}" in html
    assert ACCESSIBILITY_STATEMENT_REVIEWED < ACCESSIBILITY_STATEMENT_NEXT_REVIEW
