"""Registration only: the register's admin lives in viewsets.py."""

from wagtail.contrib.settings.registry import register_setting
from wagtail.snippets.models import register_snippet

from .models import RegisterSettings
from .viewsets import PartnershipsViewSetGroup

register_snippet(PartnershipsViewSetGroup)
register_setting(RegisterSettings, icon="cog")


# --- Register reports (partnerships/reports/): URLs and items in Wagtail's Reports menu ---
from django.urls import include, path  # noqa: E402
from wagtail import hooks  # noqa: E402

from .reports import urls as report_urls  # noqa: E402
from .reports.views import MENU_ITEMS as REPORT_MENU_ITEMS  # noqa: E402


@hooks.register("register_admin_urls")
def register_report_urls():
    return [path("reports/register/", include(report_urls))]


for make_report_menu_item in REPORT_MENU_ITEMS:
    hooks.register("register_reports_menu_item", make_report_menu_item)


# --- Register import (partnerships/importing/viewset.py): its URLs and its menu item, as one viewset ---
from .importing.viewset import RegisterImportViewSet  # noqa: E402


@hooks.register("register_admin_viewset")
def register_import_viewset():
    return RegisterImportViewSet(add_to_admin_menu=True)


# --- The chooser for internal documents (partnerships/documents.py), offering the private collection only ---
from .documents import register_document_chooser  # noqa: E402


@hooks.register("register_admin_viewset")
def register_document_chooser_viewset():
    return register_document_chooser


# --- A register manager unlocking an entry someone else holds: its own line in the entry's history ---
from wagtail.log_actions import LogFormatter  # noqa: E402

from .admin_views import LOCK_TAKEN_OVER  # noqa: E402


@hooks.register("register_log_actions")
def register_lock_taken_over(actions):
    @actions.register_action(LOCK_TAKEN_OVER)
    class LockTakenOver(LogFormatter):
        label = "Take over lock"

        def format_message(self, log_entry):
            holder = (log_entry.data or {}).get("locked_by", {}).get("name", "another user")
            return f"Took over the lock held by {holder}"


# --- Back-fill of partnerships approved before the portal (partnerships/backfill/) ---
from .backfill import admin_hooks as backfill_hooks  # noqa: E402
from .backfill import urls as backfill_urls  # noqa: E402
from .backfill.views import BackfillBulkAction  # noqa: E402


@hooks.register("register_admin_urls")
def register_backfill_urls():
    return [path("partnerships/backfill/", include(backfill_urls, namespace="partnerships_backfill"))]


hooks.register("register_bulk_action", BackfillBulkAction)
hooks.register("register_log_actions", backfill_hooks.register_backfill_action)
hooks.register("register_snippet_listing_buttons", backfill_hooks.backfill_listing_button)
