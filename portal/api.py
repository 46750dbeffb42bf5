"""The public Wagtail API: live public pages and documents only."""

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.models import Page, Site

from portal.models.privacy import viewable_q


class PublicPagesAPIViewSet(PagesAPIViewSet):
    def get_base_queryset(self):
        # The API is documented as public content only, so every caller gets what the
        # public may see, signed in or not. Wagtail's own version checks each
        # restriction in Python (a query per group restriction) and takes a ?site=
        # parameter that a portal with one site does not need.
        site = Site.find_for_request(self.request)
        if site is None:
            return Page.objects.none()
        return Page.objects.live().descendant_of(site.root_page, inclusive=True).filter(viewable_q())


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PublicPagesAPIViewSet)
