"""The sitemap lists what the public may see, whoever asks for it."""

from wagtail.contrib.sitemaps import Sitemap

from portal.models.privacy import viewable_q


class PublicSitemap(Sitemap):
    def items(self):
        # Wagtail's own items() with the portal's privacy filter in place of .public(),
        # so the sitemap, the API, listings and search share one rule.
        return (
            self.get_wagtail_site()
            .root_page.get_descendants(inclusive=True)
            .live()
            .filter(viewable_q())
            .order_by("path")
            .defer_streamfields()
            .specific()
        )
