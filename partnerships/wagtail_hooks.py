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


# --- Register import (partnerships/import_views.py): its URLs and its menu item, as one viewset ---
from .import_views import RegisterImportViewSet  # noqa: E402


@hooks.register("register_admin_viewset")
def register_import_viewset():
    return RegisterImportViewSet(add_to_admin_menu=True)


# --- The chooser for internal documents (partnerships/documents.py), offering the private collection only ---
from .documents import register_document_chooser  # noqa: E402


@hooks.register("register_admin_viewset")
def register_document_chooser_viewset():
    return register_document_chooser
