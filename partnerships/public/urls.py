"""The open-data files' addresses, which Wagtail's page routing cannot reach by itself.

Wagtail serves only paths made of words, hyphens and slashes, so
``/partnerships/register.csv`` never reaches the register page. This pattern hands
such a path (the CSV and JSON files, ``datapackage.json``, ``feed.atom``) back to
Wagtail as the page's route of the same name plus a slash, e.g. ``register.csv/``: the page is found
by its own URL (whatever its slug), and page privacy and every other serve hook still
apply. Include it in the root URLconf before Wagtail's catch-all.
"""

from django.urls import re_path

from portal import page_routing


def open_data_file(request, page_path, name):
    return page_routing.serve(request, f"{page_path}{name}/")


urlpatterns = [
    re_path(
        r"^((?:[\w\-]+/)+)(register\.csv|register\.json|datapackage\.json|feed\.atom)$",
        open_data_file,
        name="register_open_data_file",
    ),
]
