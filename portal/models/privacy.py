"""Page privacy checked in one query on every page view."""

from django.db.models import Q
from wagtail.models import Page, PageViewRestriction


class ViewRestrictionsInOneQueryMixin:
    """Reads the restrictions of a page and its ancestors in one query rather than two.

    Wagtail's ``get_view_restrictions`` first loads the ancestors (to follow aliases
    to their source pages) and then their restrictions, on every page served. An
    ancestor's tree path is a prefix of the page's own, so a single query with a
    subquery finds the same restrictions: those on the page and its ancestors that
    are not aliases, and those on the source pages of the ones that are.
    """

    def get_view_restrictions(self):
        paths = [self.path[: depth * self.steplen] for depth in range(1, self.depth + 1)]
        on_the_way = Page.objects.filter(path__in=paths)
        return PageViewRestriction.objects.filter(
            Q(page__in=on_the_way.filter(alias_of__isnull=True).values("pk"))
            | Q(page__in=on_the_way.filter(alias_of__isnull=False).values("alias_of_id"))
        )
