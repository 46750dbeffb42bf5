"""The import and back-fill forms ask for a date with Wagtail's date picker: its script must be on the page.

Without it the page's own inline call to the picker fails ("initDateChooser is not defined")
and the field is a bare text box.
"""

import pytest
from django.urls import reverse

from partnerships.importing.views import URL_NAMESPACE
from tests.partnerships.backfill.test_backfill import backfill_url, imported_draft

pytestmark = pytest.mark.django_db

PICKER = "wagtailadmin/js/date-time-chooser.js"


def test_the_import_page_loads_the_date_picker_its_form_uses(client, manager):
    client.force_login(manager)
    page = client.get(reverse(f"{URL_NAMESPACE}:upload")).content.decode()
    assert "initDateChooser(" in page
    assert PICKER in page


def test_the_back_fill_page_loads_the_date_picker_its_form_uses(client, manager):
    client.force_login(manager)
    page = client.get(backfill_url(imported_draft())).content.decode()
    assert "initDateChooser(" in page
    assert PICKER in page
