"""Registration only: the register's admin (viewsets.py), its reports, import, back-fill and documents."""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.contrib.settings.registry import register_setting
from wagtail.snippets.models import register_snippet

from portal.menu import PermissionMenuItem
from portal.models.training import can_see_colleagues_training
from portal.views import SEARCH_RESULTS_HOOK

from .admin_views import LOCK_TAKEN_OVER
from .backfill import admin_hooks as backfill_hooks
from .backfill import urls as backfill_urls
from .backfill.views import BackfillBulkAction
from .bulk import actions as bulk_actions
from .bulk.export import ExportSelectionBulkAction
from .bulk.history import BULK_CHANGE, BulkChangeFormatter
from .documents import register_document_chooser
from .importing.viewset import RegisterImportViewSet
from .log_actions import LockTakenOverFormatter
from .models import RegisterSettings
from .permissions import proposal_url
from .public.site_search import register_results
from .reports import training
from .reports import urls as report_urls
from .reports.views import MENU_ITEMS as REPORT_MENU_ITEMS
from .viewsets import PartnershipsViewSetGroup

register_snippet(PartnershipsViewSetGroup)
register_setting(RegisterSettings, icon="cog")
# The intranet's toolkit pages end with the way to propose a partnership.
hooks.register("propose_partnership_url", proposal_url)
# Site search lists matching register entries as their own kind of result.
hooks.register(SEARCH_RESULTS_HOOK, register_results)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("reports/register/", include(report_urls)),
        path("partnerships/backfill/", include(backfill_urls, namespace="partnerships_backfill")),
    ]


for make_report_menu_item in REPORT_MENU_ITEMS:
    hooks.register("register_reports_menu_item", make_report_menu_item)


@hooks.register("register_admin_viewset")
def register_import_viewset():
    # Its own top-level menu item, not one in the "Partnerships" group.
    return RegisterImportViewSet(add_to_admin_menu=True)


@hooks.register("register_admin_viewset")
def register_document_chooser_viewset():
    # Register documents are chosen from the private collection only.
    return register_document_chooser


@hooks.register("register_log_actions")
def register_log_actions(actions):
    actions.register_action(LOCK_TAKEN_OVER)(LockTakenOverFormatter)
    actions.register_action(BULK_CHANGE)(BulkChangeFormatter)
    backfill_hooks.register_backfill_action(actions)


for bulk_action in (
    BackfillBulkAction,
    ExportSelectionBulkAction,
    bulk_actions.AssignLeadOfficerBulkAction,
    bulk_actions.AssignHeadOfServiceBulkAction,
    bulk_actions.ReviewDatesBulkAction,
    # After Wagtail's own delete (registered first), so the listing says "partnerships".
    bulk_actions.DeletePartnershipsBulkAction,
):
    hooks.register("register_bulk_action", bulk_action)
hooks.register("register_snippet_listing_buttons", backfill_hooks.backfill_listing_button)


@hooks.register("register_admin_urls")
def register_training_report_urls():
    return [path("reports/training/", include((training.urlpatterns, "training_report")))]


@hooks.register("register_reports_menu_item")
def training_report_menu_item():
    return PermissionMenuItem(
        "Awareness training",
        reverse("training_report:index"),
        icon_name="user",
        order=810,
        allowed=can_see_colleagues_training,
    )
