"""Authenticator devices and recovery codes: made, confirmed, checked and removed."""

from base64 import b32encode
from dataclasses import dataclass, field
from datetime import datetime

import segno
from django.db import transaction
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

AUTHENTICATOR_NAME = "Authenticator app"
RECOVERY_CODES_NAME = "Recovery codes"
RECOVERY_CODE_COUNT = 10
QR_CODE_LABEL = "QR code for your authenticator app"


@dataclass(frozen=True)
class CodeCheck:
    """What a code did: the device it verified, or why not."""

    device: Device | None = None
    failures: int = 0  # wrong codes in a row on the device it was checked against
    wait_until: datetime | None = None  # set when the device refused to check it yet
    recovery_codes: list[str] = field(default_factory=list)  # made when an authenticator is confirmed

    @property
    def is_recovery_code(self) -> bool:
        return isinstance(self.device, StaticDevice)


def normalise_code(code: str) -> str:
    """People type codes with spaces or hyphens, recovery codes in either case."""
    return "".join(code.split()).replace("-", "").lower()


def key_text(device: TOTPDevice) -> str:
    """The device's key as an app asks for it to be typed: base32, in groups of four."""
    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_code_svg(device: TOTPDevice) -> SafeString:
    """The device's setup address as an inline SVG QR code, with a text alternative."""
    svg = segno.make(device.config_url, error="m").svg_inline(
        scale=5, border=4, dark="#0b0c0c", light="#ffffff", svgclass="thrive-qr-code", title=QR_CODE_LABEL
    )
    labelled = svg.replace("<svg ", format_html('<svg role="img" aria-label="{}" ', QR_CODE_LABEL), 1)
    return mark_safe(labelled)  # noqa: S308 - segno writes numbers, path commands and our own title


def authenticator_start(*, user) -> TOTPDevice:
    """The authenticator being set up: the same one on every reload until it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    return device or TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)


@transaction.atomic
def authenticator_confirm(*, device: TOTPDevice, code: str) -> CodeCheck:
    """Confirm an authenticator with its first code. It replaces any earlier authenticator of the
    user, and comes with a fresh set of recovery codes."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, confirmed=False)
    check = _check(device, code)
    if check.device is None:
        return check
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user_id=device.user_id).exclude(pk=device.pk).delete()
    return CodeCheck(device=device, recovery_codes=recovery_codes_make(user=device.user))


@transaction.atomic
def second_factor_check(*, user, code: str) -> CodeCheck:
    """Check a code from the user's authenticator app (6 digits) or one of their recovery codes.
    A recovery code works once. Wrong codes make the device wait before it checks another."""
    code = normalise_code(code)
    model = TOTPDevice if code.isdigit() and len(code) == 6 else StaticDevice
    device = model.objects.select_for_update().filter(user=user, confirmed=True).first()
    if device is None:
        return CodeCheck()
    return _check(device, code)


def _check(device, code: str) -> CodeCheck:
    allowed, refusal = device.verify_is_allowed()
    if not allowed:
        return CodeCheck(
            failures=device.throttling_failure_count, wait_until=(refusal or {}).get("locked_until")
        )
    if device.verify_token(normalise_code(code)):
        return CodeCheck(device=device)
    return CodeCheck(failures=device.throttling_failure_count)


@transaction.atomic
def recovery_codes_make(*, user) -> list[str]:
    """A new set of recovery codes for the user; the old ones stop working."""
    device, _ = StaticDevice.objects.get_or_create(user=user, defaults={"name": RECOVERY_CODES_NAME})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    device.throttle_reset()
    return codes


def recovery_codes_left(*, user) -> int:
    return StaticToken.objects.filter(device__user=user).count()


def authenticator_of(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


@transaction.atomic
def second_factor_remove(*, user) -> None:
    """Turn multi-factor sign-in off: the authenticator and the recovery codes go."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
