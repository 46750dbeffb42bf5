"""After a change to the register: rebuild the open-data files, the public pages, and purge a CDN.

Anything of this app may feed a public page or file (entries, partner organisations,
priorities, service areas, the register's settings): each save, deletion, publication
or unpublication starts a new public generation, so the next anonymous request for
any page is built afresh. A CDN is told to drop the addresses that show an entry
when the entry is published, unpublished or deleted, and the register's lists and
files when its reference data or settings change.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.signals import published, unpublished

from portal import frontend_purge, page_cache

from .models import CouncilPriority, PartnerOrganisation, Partnership, RegisterSettings, ServiceArea
from .public import prebuilt
from .public.pages import RegisterPage

REFERENCE_DATA = (PartnerOrganisation, CouncilPriority, ServiceArea, RegisterSettings)


def register_addresses(slug=None):
    """Full URLs of the register's index, open-data page and files, and of the entry ``slug``."""
    register = RegisterPage.objects.live().first()
    base_url = register.get_full_url() if register else None
    if not base_url:
        return []
    urls = [base_url, *(register.route_url(name, base_url) for name in ("open_data", "csv", "json"))]
    if slug:
        urls.append(register.entry_url(slug, base_url))
    return urls


def register_changed(sender, **kwargs):
    if getattr(getattr(sender, "_meta", None), "app_label", None) != "partnerships":
        return
    # Rebuilding once too often costs a second; serving a stale page or file misleads.
    prebuilt.invalidate()
    page_cache.public_content_changed()
    if not frontend_purge.is_configured():
        return
    instance = kwargs.get("instance")
    if isinstance(instance, Partnership) and (kwargs.get("signal") in (published, unpublished, post_delete)):
        frontend_purge.purge_after_commit(register_addresses(instance.slug))
    elif isinstance(instance, REFERENCE_DATA) and kwargs.get("signal") in (post_save, post_delete):
        frontend_purge.purge_after_commit(register_addresses())


def connect():
    for signal in (post_save, post_delete, m2m_changed, published, unpublished):
        signal.connect(register_changed, dispatch_uid="partnerships-public-changes")
