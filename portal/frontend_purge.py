"""Telling a CDN in front of the portal to drop its copies, once a change is committed.

``wagtail.contrib.frontend_cache`` does the talking (Cloudflare, CloudFront, or an
HTTP ``PURGE`` to Varnish or nginx; settings from the environment, see the README).
Wagtail purges a page when it is published or unpublished; the register's entries are
not pages, so the register asks here for its own addresses. Purging waits for the
commit: a CDN refetching before it would keep the old page again.
"""

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from wagtail.contrib.frontend_cache.utils import PurgeBatch, purge_urls_from_cache
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import pre_page_move


def is_configured():
    return bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))


def purge_after_commit(urls):
    """Purge ``urls`` (full addresses) from every configured CDN after the transaction commits."""
    if not is_configured():
        return
    urls = sorted({url for url in urls if url})
    if urls:
        transaction.on_commit(lambda: purge_urls_from_cache(urls))


def purge_pages_after_commit(pages):
    """Purge the live ``pages`` (their addresses as they are now, routes included) after the commit."""
    if not is_configured():
        return
    batch = PurgeBatch()
    batch.add_pages([page for page in pages if page.live])
    purge_after_commit(batch.urls)


def _page_and_below(page):
    return Page.objects.descendant_of(page, inclusive=True).live().specific()


def on_page_deleted(sender, instance, **kwargs):
    # Deleting a page deletes a row in each of its model's tables: purge once, for the page's own type.
    if isinstance(instance, Page) and type(instance) is instance.specific_class:
        purge_pages_after_commit([instance])


def on_page_moving(sender, instance, **kwargs):
    # Before the move: the addresses the CDN holds are the old ones.
    if is_configured():
        purge_pages_after_commit(_page_and_below(instance))


def on_privacy_changed(sender, instance, **kwargs):
    # A restriction covers the page and everything below it.
    if is_configured() and instance.page_id:
        purge_pages_after_commit(_page_and_below(instance.page))


def connect():
    """Wagtail purges pages on publish and unpublish; these add deletion, moves and privacy."""
    pre_delete.connect(on_page_deleted, dispatch_uid="portal-purge-deleted-page")
    pre_page_move.connect(on_page_moving, dispatch_uid="portal-purge-moved-page")
    for signal in (post_save, post_delete):
        signal.connect(
            on_privacy_changed, sender=PageViewRestriction, dispatch_uid=f"portal-purge-privacy-{id(signal)}"
        )
