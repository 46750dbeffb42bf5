"""Which changes make the public pages stale: any of them starts a new public generation.

Pages (publish, unpublish, move, delete, privacy), sites, redirects, images and
documents, and the portal's own settings and content. Saving a page's draft also
counts (Wagtail saves the page row with it): a rebuild too many costs milliseconds,
a stale page misleads. Records that never show on a public page (revisions, logs,
workflow states, image renditions made while a page renders, officers' training)
do not, or the cache would empty itself on every visit.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.signals import page_published, page_unpublished, post_page_move, published, unpublished

from portal.page_cache import public_content_changed

PUBLIC_APPS = {"wagtailcore", "portal", "wagtailredirects", "wagtailimages", "wagtaildocs", "sites"}
NOT_SHOWN = {
    "wagtailcore": {
        "revision",
        "pagelogentry",
        "modellogentry",
        "workflowstate",
        "taskstate",
        "pagesubscription",
        "comment",
        "commentreply",
        "referenceindex",
        "uploadedfile",
        "grouppagepermission",
        "groupcollectionpermission",
        "groupapprovaltask_groups",
    },
    "wagtailimages": {"rendition"},
    "wagtaildocs": {"uploadeddocument"},
    "portal": {"trainingcompletion"},
}


def _shows_publicly(model):
    meta = getattr(model, "_meta", None)
    if meta is None or meta.app_label not in PUBLIC_APPS:
        return False
    return meta.model_name not in NOT_SHOWN.get(meta.app_label, ())


def on_change(sender, **kwargs):
    if _shows_publicly(sender):
        public_content_changed()


def on_page_event(sender, **kwargs):
    # Page events are always public news, whichever app the page type lives in.
    public_content_changed()


def connect():
    for signal in (post_save, post_delete, m2m_changed, published, unpublished):
        signal.connect(on_change, dispatch_uid=f"portal-public-generation-{id(signal)}")
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(on_page_event, dispatch_uid=f"portal-public-generation-page-{id(signal)}")
