"""Content-Security-Policy for every response: the portal's strict policy, the admin's own.

The public site and intranet run only the portal's static scripts and GOV.UK Frontend's
body-class snippet, allowed by a per-request nonce. Wagtail 7.4's admin still writes
inline ``<script>`` elements from Python (every chooser widget, date pickers, inline
panels) and inline ``style`` attributes, so the admin gets a policy of its own, set in
``PORTAL_ADMIN_CONTENT_SECURITY_POLICY`` (README, "Security headers").
"""

from dataclasses import replace

from csp.middleware import CSPMiddleware
from csp.utils import default_config
from django.conf import settings


def is_admin_path(path):
    return path.startswith(tuple(settings.PORTAL_ADMIN_PATH_PREFIXES))


class PortalCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only or parts.config is not None or not is_admin_path(request.path_info):
            return parts
        # No nonce in the admin: a nonce would make browsers ignore 'unsafe-inline',
        # which Wagtail's inline scripts need (a page preview may still ask for one).
        admin_policy = default_config(settings.PORTAL_ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"])
        return replace(parts, config=admin_policy, nonce=None)
