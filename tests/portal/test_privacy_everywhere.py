"""Group and password restrictions hold in search, listings, menus, the sitemap and the API, per role.

The site gets three restricted pages: a Board-only guidance page on the intranet, a
Board-only section in the home page's menu, and a password-protected page beneath
/framework/ that is in menus too. Each role reads every surface that lists pages.
"""

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction, Page, PageViewRestriction

from portal import roles
from portal.models import ContentPage, GuidancePage, SectionPage

BOARD_ONLY_GUIDANCE = "Zephyrine briefing for the Board"
BOARD_ONLY_SUMMARY = "Confidential zephyrine notes on a partnership the Board is minded to leave."
BOARD_ONLY_SECTION = "Boardroom papers"
PASSWORD_PAGE = "Quokka annex to the framework"
PASSWORD = "annex-password"  # noqa: S105


def _restrict(page, restriction_type, **fields):
    groups = fields.pop("groups", [])
    restriction = PageViewRestriction.objects.create(page=page, restriction_type=restriction_type, **fields)
    restriction.groups.set(groups)
    return restriction


@pytest.fixture
def restricted(portal_site):
    board = Group.objects.get(name=roles.MANAGEMENT_BOARD)
    guidance = SectionPage.objects.get(slug="guidance")
    framework = SectionPage.objects.get(slug="framework")
    board_guidance = guidance.add_child(
        instance=GuidancePage(title=BOARD_ONLY_GUIDANCE, slug="zephyrine-briefing", summary=BOARD_ONLY_SUMMARY)
    )
    _restrict(board_guidance, PageViewRestriction.GROUPS, groups=[board])
    board_section = portal_site.add_child(
        instance=SectionPage(
            title=BOARD_ONLY_SECTION, slug="boardroom", summary="Zephyrine papers.", show_in_menus=True
        )
    )
    _restrict(board_section, PageViewRestriction.GROUPS, groups=[board])
    annex = framework.add_child(
        instance=ContentPage(title=PASSWORD_PAGE, slug="quokka-annex", summary="Quokka terms.", show_in_menus=True)
    )
    annex_restriction = _restrict(annex, PageViewRestriction.PASSWORD, password=PASSWORD)
    return {
        "board_guidance": board_guidance,
        "board_section": board_section,
        "annex": annex,
        "annex_restriction": annex_restriction,
    }


ROLES = {
    "anonymous": None,
    "staff": [roles.STAFF],
    "board member": [roles.STAFF, roles.MANAGEMENT_BOARD],
    "page editor": [roles.STAFF, roles.EDITORS],
}
# Which roles may open the Board's pages; nobody lists the password page without its password.
SEES_BOARD_PAGES = {"board member"}


@pytest.fixture(params=list(ROLES))
def role(request, client, make_user, restricted):
    groups = ROLES[request.param]
    if groups is not None:
        client.force_login(make_user(*groups))
    return request.param


def _search_titles(client, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    return [result.title for result in response.context["results"]]


def test_search_shows_restricted_pages_only_to_those_who_may_open_them(client, role):
    found = _search_titles(client, "zephyrine")
    assert (BOARD_ONLY_GUIDANCE in found) is (role in SEES_BOARD_PAGES)
    assert (BOARD_ONLY_SECTION in found) is (role in SEES_BOARD_PAGES)
    assert _search_titles(client, "quokka") == []
    body = client.get("/search/", {"q": "zephyrine"}).content.decode()
    assert (BOARD_ONLY_SUMMARY in body) is (role in SEES_BOARD_PAGES)


def test_section_listings_leave_out_what_the_reader_may_not_open(client, role):
    framework = client.get("/framework/")
    assert framework.status_code == 200
    assert PASSWORD_PAGE not in framework.content.decode()
    assert "What is a partnership?" in framework.content.decode()

    guidance = client.get("/intranet/guidance/")
    if role == "anonymous":
        assert guidance.status_code == 302
        return
    html = guidance.content.decode()
    assert "Roles and responsibilities" in html
    assert (BOARD_ONLY_GUIDANCE in html) is (role in SEES_BOARD_PAGES)
    assert (BOARD_ONLY_SUMMARY in html) is (role in SEES_BOARD_PAGES)


def test_the_home_page_menu_leaves_out_what_the_reader_may_not_open(client, role):
    html = client.get("/").content.decode()
    assert "Partnerships Framework" in html
    assert (BOARD_ONLY_SECTION in html) is (role in SEES_BOARD_PAGES)


def test_the_sitemap_lists_public_pages_only_whoever_asks(client, role, restricted):
    body = client.get("/sitemap.xml").content.decode()
    assert "/framework/what-is-a-partnership/" in body
    for page in restricted.values():
        if isinstance(page, Page):
            assert f"/{page.slug}/" not in body, page.title


def test_the_api_serves_public_pages_only_whoever_asks(client, role, restricted):
    response = client.get("/api/v2/pages/", {"limit": 100})
    assert response.status_code == 200
    ids = {item["id"] for item in response.json()["items"]}
    assert SectionPage.objects.get(slug="framework").pk in ids
    for key in ("board_guidance", "board_section", "annex"):
        page = restricted[key]
        assert page.pk not in ids, page.title
        assert client.get(f"/api/v2/pages/{page.pk}/").status_code == 404
    searched = client.get("/api/v2/pages/", {"search": "quokka"}).json()["items"]
    assert searched == []


def test_a_password_page_is_listed_once_this_session_has_given_its_password(client, restricted):
    annex, restriction = restricted["annex"], restricted["annex_restriction"]
    assert client.get(annex.url).status_code == 200  # the password form
    assert PASSWORD_PAGE not in client.get("/framework/").content.decode()

    response = client.post(
        f"/_util/authenticate_with_password/{restriction.pk}/{annex.pk}/",
        {"password": PASSWORD, "return_url": annex.url},
    )
    assert response.status_code == 302
    assert PASSWORD_PAGE in client.get("/framework/").content.decode()
    assert PASSWORD_PAGE in _search_titles(client, "quokka")
    # The sitemap and the API stay public-only.
    assert "/quokka-annex/" not in client.get("/sitemap.xml").content.decode()


def test_listings_and_search_take_a_fixed_number_of_queries(client, make_user, restricted):
    """More restrictions do not mean more queries: the filter is one subquery."""
    client.force_login(make_user(roles.STAFF))
    client.get("/intranet/guidance/")  # warm Wagtail's site and page caches

    def queries(path, **params):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path, params).status_code == 200
        return len(captured)

    before = {path: queries(path, q="zephyrine") for path in ("/intranet/guidance/", "/search/", "/")}
    board = Group.objects.get(name=roles.MANAGEMENT_BOARD)
    for number in range(5):
        page = SectionPage.objects.get(slug="guidance").add_child(
            instance=GuidancePage(title=f"Board note {number}", slug=f"board-note-{number}", summary="Zephyrine.")
        )
        _restrict(page, PageViewRestriction.GROUPS, groups=[board])
    after = {path: queries(path, q="zephyrine") for path in before}
    assert after == before


# --- A signed-in outsider gets a 403, not a loop --------------------------------------------------------


def test_a_signed_in_outsider_gets_a_forbidden_page_not_a_redirect_loop(client, make_user, restricted):
    client.force_login(make_user(roles.STAFF))
    response = client.get(restricted["board_guidance"].url, follow=True)
    assert response.redirect_chain == []
    assert response.status_code == 403
    assert [t.name for t in response.templates][:2] == ["403.html", "base.html"]
    html = response.content.decode()
    assert 'class="govuk-template"' in html
    assert 'class="govuk-service-navigation"' in html
    assert 'class="govuk-footer"' in html
    assert "You do not have permission to see this page" in html
    assert BOARD_ONLY_SUMMARY not in html
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_the_board_reads_its_page_and_the_public_is_asked_to_sign_in(client, make_user, restricted):
    page = restricted["board_guidance"]
    anonymous = client.get(page.url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/sign-in/?next=")

    client.force_login(make_user(roles.STAFF, roles.MANAGEMENT_BOARD))
    response = client.get(page.url)
    assert response.status_code == 200
    assert BOARD_ONLY_SUMMARY in response.content.decode()


def test_a_signed_in_user_still_gets_the_password_form(client, make_user, restricted):
    client.force_login(make_user(roles.STAFF))
    response = client.get(restricted["annex"].url)
    assert response.status_code == 200
    assert 'name="password"' in response.content.decode()


def test_a_signed_in_outsider_gets_a_forbidden_page_for_a_group_only_document(client, make_user, portal_site):
    board_papers = Collection.get_first_root_node().add_child(name="Board papers")
    restriction = CollectionViewRestriction.objects.create(
        collection=board_papers, restriction_type=CollectionViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.get(name=roles.MANAGEMENT_BOARD)])
    paper = get_document_model().objects.create(
        title="Board paper", file=ContentFile(b"Zephyrine exit costs.", name="board-paper.txt"), collection=board_papers
    )

    client.force_login(make_user(roles.STAFF))
    response = client.get(paper.url, follow=True)
    assert response.redirect_chain == []
    assert response.status_code == 403
    assert b"Zephyrine" not in response.content

    client.force_login(make_user(roles.STAFF, roles.MANAGEMENT_BOARD))
    response = client.get(paper.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"Zephyrine exit costs."
