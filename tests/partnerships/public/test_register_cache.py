"""The register from the page cache: each change to entries or reference data shows on the next request."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from partnerships.models import Area, CouncilPriority, PartnerOrganisation, RegisterSettings, ServiceArea
from partnerships.public.pages import RegisterPage
from tests.partnerships.factories import many_public_entries, public_entry
from tests.portal.factories import was_cached

pytestmark = pytest.mark.django_db

INDEX = "/partnerships/"
FILES = ("/partnerships/register.csv", "/partnerships/register.json")


def text(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return response.content.decode("utf-8-sig")


@pytest.fixture
def entry(portal_site, page_cache, committed):
    with committed():
        return public_entry(
            name="Community Safety Partnership",
            partners=["Lancashire Constabulary"],
            priorities=["Kestrel Valley renewal"],
        )


def warm(client, *urls):
    """Request each address twice: pages are then in the page cache, files built on disk."""
    for url in urls:
        first = client.get(url)
        assert first.status_code == 200, url
        text(first)
        again = client.get(url)
        text(again)
        assert was_cached(again) or url in FILES, url


def test_every_register_page_is_cached_and_a_hit_reads_no_sql(client, entry, django_assert_num_queries):
    urls = [INDEX, f"{INDEX}?geography=district", f"{INDEX}{entry.slug}/", f"{INDEX}open-data/", "/sitemap.xml"]
    for url in urls:
        first = text(client.get(url))
        with django_assert_num_queries(0):
            again = client.get(url)
        assert was_cached(again) and text(again) == first, url


@pytest.mark.parametrize("url", FILES)
def test_the_files_are_sent_from_disk_not_copied_into_the_page_cache(client, entry, url, django_assert_num_queries):
    first = text(client.get(url))
    # One query says whether the register changed; the entries are not read again.
    with django_assert_num_queries(1):
        again = client.get(url)
    assert not was_cached(again) and again.streaming and text(again) == first
    control = again["Cache-Control"]
    assert "public" in control and "s-maxage=300" in control and "max-age=60" in control
    # A browser or CDN revalidating its copy is told it is current, with the same lifetimes.
    revalidated = client.get(url, HTTP_IF_NONE_MATCH=again["ETag"])
    assert revalidated.status_code == 304 and revalidated["Cache-Control"] == control


def test_publishing_an_entry_shows_on_the_index_and_in_the_files(client, entry, committed):
    warm(client, INDEX, *FILES)
    with committed():
        public_entry(name="Youth Justice Board")
    for url in (INDEX, *FILES):
        assert "Youth Justice Board" in text(client.get(url)), url


def test_an_entry_published_again_shows_its_new_wording(client, entry, committed):
    warm(client, f"{INDEX}{entry.slug}/")
    with committed():
        entry.purpose = "Cutting reoffending across the district"
        entry.save_revision().publish()
    assert "Cutting reoffending across the district" in text(client.get(f"{INDEX}{entry.slug}/"))


def test_unpublishing_an_entry_takes_it_off_at_once(client, entry, committed):
    warm(client, INDEX, f"{INDEX}{entry.slug}/", *FILES)
    with committed():
        entry.unpublish()
    assert client.get(f"{INDEX}{entry.slug}/").status_code == 404
    for url in (INDEX, *FILES):
        assert "Community Safety Partnership" not in text(client.get(url)), url


@pytest.mark.parametrize(
    ("model", "old", "new"),
    [
        (PartnerOrganisation, "Lancashire Constabulary", "Lancashire Police"),
        (CouncilPriority, "Kestrel Valley renewal", "Heron Vale renewal"),
    ],
)
def test_renamed_reference_data_shows_on_the_entry_and_in_the_files(client, entry, committed, model, old, new):
    warm(client, f"{INDEX}{entry.slug}/", *FILES)
    with committed():
        item = model.objects.get(name=old)
        item.name = new
        item.save()
    for url in (f"{INDEX}{entry.slug}/", *FILES):
        body = text(client.get(url))
        assert new in body and old not in body, url


def test_a_renamed_service_area_shows_in_the_index_filters(client, entry, committed):
    area = ServiceArea.objects.first()
    warm(client, INDEX)
    with committed():
        area.name = "Neighbourhoods and Wellbeing"
        area.save()
    assert "Neighbourhoods and Wellbeing" in text(client.get(INDEX))


def test_saving_the_register_settings_rebuilds_the_pages(client, entry, committed):
    warm(client, INDEX)
    with committed():
        RegisterSettings.load().save()
    assert not was_cached(client.get(INDEX))


def test_the_register_pages_own_wording_shows_once_published(client, entry, committed):
    warm(client, INDEX, f"{INDEX}open-data/")
    register = RegisterPage.objects.get()
    with committed():
        register.intro = "<p>Every partnership the council belongs to, kept up to date.</p>"
        register.licence_statement = "<p>Reuse freely under the Open Government Licence.</p>"
        register.save_revision().publish()
    assert "kept up to date" in text(client.get(INDEX))
    assert "Reuse freely under the Open Government Licence" in text(client.get(f"{INDEX}open-data/"))


def _index_queries(client, query):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(INDEX + query)
    assert response.status_code == 200 and not was_cached(response)
    return [q["sql"] for q in queries.captured_queries]


def test_the_index_not_yet_cached_costs_three_queries_whatever_the_registers_size(
    client, portal_site, page_cache, committed
):
    with committed():
        entries = many_public_entries(30, prefix="Entry A")
        area = Area.objects.create(name="Bewdley")
        entries[0].areas.add(area)
    client.get(INDEX, {"from": "menu"})  # this process now knows the site and the route
    service_area = entries[0].service_area_id
    queries = (
        "",
        "?geography=district",
        "?page=2",
        "?q=entry",
        f"?area={area.pk}&service_area={service_area}&band=none&sector=public&sort=contribution",
        "?service_area=999999&priority=0&area=x",
    )
    # The site and route come from this process's memory; the register's own three remain:
    # the filter options with the summary, the page of entries, and their partners and areas.
    small = {query: _index_queries(client, query) for query in queries}
    for query, sql in small.items():
        assert len(sql) <= 3, (query, [statement[:120] for statement in sql])
    with committed():
        many_public_entries(45, prefix="Entry B")  # two and a half times as many: three pages
    client.get(INDEX, {"from": "menu"})
    large = {query: len(_index_queries(client, query)) for query in queries}
    assert large == {query: len(sql) for query, sql in small.items()}


def test_an_entry_change_purges_its_addresses_from_the_cdn(client, entry, committed, cdn):
    with committed():
        entry.purpose = "A new purpose"
        entry.save_revision().publish()
    base = f"{Site.objects.get(is_default_site=True).root_url}/partnerships/"
    assert set(cdn) >= {
        base,
        f"{base}{entry.slug}/",
        f"{base}open-data/",
        f"{base}register.csv",
        f"{base}register.json",
    }
    cdn.clear()
    with committed():
        entry.unpublish()
    assert f"{base}{entry.slug}/" in cdn and base in cdn


def test_renamed_reference_data_purges_the_lists_and_files_from_the_cdn(client, entry, committed, cdn):
    with committed():
        organisation = PartnerOrganisation.objects.get(name="Lancashire Constabulary")
        organisation.name = "Lancashire Police"
        organisation.save()
    base = f"{Site.objects.get(is_default_site=True).root_url}/partnerships/"
    assert {base, f"{base}register.csv", f"{base}register.json"} <= set(cdn)
