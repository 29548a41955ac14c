import time

import pytest
from django.urls import reverse

from thrive_edi.middleware import (
    SESSION_SEEN_KEY,
    SESSION_STARTED_KEY,
    absolute_message,
    duration_in_words,
    idle_message,
)


def age_session(client, *, started_ago: int, seen_ago: int) -> None:
    session = client.session
    now = time.time()
    session[SESSION_STARTED_KEY] = int(now - started_ago)
    session[SESSION_SEEN_KEY] = int(now - seen_ago)
    session.save()


@pytest.mark.django_db
def test_an_active_session_carries_on(client, staff_user):
    client.force_login(staff_user)
    client.get("/")
    age_session(client, started_ago=3600, seen_ago=29 * 60)
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_thirty_idle_minutes_sign_the_user_out_with_a_message(client, staff_user):
    client.force_login(staff_user)
    client.get("/")
    age_session(client, started_ago=3600, seen_ago=31 * 60)
    response = client.get("/", follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("login"))
    assert idle_message() in response.content.decode()
    assert "for 30 minutes" in idle_message()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_twelve_hours_sign_the_user_out_however_active(client, staff_user):
    client.force_login(staff_user)
    client.get("/")
    age_session(client, started_ago=12 * 3600 + 60, seen_ago=10)
    response = client.get("/", follow=True)
    assert absolute_message() in response.content.decode()
    assert "for 12 hours" in absolute_message()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_activity_moves_the_idle_clock_on(client, staff_user):
    client.force_login(staff_user)
    client.get("/")
    age_session(client, started_ago=3600, seen_ago=20 * 60)
    client.get("/")
    assert time.time() - client.session[SESSION_SEEN_KEY] < 5


@pytest.mark.django_db
def test_asking_how_long_is_left_does_not_count_as_activity(client, staff_user):
    client.force_login(staff_user)
    client.get("/")
    age_session(client, started_ago=3600, seen_ago=20 * 60)
    seconds_left = client.get(reverse("session_status")).json()["seconds_left"]
    assert 9 * 60 <= seconds_left <= 10 * 60
    assert time.time() - client.session[SESSION_SEEN_KEY] >= 20 * 60 - 5


@pytest.mark.django_db
def test_staying_signed_in_restarts_the_idle_clock(client, staff_user):
    client.force_login(staff_user)
    client.get("/")
    age_session(client, started_ago=3600, seen_ago=29 * 60)
    response = client.post(reverse("session_keep_alive"), HTTP_ACCEPT="application/json")
    assert response.json()["seconds_left"] >= 29 * 60
    assert client.get(reverse("session_keep_alive")).status_code == 405


@pytest.mark.django_db
def test_staying_signed_in_without_javascript_returns_to_the_page(client, staff_user):
    client.force_login(staff_user)
    response = client.post(reverse("session_keep_alive"), {"next": "/framework/"})
    assert response.url == "/framework/"
    response = client.post(reverse("session_keep_alive"), {"next": "https://evil.example/"})
    assert response.url == reverse("home")


@pytest.mark.parametrize(
    ("seconds", "words"),
    [(45 * 60, "45 minutes"), (60, "1 minute"), (8 * 3600, "8 hours"), (90 * 60, "1 hour, 30 minutes")],
)
def test_durations_read_as_words(seconds, words):
    assert duration_in_words(seconds) == words


@pytest.mark.django_db
def test_the_sign_out_messages_state_the_configured_timeouts(client, staff_user, settings):
    settings.SESSION_IDLE_TIMEOUT = 45 * 60
    settings.SESSION_ABSOLUTE_TIMEOUT = 8 * 3600
    client.force_login(staff_user)
    client.get("/")
    age_session(client, started_ago=3600, seen_ago=46 * 60)
    page = client.get("/", follow=True).content.decode()
    assert "you had not done anything for 45 minutes" in page

    client.force_login(staff_user)
    client.get("/")
    age_session(client, started_ago=8 * 3600 + 60, seen_ago=10)
    page = client.get("/", follow=True).content.decode()
    assert "you had been signed in for 8 hours" in page


@pytest.mark.django_db
def test_the_session_warning_states_the_configured_warning_time(client, staff_user, settings):
    settings.SESSION_WARNING_BEFORE = 5 * 60
    client.force_login(staff_user)
    page = client.get("/").content.decode()
    assert "<strong data-countdown>5 minutes</strong>" in page
