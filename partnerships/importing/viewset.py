"""The import's admin menu item and URLs, as one ``ViewSet``.

A ``ViewSet`` so that the register's "Partnerships" menu group can take it as one
more item; until it does, ``wagtail_hooks`` registers it alone, with a top-level
menu item.
"""

from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from .urls import urlpatterns
from .views import URL_NAMESPACE, can_import


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return can_import(request.user)


class RegisterImportViewSet(ViewSet):
    name = URL_NAMESPACE
    url_prefix = "partnerships/import"
    icon = "upload"
    menu_label = "Import spreadsheet"
    menu_name = "register-import"
    menu_order = 251
    # In the "Partnerships" menu group, the group shows the item; registered alone
    # (wagtail_hooks), it asks for a top-level one.
    add_to_admin_menu = False

    menu_item_class = ImportMenuItem

    def get_urlpatterns(self):
        return urlpatterns
