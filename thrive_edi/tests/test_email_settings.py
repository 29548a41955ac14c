"""The email settings page: each notification at once, or a daily summary."""

import pytest
from django.urls import reverse

from thrive_edi.models import EmailFrequency, Preferences
from thrive_edi.views.preferences import CHOOSE_MESSAGE, SAVED_MESSAGE

pytestmark = pytest.mark.django_db

URL = reverse("email_settings")


def test_a_person_chooses_a_daily_summary(client, staff_user):
    client.force_login(staff_user)
    page = client.get(URL)
    assert page.status_code == 200
    assert "How often do you want emails about your work?" in page.content.decode()

    response = client.post(URL, {"email_frequency": "daily"}, follow=True)

    assert SAVED_MESSAGE in response.content.decode()
    assert Preferences.objects.get(user=staff_user).email_frequency == EmailFrequency.DAILY


def test_a_choice_that_does_not_exist_is_refused_with_a_message(client, board_user):
    client.force_login(board_user)

    response = client.post(URL, {"email_frequency": "hourly"})

    assert response.status_code == 200
    assert CHOOSE_MESSAGE in response.content.decode()
    assert Preferences.objects.get(user=board_user).email_frequency == EmailFrequency.IMMEDIATE


def test_anonymous_people_are_asked_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_the_page_takes_only_get_and_post(client, staff_user):
    client.force_login(staff_user)
    assert client.put(URL).status_code == 405
