"""Where a signed-in user who still owes a second factor goes next."""

from django.urls import reverse
from django.utils.http import urlencode

from portal.signin import devices


def second_step_url(user, next_url):
    """The code page for an enrolled user, the set-up page for one without an authenticator."""
    name = "portal:second_factor" if devices.is_enrolled(user) else "portal:second_factor_setup"
    url = reverse(name)
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url
