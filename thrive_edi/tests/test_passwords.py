"""Passwords: refused when they hold the person's own details, the service's name, or runs of
repeated or sequential characters, with a message that says which."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from thrive_edi.passwords import PERSONAL_MESSAGE, RUN_MESSAGE, SERVICE_NAME_MESSAGE
from thrive_edi.tests.factories import TEST_PASSWORD


def person():
    return get_user_model()(
        username="sokafor", first_name="Samuel", last_name="Okafor", email="samuel.okafor@nhs.example"
    )


def refusals(password: str, user=None) -> list[str]:
    try:
        validate_password(password, user)
    except ValidationError as error:
        return error.messages
    return []


@pytest.mark.parametrize(
    "password",
    ["okafor-rides-the-bus", "Samuel likes the river", "bus stop SOKAFOR 9", "samuel.okafor@nhs.example"],
)
def test_passwords_holding_the_persons_name_username_or_email_are_refused(password):
    assert PERSONAL_MESSAGE in refusals(password, person())


@pytest.mark.parametrize(
    "password",
    [
        "thrive-is-the-best",
        "Thrive EDI forever!",
        "i love thriveldn",
        "THR1VE rivers and tea",
        "t h r i v e edi tea",
    ],
)
def test_passwords_holding_the_services_name_are_refused(password):
    assert SERVICE_NAME_MESSAGE in refusals(password)


@pytest.mark.parametrize(
    "password",
    [
        "aaaa-river-tea-buses",
        "river tea 1234 buses",
        "abcd river tea buses",
        "river tea buses 9876",
        "zzzzzzzzzzzzzz",
    ],
)
def test_passwords_with_runs_of_repeated_or_sequential_characters_are_refused(password):
    assert RUN_MESSAGE in refusals(password)


@pytest.mark.parametrize(
    "password",
    [
        TEST_PASSWORD,
        "a long passphrase about tea, buses and the river thames in november",
        "Samovar kettle and biscuits",  # a name's first letters are not the name
        "aab-river-tea-123-bus",  # short runs are part of ordinary words and dates
    ],
)
def test_ordinary_passphrases_pass(password):
    assert refusals(password, person()) == []


@pytest.mark.django_db
def test_the_password_reset_form_says_why_a_password_is_refused(client, staff_user):
    from django.contrib.auth.tokens import default_token_generator

    uid = urlsafe_base64_encode(force_bytes(staff_user.pk))
    token = default_token_generator.make_token(staff_user)
    page = client.get(reverse("password_reset_confirm", args=[uid, token]), follow=True)
    response = client.post(
        page.redirect_chain[-1][0],
        {"new_password1": "thrive 2026 winter", "new_password2": "thrive 2026 winter"},
    )
    assert response.status_code == 200
    assert SERVICE_NAME_MESSAGE in response.content.decode()
    staff_user.refresh_from_db()
    assert staff_user.check_password(TEST_PASSWORD)
