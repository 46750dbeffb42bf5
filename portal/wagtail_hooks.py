"""Registration only: the portal's page-serving rules live in privacy.py."""

from wagtail import hooks

from .privacy import refuse_document_to_signed_in_outsiders, refuse_page_to_signed_in_outsiders

# Before Wagtail's own checks, which would send a signed-in outsider to sign in again.
hooks.register("before_serve_page", refuse_page_to_signed_in_outsiders, order=-10)
hooks.register("before_serve_document", refuse_document_to_signed_in_outsiders, order=-10)
