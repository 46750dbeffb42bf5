"""The intranet needs a sign-in, and nothing of it reaches the public outputs."""

import pytest
from wagtail.models import Page, PageViewRestriction

from portal.models import IntranetHomePage


@pytest.fixture
def intranet_pages(portal_site):
    intranet = IntranetHomePage.objects.get()
    return list(Page.objects.live().descendant_of(intranet, inclusive=True))


def test_anonymous_visitors_are_sent_to_sign_in(client, intranet_pages):
    assert len(intranet_pages) > 10
    for page in intranet_pages:
        response = client.get(page.url)
        assert response.status_code == 302, page.url
        assert response["Location"].startswith("/sign-in/?next="), page.url


def test_signed_in_staff_read_every_intranet_page(staff_client, intranet_pages):
    for page in intranet_pages:
        assert staff_client.get(page.url).status_code == 200, page.url


def test_public_pages_render_for_anyone(client, portal_site):
    public = Page.objects.live().public().filter(depth__gt=1)
    for page in public:
        assert client.get(page.url).status_code == 200, page.url


def test_intranet_is_not_in_anonymous_search(client, portal_site):
    # "toolkit" appears in intranet titles and bodies; the public must not find them.
    response = client.get("/search/", {"q": "checklist"})
    assert response.status_code == 200
    urls = [result.url for result in response.context["results"] or []]
    assert not any(url.startswith("/intranet/") for url in urls)


def test_staff_search_finds_intranet_pages(staff_client):
    response = staff_client.get("/search/", {"q": "checklist"})
    urls = [result.url for result in response.context["results"]]
    assert any(url.startswith("/intranet/") for url in urls)


def test_search_without_results_says_so(client, portal_site):
    response = client.get("/search/", {"q": "zzzyxq"})
    assert response.status_code == 200
    assert response.context["results"].paginator.count == 0


def test_sitemap_lists_public_pages_only(client, portal_site):
    body = client.get("/sitemap.xml").content.decode()
    assert "/framework/" in body
    assert "/intranet/" not in body


def test_api_lists_public_pages_only(client, staff_client, intranet_pages):
    for api_client in (client, staff_client):
        response = api_client.get("/api/v2/pages/", {"limit": 100})
        assert response.status_code == 200
        ids = {item["id"] for item in response.json()["items"]}
        assert ids
        assert not ids & {page.id for page in intranet_pages}
        for page in intranet_pages[:3]:
            assert api_client.get(f"/api/v2/pages/{page.id}/").status_code == 404


def _restriction_ids(restrictions):
    return sorted(restriction.pk for restriction in restrictions)


@pytest.fixture
def public_alias_of_restricted_page(portal_site):
    """An alias on the public site of a page that carries its own sign-in restriction."""
    source = Page.objects.live().descendant_of(IntranetHomePage.objects.get()).last()
    PageViewRestriction.objects.create(page=source, restriction_type=PageViewRestriction.LOGIN)
    return source.specific.create_alias(parent=portal_site, update_slug="alias-of-a-restricted-page")


def test_privacy_is_checked_in_one_query_with_wagtails_answer(
    portal_site, public_alias_of_restricted_page, django_assert_num_queries
):
    """Every page finds the restrictions Wagtail's own two-query check finds, in one query."""
    pages = [page.specific for page in Page.objects.filter(depth__gt=1)]
    assert public_alias_of_restricted_page.pk in [page.pk for page in pages]
    for page in pages:
        with django_assert_num_queries(1):
            ours = _restriction_ids(page.get_view_restrictions())
        assert ours == _restriction_ids(Page.get_view_restrictions(page)), page.url_path
    # The alias has no restriction of its own, and its ancestors none: it gets its source's.
    assert _restriction_ids(public_alias_of_restricted_page.get_view_restrictions())


def test_an_alias_of_a_restricted_page_needs_sign_in(client, public_alias_of_restricted_page):
    response = client.get(public_alias_of_restricted_page.url)
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/?next=")
