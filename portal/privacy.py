"""Privacy of responses: nothing a signed-in user sees is stored by a cache, and outsiders get a 403.

``portal/models/privacy.py`` decides which pages a viewer may see; this module
applies that to what each request gets back.
"""

from django.conf import settings
from django.utils.cache import patch_cache_control
from wagtail.models import BaseViewRestriction

from portal.views import permission_denied

# Paths whose responses are for staff even when they only redirect to sign in.
STAFF_PATH_PREFIXES = ("/intranet/", "/admin/")


def is_signed_in(request):
    # Without a session cookie nobody is signed in: asking would read the session
    # and add "Vary: Cookie" to every public response.
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    user = getattr(request, "user", None)
    return user is not None and user.is_authenticated


class PrivateResponsesMiddleware:
    """``Cache-Control: private, no-store`` on every response to a signed-in user and under /intranet/.

    One place rather than a decorator per view: the intranet pages, the staff
    register, the review pages and whatever staff view comes next carry officers'
    names, money and risk, and no browser, proxy or CDN may keep a copy.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(STAFF_PATH_PREFIXES) or is_signed_in(request):
            patch_cache_control(response, private=True, no_store=True)
        return response


def _refused(restrictions, request):
    """A 403 when a signed-in user fails a group restriction, else None.

    Wagtail answers any failed sign-in or group restriction with a redirect to sign
    in; for someone already signed in, the sign-in page sends them straight back,
    forever. Password restrictions are left to Wagtail's password form.
    """
    if not is_signed_in(request):
        return None
    for restriction in restrictions:
        if restriction.restriction_type == BaseViewRestriction.GROUPS and not restriction.accept_request(request):
            return permission_denied(request)
    return None


def refuse_page_to_signed_in_outsiders(page, request, serve_args, serve_kwargs):
    return _refused(page.get_view_restrictions(), request)


def refuse_document_to_signed_in_outsiders(document, request):
    return _refused(document.collection.get_view_restrictions(), request)
