"""The second factor in tests: an authenticator app's device, and the codes it shows.

Codes are computed from the device's key with django-otp's own TOTP, as the phone would.
"""

import time
from base64 import b32decode
from urllib.parse import urlsplit

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import hotp, totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from thrive_edi.two_factor.policy import HAS_DEVICE_SESSION_KEY, second_factor_required

TEST_DEVICE_NAME = "Authenticator app"


def authenticator_for(user) -> TOTPDevice:
    """The user's confirmed authenticator device, made if they have none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name=TEST_DEVICE_NAME, confirmed=True)


def code_for_key(key: bytes, *, step: int = 30, digits: int = 6, steps_ahead: int = 0) -> str:
    """The code an authenticator app shows for ``key`` now (or ``steps_ahead`` steps from now)."""
    return f"{totp(key, step=step, t0=-steps_ahead * step, digits=digits):0{digits}d}"


def code_for_base32(key_text: str, **kwargs) -> str:
    """The code for a key as a person reads it off the page: groups of letters and digits."""
    compact = "".join(key_text.split()).upper()
    return code_for_key(b32decode(compact + "=" * (-len(compact) % 8)), **kwargs)


def code_for(device: TOTPDevice) -> str:
    """A code the device accepts now. Each time step's code works once: after a code of the
    current step, the next step's (within the device's tolerance); past that, wait for one."""
    device.refresh_from_db()
    while True:
        now_t = int((time.time() - device.t0) // device.step)
        server_t = now_t + device.drift
        lowest, highest = max(server_t - device.tolerance, device.last_t + 1), server_t + device.tolerance
        if lowest <= highest:
            target = min(max(now_t, lowest), highest)
            return f"{hotp(device.bin_key, target, digits=device.digits):0{device.digits}d}"
        time.sleep(1)


def verify_in_session(client, user) -> None:
    """Mark the client's signed-in session as verified with the user's authenticator."""
    device = authenticator_for(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[HAS_DEVICE_SESSION_KEY] = True
    session.save()


def sign_in_in_browser(page, base_url: str, user, password: str) -> None:
    """Sign in through the real pages: the password, then, for users who need one, a code from
    their authenticator app (given one first if they have none)."""
    from django.urls import reverse

    if second_factor_required(user):
        authenticator_for(user)
    page.goto(f"{base_url}{reverse('login')}")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    if urlsplit(page.url).path == reverse("account:verify"):
        page.get_by_label("Code", exact=True).fill(code_for(authenticator_for(user)))
        page.get_by_role("button", name="Continue").click()
        page.wait_for_load_state()
