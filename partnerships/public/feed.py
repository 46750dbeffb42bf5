"""An Atom feed of new and changed register entries, newest publication first.

Built on Django's syndication framework. Entries are read through ``fields`` like
every public output, so a feed reader learns nothing the register page does not show:
the title is the entry's name, the summary its purpose, the categories its service
area and status. Links are absolute from the Site's address (``PORTAL_BASE_URL``, which
``setup_portal`` writes onto the Site), like the sitemap, the API and the emails.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed

from .fields import fetch_public, public_entries, public_record

FEED_SIZE = 50
# What an item shows: enough to say what changed and where to read it.
FEED_FIELDS = ("reference", "name", "slug", "status", "purpose", "service_area", "last_updated")


class RegisterFeed(Feed):
    feed_type = Atom1Feed

    def __init__(self, page):
        super().__init__()
        self.page = page

    def get_object(self, request, *args, **kwargs):
        self.base_url = self.page.get_full_url(request)
        return self.page

    def title(self, page):
        return f"{page.title}: new and changed entries – {settings.COUNCIL_NAME}"

    def subtitle(self, page):
        return f"Partnerships added to or updated on {settings.COUNCIL_NAME}'s public register, newest first."

    def link(self, page):
        return self.base_url

    def feed_url(self, page):
        return self.page.route_url("feed", self.base_url)

    def author_name(self, page):
        return settings.COUNCIL_NAME

    def feed_copyright(self, page):
        return "Open Government Licence v3.0"

    def items(self, page):
        entries = public_entries(names=FEED_FIELDS).order_by("-last_published_at", "-pk")[:FEED_SIZE]
        return [(entry, public_record(entry, FEED_FIELDS)) for entry in fetch_public(entries, FEED_FIELDS)]

    def item_title(self, item):
        return item[1]["name"]

    def item_description(self, item):
        return item[1]["purpose"]

    def item_link(self, item):
        return self.page.entry_url(item[1]["slug"], self.base_url)

    def item_pubdate(self, item):
        return item[0].first_published_at or item[0].last_published_at

    def item_updateddate(self, item):
        return item[0].last_published_at or item[0].first_published_at

    def item_categories(self, item):
        return [value for value in (item[1]["service_area"], item[1]["status"]) if value]
