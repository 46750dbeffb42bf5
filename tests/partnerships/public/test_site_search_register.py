"""Site search finds register entries: by name, partner, purpose and place, as their own kind of result."""

import pytest
from bs4 import BeautifulSoup
from wagtail.search import index

from partnerships.models import Area, Geography, Sector
from tests.partnerships.factories import PartnershipFactory, public_entry

pytestmark = pytest.mark.django_db


def register_results(response):
    """The register entries a results page lists: (title, link, staff link or None), in order."""
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    found = []
    for item in soup.select(".portal-result-list__item"):
        label = item.select_one(".govuk-tag")
        if label is None or label.get_text(strip=True) != "Register entry":
            continue
        link = item.select_one("h2 a")
        staff = [a["href"] for a in item.select("p a") if a is not link]
        found.append((link.get_text(strip=True), link["href"], staff[0] if staff else None))
    return found


def search(client, words):
    return register_results(client.get("/search/", {"q": words}))


@pytest.fixture
def entries(portal_site):
    flood = public_entry(
        name="Severn Flood Forum",
        purpose="Keeping homes in Bewdley safe from the river.",
        geography=Geography.SUB_DISTRICT,
        partners=[("Environment Agency", Sector.PUBLIC)],
    )
    regional = public_entry(name="Growth Board", purpose="Jobs and skills.", geography=Geography.REGIONAL)
    return {"flood": flood, "regional": regional}


def test_an_entry_is_found_by_place_partner_purpose_and_name(client, entries):
    flood = entries["flood"]
    expected = [("Severn Flood Forum", f"/partnerships/{flood.slug}/", None)]
    assert search(client, "Bewdley") == expected
    assert search(client, "environment agency") == expected
    assert search(client, "homes river") == expected
    assert search(client, "severn flood") == expected
    # The place as the register names its geography.
    assert [title for title, *_ in search(client, "regional")] == ["Growth Board"]


def test_the_result_count_includes_register_entries(client, entries):
    response = client.get("/search/", {"q": "Bewdley"})
    status = BeautifulSoup(response.content, "html.parser").select_one("[role=status]").get_text()
    assert status.startswith("1 result for")


def test_an_unpublished_edit_is_never_found_or_shown(client, entries):
    flood = entries["flood"]
    flood.name = "Renamed Unapproved Forum"
    flood.purpose = "Unapprovedpurposeword in Stourport."
    flood.save_revision()
    assert search(client, "unapproved") == []
    assert search(client, "Stourport") == []
    assert [title for title, *_ in search(client, "Bewdley")] == ["Severn Flood Forum"]


def test_entries_the_public_must_not_see_are_not_found(client, portal_site):
    PartnershipFactory(name="Bewdley Draft Forum", draft=True)
    PartnershipFactory(name="Bewdley Private Forum", is_public=False)
    assert search(client, "Bewdley") == []


def test_many_matches_link_to_the_register_search(client, portal_site):
    for n in range(7):
        public_entry(name=f"Bewdley Forum {n}")
    response = client.get("/search/", {"q": "Bewdley"})
    assert len(register_results(response)) == 5
    assert 'href="/partnerships/?q=Bewdley"' in response.content.decode()
    assert "See all 7 register entries" in response.content.decode()


def test_the_public_get_no_link_to_the_internal_record(client, entries):
    assert all(staff is None for *_, staff in search(client, "Bewdley"))


def test_a_register_manager_reaches_the_internal_record(client, entries, register_manager):
    client.force_login(register_manager)
    [(_, public_url, staff_url)] = search(client, "Bewdley")
    assert public_url == f"/partnerships/{entries['flood'].slug}/"
    assert staff_url == f"/admin/snippets/partnerships/partnership/inspect/{entries['flood'].pk}/"
    assert client.get(staff_url).status_code == 200


def test_staff_without_the_admin_reach_the_intranet_register(client, entries, role_user):
    client.force_login(role_user())
    [(_, _, staff_url)] = search(client, "Bewdley")
    assert staff_url == f"/intranet/register/?q={entries['flood'].reference}"
    response = client.get(staff_url)
    assert response.status_code == 200
    assert "Severn Flood Forum" in response.content.decode()


def test_an_entry_is_found_by_an_area_it_covers(client, portal_site):
    entry = public_entry(name="Riverside Youth Forum", purpose="Activities for young people.")
    entry.areas.add(Area.objects.create(name="Stourport-on-Severn"))
    index.insert_or_update_object(entry)
    assert [title for title, *_ in search(client, "Stourport")] == ["Riverside Youth Forum"]
