"""The intranet's own navigation, and tables that carry their column headers for a narrow screen."""

import pytest
from bs4 import BeautifulSoup

from partnerships.models import Status
from tests.partnerships.factories import public_entry

pytestmark = pytest.mark.django_db

SECTIONS = {
    "Intranet home": "/intranet/",
    "My partnerships": "/intranet/register/mine/",
    "Intranet register": "/intranet/register/",
    "Collated progress": "/intranet/register/progress/",
    "Decision tree": "/intranet/decision-tree/",
}


def intranet_menu(response):
    return BeautifulSoup(response.content, "html.parser").select_one("nav[aria-label='Intranet menu']")


@pytest.mark.parametrize(("current", "path"), SECTIONS.items(), ids=SECTIONS.keys())
def test_every_intranet_section_is_linked_and_the_one_you_are_in_is_marked(staff_client, current, path):
    menu = intranet_menu(staff_client.get(path))
    assert {link.get_text(strip=True): link["href"] for link in menu.select("a")} == SECTIONS
    assert [link.get_text(strip=True) for link in menu.select("a[aria-current=page]")] == [current]


def test_a_page_below_a_section_marks_the_section(staff_client):
    menu = intranet_menu(staff_client.get("/intranet/decision-tree/name/"))
    assert [link.get_text(strip=True) for link in menu.select("a[aria-current=true]")] == ["Decision tree"]
    menu = intranet_menu(staff_client.get("/intranet/toolkit/"))
    assert not menu.select("a[aria-current]")


def test_public_pages_and_visitors_do_not_get_the_intranet_menu(client, staff_client):
    assert intranet_menu(staff_client.get("/partnerships/")) is None
    assert intranet_menu(client.get("/")) is None


def test_register_cells_are_labelled_with_their_column(staff_client):
    public_entry(name="Wyre Forest Community Safety Partnership", status=Status.ACTIVE)
    page = BeautifulSoup(staff_client.get("/intranet/register/").content, "html.parser")
    table = page.select_one("table.portal-table--reflow")
    headers = [th.get_text(strip=True) for th in table.select("thead th")]
    labels = [td["data-label"] for td in table.select("tbody tr")[0].select("td")]
    assert labels == headers[1:]


def test_content_tables_label_their_cells(staff_client):
    page = BeautifulSoup(staff_client.get("/framework/types-of-partnership/").content, "html.parser")
    table = page.select_one("table.portal-table--reflow")
    headers = [th.get_text(strip=True) for th in table.select("thead th")]
    row = table.select("tbody tr")[0]
    assert [td["data-label"] for td in row.select("td")] == headers[len(row.select("th")) :]
