"""The second factor's devices, on django-otp: an authenticator app (TOTP) and recovery codes.

A user has at most one confirmed authenticator and one set of recovery codes. Codes of six
digits go to the authenticator, anything else to the recovery codes, so that a recovery
code never counts as a wrong authenticator code in django-otp's own throttling.
"""

import re
from base64 import b32decode, b32encode

import qrcode
import qrcode.image.svg
from django.db import transaction
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

AUTHENTICATOR_NAME = "Authenticator app"
RECOVERY_CODES_NAME = "Recovery codes"
RECOVERY_CODE_COUNT = 10

# Demo accounts only (``setup_portal --demo-users``): one published secret, so a person
# walking ``make run`` can add it to an authenticator app once. Never used elsewhere.
DEMO_TOTP_SECRET = "DEMODEMODEMODEMODEMODEMODEMODEMO"  # noqa: S105 - published on purpose, demo only


def authenticator(user):
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def is_enrolled(user):
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def enrolment_device(user):
    """The unconfirmed device a user is setting up; the same one until they confirm it."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)


@transaction.atomic
def confirm(device):
    """Confirm a new authenticator; returns fresh recovery codes, to be shown once."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    return new_recovery_codes(device.user)


def new_recovery_codes(user):
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name=RECOVERY_CODES_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=static, token=code) for code in codes)
    return codes


def recovery_codes_left(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def normalise(code):
    return re.sub(r"[\s-]", "", code or "").lower()


def verify(user, code):
    """The device that accepts ``code`` for ``user`` (using it up), or None."""
    code = normalise(code)
    if not code:
        return None
    if re.fullmatch(r"\d{6}", code):
        devices = TOTPDevice.objects.devices_for_user(user, confirmed=True)
    else:
        devices = StaticDevice.objects.devices_for_user(user, confirmed=True)
    with transaction.atomic():
        for device in devices.select_for_update():
            if device.verify_token(code):
                return device
    return None


def secret(device):
    """The key as the base32 text authenticator apps accept when typed in."""
    return b32encode(device.bin_key).decode()


def grouped(text, size=4):
    return " ".join(text[i : i + size] for i in range(0, len(text), size))


def qr_code_svg(device):
    """The device's otpauth:// URL as an inline SVG QR code: no image service involved."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathFillImage, box_size=10)
    svg = image.get_image()
    svg.attrib.update({"width": "200", "height": "200", "role": "img", "focusable": "false"})
    svg.attrib["aria-label"] = "QR code to scan with your authenticator app"
    return image.to_string(encoding="unicode")


def current_code(base32_secret, at=None):
    """The code an authenticator app holding this secret shows now (or at Unix time ``at``)."""
    generator = TOTP(b32decode(base32_secret))
    if at is not None:
        generator.time = at
    return f"{generator.token():06d}"


def give_demo_device(user):
    """A confirmed authenticator on the published demo secret (demo accounts only)."""
    TOTPDevice.objects.filter(user=user).delete()
    return TOTPDevice.objects.create(
        user=user, name=AUTHENTICATOR_NAME, confirmed=True, key=b32decode(DEMO_TOTP_SECRET).hex()
    )


@transaction.atomic
def forget(user):
    """Remove a user's authenticator and recovery codes, so they enrol again."""
    removed, _ = TOTPDevice.objects.filter(user=user).delete()
    static, _ = StaticDevice.objects.filter(user=user).delete()
    return removed + static
