"""Choosers for the register's snippets, open only to those who may see the model's listing.

Wagtail's snippet chooser asks only for admin access, so a page editor could open
the partnership chooser and page through every entry, proposals included. Each of
the register's viewsets uses this chooser, which asks the viewset's own permission
policy first, as the listing does.
"""

import functools

from django.core.exceptions import PermissionDenied
from wagtail.snippets.views.chooser import SnippetChooserViewSet

# The snippet listing's own test (IndexView.any_permission_required).
LISTING_ACTIONS = ("add", "change", "delete", "view")


class PermissionCheckedChooserViewSet(SnippetChooserViewSet):
    def construct_view(self, view_class, **kwargs):
        # Every view of the chooser (choose, results, chosen, create) passes the same test.
        view = super().construct_view(view_class, **kwargs)
        policy = self.permission_policy

        @functools.wraps(view)
        def checked_view(request, *args, **kwargs):
            if not policy.user_has_any_permission(request.user, LISTING_ACTIONS):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return checked_view


class PermissionCheckedChooserMixin:
    """For a ``SnippetViewSet``: its chooser answers 403 to users its listing would refuse."""

    chooser_viewset_class = PermissionCheckedChooserViewSet

    @property
    def chooser_viewset(self):
        viewset = super().chooser_viewset
        viewset.permission_policy = self.permission_policy
        return viewset
