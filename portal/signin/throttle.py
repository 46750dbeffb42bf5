"""Throttling every sign-in surface with django-axes, one count for all of them.

Sign-in forms (the portal's, the admin's, Wagtail's own) go through Django's
``authenticate``, where axes' backend refuses a locked-out user or address. The forms
that are not authentication (page and document passwords, password reset) and the
second-factor step record their attempts through axes' handler API here, so the same
limit, cool-off and records apply to them, and one address failing at several of them
is counted once.
"""

import ipaddress
from dataclasses import dataclass

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.shortcuts import render
from wagtail.admin.views.account import get_user_login_form, password_reset_enabled


def cool_off_minutes():
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def lockout_message():
    return f"Too many failed attempts. Wait {cool_off_minutes()} minutes, then try again."


def client_ip(request):
    """The client's address: REMOTE_ADDR, or the one our own proxies put in X-Forwarded-For.

    Only the last TRUSTED_PROXY_COUNT entries were written by proxies we run; anything
    further left came from the client and could be forged to dodge the limit.
    """
    address = request.META.get("REMOTE_ADDR")
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= count:
            address = forwarded[-count]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


class AdminMessage(str):
    """A message in the shape the admin's sign-in template lists (its text and its tags)."""

    tags = "error"


def lockout_response(request, original_response=None, credentials=None):
    """Axes' AXES_LOCKOUT_CALLABLE: the admin's own sign-in page there, a GOV.UK page elsewhere."""
    status = settings.AXES_HTTP_RESPONSE_CODE
    if request.path.startswith("/admin/"):
        context = {
            "form": get_user_login_form()(request),
            "next": request.POST.get("next", ""),
            "show_password_reset": password_reset_enabled(),
            "username_field": "Username",
            "lockout_messages": [AdminMessage(lockout_message())],
        }
        return render(request, "portal/auth/admin_locked_out.html", context, status=status)
    context = {"minutes": cool_off_minutes()}
    return render(request, "portal/auth/locked_out.html", context, status=status)


def is_allowed(request, key):
    return AxesProxyHandler.is_allowed(request, {"username": key})


def record_failure(request, key):
    """Count a failed attempt under ``key`` and the client's address; True once locked out."""
    AxesProxyHandler.user_login_failed(sender=record_failure, credentials={"username": key}, request=request)
    return bool(getattr(request, "axes_locked_out", False))


@dataclass(frozen=True)
class Surface:
    """A form that is not authentication but guards something: what it counts, and when."""

    prefix: str
    key_argument: str = ""  # a URL argument naming what is guessed at (the restriction)
    every_request_counts: bool = False  # password reset: each request sends an email

    def key(self, request, view_kwargs):
        if self.key_argument:
            return f"{self.prefix}:{view_kwargs.get(self.key_argument)}"
        return f"{self.prefix}:{request.POST.get('email', '').strip().lower()[:200]}"

    def failed(self, response):
        # Wagtail's password views redirect once the password is right.
        return self.every_request_counts or response.status_code != 302


# Keys carry a colon, which Django's username validator never allows: none is a real username.
SURFACES = {
    "wagtailcore_authenticate_with_password": Surface("page-password", "page_view_restriction_id"),
    "wagtaildocs_authenticate_with_password": Surface("document-password", "restriction_id"),
    "portal:password_reset": Surface("password-reset", every_request_counts=True),
    "wagtailadmin_password_reset": Surface("password-reset", every_request_counts=True),
}


class ThrottledFormsMiddleware:
    """Refuses a locked-out POST to a surface before its view runs; counts it after.

    Listed before axes' own middleware, which has finished with the response by the time
    this one counts the attempt.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        throttled = getattr(request, "throttled_surface", None)
        if throttled is None:
            return response
        surface, key = throttled
        locked_out = surface.failed(response) and record_failure(request, key)
        # A password reset that was allowed has sent its email: say so; the next one is refused.
        if locked_out and not surface.every_request_counts:
            return lockout_response(request)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "POST" or request.resolver_match is None:
            return None
        surface = SURFACES.get(request.resolver_match.view_name)
        if surface is None:
            return None
        key = surface.key(request, view_kwargs)
        if not is_allowed(request, key):
            return lockout_response(request)
        request.throttled_surface = (surface, key)
        return None
