"""The public register: one Wagtail page whose routes serve the entries and the open data.

Routes (under the page's URL, ``/partnerships/``):

- ``""``             the searchable, filterable list (``views.index``)
- ``open-data/``     what the downloads hold, column by column
- ``register.csv``   every public entry, streamed (see ``urls``)
- ``register.json``  the same, with the column documentation and licence
  (both files hold only the entries chosen when the link carries a search or filters)
- ``datapackage.json`` the files described as a Frictionless Data Package
- ``feed.atom``      new and changed entries, as an Atom feed
- ``<slug>/``        one entry's public fields

Entries are snippets, not pages: the routes read them through ``fields``,
so the page can show nothing that declaration does not allow.
"""

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from portal.models.privacy import ViewRestrictionsInOneQueryMixin

from . import opendata, views
from .feed import RegisterFeed
from .fields import public_locations

# Routes named like files (see ``urls``): their addresses carry no trailing slash.
FILE_ROUTES = ("csv", "json", "datapackage", "feed")
RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul"]
DEFAULT_LICENCE_STATEMENT = (
    "<p>You may copy, publish, adapt and use this information freely, including for commercial "
    "purposes, under the Open Government Licence v3.0. Please say that it comes from the council's "
    "partnership register.</p>"
)


class RegisterPage(RoutablePageMixin, ViewRestrictionsInOneQueryMixin, Page):
    summary = models.TextField(blank=True, help_text="One or two sentences shown in lists and search.")
    intro = RichTextField(
        blank=True, features=RICH_TEXT_FEATURES, help_text="Shown above the search box on the register."
    )
    licence_statement = RichTextField(
        features=RICH_TEXT_FEATURES,
        default=DEFAULT_LICENCE_STATEMENT,
        help_text="How people may reuse the open data. Shown with the downloads.",
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("intro"),
        FieldPanel("licence_statement"),
    ]
    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("intro")]

    parent_page_types = ["portal.HomePage"]
    subpage_types = []
    max_count = 1
    page_description = "The public register of partnerships, with search, filters and open-data downloads."
    template = "partnerships/register/index.html"

    class Meta:
        verbose_name = "register page"

    @path("", name="index")
    def index_route(self, request):
        return views.index(self, request)

    # Fixed routes come before the entry route, so no entry's slug can hide them.
    @path("open-data/", name="open_data")
    def open_data(self, request):
        return views.open_data(self, request)

    # Reached through partnerships.public.urls: Wagtail alone serves no path with a dot in it.
    @path("register.csv/", name="csv")
    def register_csv(self, request):
        return opendata.csv_response(request)

    @path("register.json/", name="json")
    def register_json(self, request):
        return opendata.json_response(request)

    @path("datapackage.json/", name="datapackage")
    def datapackage(self, request):
        return views.datapackage(self, request)

    @path("feed.atom/", name="feed")
    def feed(self, request):
        return RegisterFeed(self)(request)

    @path("<slug:slug>/", name="entry")
    def entry(self, request, slug):
        return views.entry(self, request, slug)

    def entry_url(self, slug, base_url=None):
        """The URL of one entry; pass ``base_url`` (the page's URL) when building many."""
        return (base_url or self.url) + self.reverse_subpage("entry", kwargs={"slug": slug})

    def route_url(self, name, base_url=None):
        url = (base_url or self.url) + self.reverse_subpage(name)
        # The files are named without the trailing slash Wagtail's routes carry.
        return url.removesuffix("/") if name in FILE_ROUTES else url

    def get_sitemap_urls(self, request=None):
        urls = super().get_sitemap_urls(request)
        base_url = self.get_full_url(request)
        urls.append({"location": self.route_url("open_data", base_url), "lastmod": urls[0]["lastmod"]})
        # One query, whatever the register's size.
        urls.extend(
            {"location": self.entry_url(slug, base_url), "lastmod": published} for slug, published in public_locations()
        )
        return urls
