"""The import's admin menu item and URLs, as one ``ViewSet``.

A ``ViewSet`` so that the register's "Partnerships" menu group can take it as one
more item; until it does, ``wagtail_hooks`` registers it alone, with a top-level
menu item.
"""

from wagtail.admin.viewsets.base import ViewSet

from portal.menu import PermissionMenuItem

from .urls import urlpatterns
from .views import URL_NAMESPACE, can_import


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

    def get_menu_item(self, order=None):
        return PermissionMenuItem(
            label=self.menu_label,
            url=self.menu_url,
            name=self.menu_name,
            icon_name=self.menu_icon,
            order=order if order is not None else self.menu_order,
            allowed=can_import,
        )

    def get_urlpatterns(self):
        return urlpatterns
