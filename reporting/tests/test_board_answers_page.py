"""The board's page of an assessment links to its answers as a web page, beside the PDF and JSON."""

import pytest
from django.urls import reverse

from assessments.models import Answer

pytestmark = pytest.mark.django_db


def test_the_board_reads_the_answers_of_a_signed_off_assessment_on_a_web_page(client, board_user, signed_off):
    client.force_login(board_user)
    answers_page = reverse("assessments:check", args=[signed_off.reference])

    board_page = client.get(reverse("reporting:board_assessment", args=[signed_off.reference]))

    assert f'href="{answers_page}"' in board_page.content.decode()
    response = client.get(answers_page)
    assert response.status_code == 200
    html = response.content.decode()
    assert "All answers" in html
    typed = [
        answer.value
        for answer in Answer.objects.filter(assessment=signed_off)
        if isinstance(answer.value, str) and answer.value.startswith("An answer")
    ]
    assert typed
    assert all(value in html for value in typed)
    assert "Check your answers before submitting" not in html


def test_the_answers_page_of_a_draft_is_not_for_the_board(client, board_user, staff_user):
    from assessments.tests.factories import make_assessment

    draft = make_assessment(staff_user)
    client.force_login(board_user)

    assert client.get(reverse("assessments:check", args=[draft.reference])).status_code == 404
