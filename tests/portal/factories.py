"""The portal's test data: the roles that need a second factor, authenticators and their codes, a signed-in
client that checks CSRF tokens, and a CDN that records what it is asked to purge."""

import re
import time

from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.contrib.frontend_cache.backends import BaseBackend

from portal import roles

PURGED = []
# The roles that change or decide something: each signs in with a second factor.
DECIDING_ROLES = [
    roles.EDITORS,
    roles.MODERATORS,
    roles.REGISTER_MANAGERS,
    roles.LEAD_OFFICERS,
    roles.HEADS_OF_SERVICE,
    roles.MANAGEMENT_BOARD,
]


def give_authenticator(user):
    """A confirmed authenticator for ``user`` (roles that change or decide need one)."""
    return TOTPDevice.objects.create(user=user, name="Test authenticator", confirmed=True)


def code_for(device, at=None):
    """A code the device accepts now: the current one, or the next if the current was used.

    django-otp refuses a code at or before the last one used (no replays) and accepts one
    step either side of now, so two sign-ins within 30 seconds take successive codes.
    """
    device.refresh_from_db()
    generator = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    generator.time = time.time() if at is None else at
    if generator.t() <= device.last_t:
        generator.time += device.step * (device.last_t + 1 - generator.t())
    return f"{generator.token():0{device.digits}d}"


class RecordingBackend(BaseBackend):
    """A CDN that only writes down what it was asked to purge: the real ones are outside this machine."""

    def purge(self, url):
        PURGED.append(url)


def was_cached(response):
    return response.get("X-Page-Cache") == "hit"


def csrf_client(user):
    """``user`` signed in on a client that checks CSRF tokens, as a browser's requests are checked."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def csrf_token(html):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
