"""Public pages are served from the cache, and every change to the site shows on the next request."""

import pytest
from django.test import Client
from wagtail.models import Page, PageViewRestriction, Site

from portal.models import ContentPage, HomePage, IntranetHomePage
from tests.portal.factories import was_cached

pytestmark = pytest.mark.django_db


@pytest.fixture
def public_page(portal_site, page_cache):
    page = ContentPage.objects.live().public().exclude(path__startswith=IntranetHomePage.objects.get().path).first()
    assert page is not None
    return page


def test_a_repeat_visit_is_served_from_the_cache_without_the_database(client, public_page, django_assert_num_queries):
    first = client.get(public_page.url)
    assert first.status_code == 200 and not was_cached(first)
    with django_assert_num_queries(0):
        again = client.get(public_page.url)
    assert was_cached(again)
    assert again.content == first.content
    assert again["Content-Security-Policy"] == first["Content-Security-Policy"]


def test_public_pages_say_a_cdn_may_keep_them_a_while_and_browsers_briefly(client, public_page):
    for url in ("/", public_page.url, "/partnerships/", "/sitemap.xml"):
        control = client.get(url)["Cache-Control"]
        assert "public" in control and "s-maxage=300" in control and "max-age=60" in control, url


def test_publishing_a_page_shows_on_the_next_request(client, public_page, committed):
    client.get(public_page.url)
    with committed():
        public_page.title = "Working with the voluntary sector, revised"
        public_page.save_revision().publish()
    assert "Working with the voluntary sector, revised" in client.get(public_page.url).content.decode()


def test_publishing_the_home_page_shows_everywhere(client, public_page, committed):
    client.get("/")
    client.get(public_page.url)
    home = HomePage.objects.get()
    with committed():
        home.title = "Partnerships at the council, today"
        home.save_revision().publish()
    assert "Partnerships at the council, today" in client.get("/").content.decode()
    assert not was_cached(client.get(public_page.url))


def test_an_unpublished_page_is_gone_on_the_next_request(client, public_page, committed):
    assert client.get(public_page.url).status_code == 200
    with committed():
        public_page.unpublish()
    assert client.get(public_page.url).status_code == 404


def test_a_deleted_page_is_gone_on_the_next_request(client, public_page, committed):
    url = public_page.url
    assert client.get(url).status_code == 200
    with committed():
        public_page.delete()
    assert client.get(url).status_code == 404


def test_a_moved_page_is_found_at_its_new_address(client, public_page, committed):
    old_url = public_page.url
    assert client.get(old_url).status_code == 200
    target = HomePage.objects.get()
    if public_page.get_parent().pk == target.pk:
        target = public_page.get_siblings(inclusive=False).live().public().first()
    with committed():
        public_page.move(target, pos="last-child")
    moved = Page.objects.get(pk=public_page.pk)
    assert moved.url != old_url
    # Wagtail leaves a redirect at the old address, rather than the page that was there.
    old = client.get(old_url)
    assert old.status_code == 301 and old["Location"] == moved.url
    assert client.get(moved.url).status_code == 200


def test_a_page_made_private_asks_the_next_visitor_to_sign_in(client, public_page, committed):
    assert client.get(public_page.url).status_code == 200
    with committed():
        PageViewRestriction.objects.create(page=public_page, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(public_page.url)
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


def test_a_password_form_is_never_cached(client, public_page, committed):
    with committed():
        PageViewRestriction.objects.create(
            page=public_page,
            restriction_type=PageViewRestriction.PASSWORD,
            password="letmein",  # noqa: S106
        )
    first = client.get(public_page.url)
    assert "csrftoken" in first.cookies  # the form's CSRF token sets a cookie
    second = client.get(public_page.url)
    assert not was_cached(second)
    # Nor offered to a CDN: a response setting a cookie is never marked public.
    assert "public" not in second.get("Cache-Control", "")


def test_changing_the_site_rebuilds_the_pages(client, public_page, committed):
    client.get(public_page.url)
    with committed():
        site = Site.objects.get(is_default_site=True)
        site.site_name = "Anytown partnerships"
        site.save()
    assert not was_cached(client.get(public_page.url))


def test_signed_in_staff_are_never_served_the_anonymous_copy_nor_stored(staff_client, public_page):
    client = Client()  # a visitor, beside the signed-in officer
    client.get("/")
    assert was_cached(client.get("/"))
    staff_home = staff_client.get("/")
    assert not was_cached(staff_home)
    assert "no-store" in staff_home["Cache-Control"]
    # What staff were shown was not kept for the public either.
    staff_client.get(public_page.url)
    assert not was_cached(client.get(public_page.url))


def test_intranet_pages_are_never_cached(staff_client, portal_site, page_cache):
    client = Client()
    intranet = IntranetHomePage.objects.get()
    for _ in range(2):
        response = staff_client.get(intranet.url)
        assert response.status_code == 200 and not was_cached(response)
    anonymous = client.get(intranet.url)
    assert anonymous.status_code == 302 and not was_cached(anonymous)


def test_a_page_is_rebuilt_from_the_database_when_the_cache_is_unreachable(client, portal_site, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.cache.DegradingRedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"socket_connect_timeout": 0.1, "socket_timeout": 0.1, "retry_after": 5},
        }
    }
    settings.PUBLIC_PAGE_CACHE = True
    settings.PUBLIC_ROUTE_CACHE = True
    for _ in range(2):
        response = client.get("/")
        assert response.status_code == 200 and not was_cached(response)


def test_a_content_page_not_yet_cached_costs_at_most_two_queries(client, public_page, django_assert_max_num_queries):
    client.get(public_page.url, {"from": "menu"})  # this process now knows the site and the route
    with django_assert_max_num_queries(2):
        response = client.get(public_page.url, {"from": "search"})
    assert response.status_code == 200 and not was_cached(response)


def test_a_page_made_private_or_deleted_is_purged_from_the_cdn(public_page, committed, cdn):
    address = public_page.get_full_url()
    with committed():
        PageViewRestriction.objects.create(page=public_page, restriction_type=PageViewRestriction.LOGIN)
    assert address in cdn
    cdn.clear()
    with committed():
        public_page.delete()
    assert set(cdn) == {address}  # Wagtail purges an unpublished page too: once or more, the same address
