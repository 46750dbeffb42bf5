"""The public register at /partnerships/: search, filters, sorting, pages, filter tags and entries."""

import datetime
import html
import re
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.utils.html import escape

from partnerships.models import Basis, CouncilRole, Geography, Level, Sector
from partnerships.public.fields import PUBLIC_FIELDS
from partnerships.public.pages import RegisterPage
from portal.models import HomePage
from tests.partnerships.factories import CouncilPriorityFactory, PartnershipFactory, ServiceAreaFactory, public_entry

pytestmark = pytest.mark.django_db

URL = "/partnerships/"


@pytest.fixture
def register(portal_site):
    return RegisterPage.objects.get()


def names(response):
    return [row["record"]["name"] for row in response.context["rows"]]


def test_the_register_is_a_page_under_home_in_the_menu(register, portal_site):
    assert register.get_parent().specific == portal_site
    assert register.url == URL
    assert register.show_in_menus and register.live
    assert "partnerships.RegisterPage" in HomePage.subpage_types
    assert RegisterPage.max_count == 1 and RegisterPage.subpage_types == []


def test_index_lists_public_entries_with_count_and_downloads(client, register):
    public_entry(name="Community Safety Partnership", partners=["Lancashire Constabulary"])
    public_entry(name="Health and Wellbeing Board")
    response = client.get(URL)
    assert response.status_code == 200
    assert names(response) == ["Community Safety Partnership", "Health and Wellbeing Board"]
    body = response.content.decode()
    assert "2 partnerships" in body
    assert "Lancashire Constabulary" in body
    assert 'href="/partnerships/register.csv"' in body
    assert 'href="/partnerships/register.json"' in body
    assert 'href="/partnerships/open-data/"' in body
    assert f"Last updated {datetime.date.today():%-d %B %Y}" in body
    assert 'href="/partnerships/community-safety-partnership/"' in body


def test_one_entry_is_counted_in_the_singular(client, register):
    public_entry(name="Community Safety Partnership")
    assert "1 partnership<" in client.get(URL).content.decode().replace("\n", "")


class TestSearch:
    @pytest.fixture(autouse=True)
    def entries(self, register):
        public_entry(
            name="Community Safety Partnership",
            purpose="Reducing crime and disorder.",
            partners=["Lancashire Constabulary", "Fire and Rescue Service"],
        )
        public_entry(name="Health and Wellbeing Board", purpose="Improving health.", partners=["Integrated Care Board"])
        public_entry(name="Local Nature Partnership", purpose="Restoring habitats.")

    def test_finds_by_name(self, client):
        assert names(client.get(URL, {"q": "wellbeing"})) == ["Health and Wellbeing Board"]

    def test_finds_by_partner_name(self, client):
        assert names(client.get(URL, {"q": "constabulary"})) == ["Community Safety Partnership"]

    def test_finds_by_purpose(self, client):
        assert names(client.get(URL, {"q": "habitats"})) == ["Local Nature Partnership"]

    def test_every_word_must_match(self, client):
        assert names(client.get(URL, {"q": "partnership nature"})) == ["Local Nature Partnership"]

    def test_finds_by_reference(self, client):
        reference = PartnershipFactory._meta.model.objects.get(name="Local Nature Partnership").reference
        assert names(client.get(URL, {"q": reference})) == ["Local Nature Partnership"]

    def test_shows_the_search_and_its_count(self, client):
        body = client.get(URL, {"q": "wellbeing"}).content.decode()
        assert "1 partnership matching ‘wellbeing’" in body
        assert 'value="wellbeing"' in body

    def test_says_clearly_when_nothing_matches(self, client):
        response = client.get(URL, {"q": "zzzyxq"})
        assert response.status_code == 200
        assert names(response) == []
        body = response.content.decode()
        assert "0 partnerships" in body
        assert "There are no partnerships that match your search or filters." in body
        assert 'href="/partnerships/">Show every partnership' in body

    @pytest.mark.parametrize("query", ['"', "'", "*", "(", "AND", "OR NOT", "-", "p-", "naïve café", "a" * 500, "%_"])
    def test_odd_input_is_answered_not_an_error(self, client, query):
        assert client.get(URL, {"q": query}).status_code == 200

    @pytest.mark.parametrize("query", ["\x00", "P-0001\x00", "wellbeing\x00board"])
    @pytest.mark.parametrize("path", [URL, URL + "register.csv", URL + "register.json", "/search/"])
    def test_a_nul_character_is_a_space_everywhere_the_register_is_searched(self, client, query, path):
        # PostgreSQL refuses text holding NUL: the words around it are still searched.
        response = client.get(path, {"q": query})
        assert response.status_code == 200
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if "wellbeing" in query and path != "/search/":
            assert b"Health and Wellbeing Board" in body


def _pair(field, first, second):
    """Two entries that differ only in ``field``."""
    public_entry(name="Alpha", **{field: first})
    public_entry(name="Beta", **{field: second})


@pytest.mark.parametrize(
    ("param", "field", "first", "second"),
    [
        ("level", "level", Level.STRATEGIC, Level.OPERATIONAL),
        ("basis", "basis", Basis.STATUTORY, Basis.VOLUNTARY),
        ("geography", "geography", Geography.COUNTY, Geography.DISTRICT),
        ("council_role", "council_role", CouncilRole.LEAD, CouncilRole.FUNDER_ONLY),
    ],
)
def test_each_classification_filter_narrows(client, register, param, field, first, second):
    _pair(field, first, second)
    assert names(client.get(URL)) == ["Alpha", "Beta"]
    assert names(client.get(URL, {param: first.value})) == ["Alpha"]
    assert names(client.get(URL, {param: second.value})) == ["Beta"]
    # Within one filter, ticking more boxes widens the choice.
    assert names(client.get(URL, {param: [first.value, second.value]})) == ["Alpha", "Beta"]


def test_service_area_filter_narrows(client, register):
    housing, leisure = ServiceAreaFactory(name="Housing"), ServiceAreaFactory(name="Leisure")
    _pair("service_area", housing, leisure)
    assert names(client.get(URL, {"service_area": housing.pk})) == ["Alpha"]
    assert names(client.get(URL, {"service_area": [housing.pk, leisure.pk]})) == ["Alpha", "Beta"]


def test_priority_filter_narrows(client, register):
    public_entry(name="Alpha", priorities=["Safer communities"])
    public_entry(name="Beta", priorities=["Thriving economy"])
    public_entry(name="Gamma")
    options = dict(client.get(URL).context["query"].options["priority"])
    safer = next(value for value, label in options.items() if label == "Safer communities")
    assert names(client.get(URL, {"priority": safer})) == ["Alpha"]


def test_partner_sector_filter_narrows(client, register):
    public_entry(name="Alpha", partners=[("Police", Sector.PUBLIC), ("Food bank", Sector.VOLUNTARY)])
    public_entry(name="Beta", partners=[("University", Sector.ACADEMIC)])
    public_entry(name="Gamma")
    assert names(client.get(URL, {"sector": Sector.VOLUNTARY})) == ["Alpha"]
    assert names(client.get(URL, {"sector": [Sector.VOLUNTARY, Sector.ACADEMIC]})) == ["Alpha", "Beta"]
    # An entry with two matching partners is listed once.
    assert names(client.get(URL, {"sector": [Sector.PUBLIC, Sector.VOLUNTARY]})) == ["Alpha"]


def test_different_filters_combine(client, register):
    public_entry(name="Alpha", level=Level.STRATEGIC, geography=Geography.COUNTY)
    public_entry(name="Beta", level=Level.STRATEGIC, geography=Geography.DISTRICT)
    public_entry(name="Gamma", level=Level.OPERATIONAL, geography=Geography.COUNTY)
    assert names(client.get(URL, {"level": "strategic", "geography": "county"})) == ["Alpha"]
    assert names(client.get(URL, {"level": "strategic", "geography": "county", "q": "beta"})) == []


def test_filters_offer_only_service_areas_and_priorities_that_public_entries_use(client, register):
    public_entry(name="Alpha", service_area=ServiceAreaFactory(name="Housing"), priorities=["Safer communities"])
    hidden = PartnershipFactory(name="Hidden", draft=True, service_area=ServiceAreaFactory(name="Secret projects"))
    hidden.council_priorities.set([CouncilPriorityFactory(name="Unannounced priority")])
    hidden.save()
    ServiceAreaFactory(name="Unused area")
    query = client.get(URL).context["query"]
    assert [label for _, label in query.options["service_area"]] == ["Housing"]
    assert [label for _, label in query.options["priority"]] == ["Safer communities"]


def test_unknown_filter_values_are_ignored(client, register):
    _pair("level", Level.STRATEGIC, Level.OPERATIONAL)
    response = client.get(URL, {"level": "bogus", "service_area": "999999", "sort": "nonsense", "page": "x"})
    assert response.status_code == 200
    assert names(response) == ["Alpha", "Beta"]
    assert response.context["tags"] == []


def test_sorting(client, register):
    public_entry(name="Charlie", start_date=datetime.date(2019, 1, 1))
    public_entry(name="Alpha", start_date=datetime.date(2021, 6, 1))
    public_entry(name="Bravo", start_date=None)
    public_entry(name="Delta", start_date=datetime.date(2023, 3, 1))
    assert names(client.get(URL)) == ["Alpha", "Bravo", "Charlie", "Delta"]
    assert names(client.get(URL, {"sort": "name"})) == ["Alpha", "Bravo", "Charlie", "Delta"]
    # Newest first; an entry without a start date comes last.
    assert names(client.get(URL, {"sort": "start"})) == ["Delta", "Alpha", "Charlie", "Bravo"]
    # References are given in order of creation.
    assert names(client.get(URL, {"sort": "reference"})) == ["Charlie", "Alpha", "Bravo", "Delta"]
    body = client.get(URL, {"sort": "start"}).content.decode()
    assert '<option value="start" selected>' in body


def test_pagination_25_a_page_keeping_the_filters(client, register):
    for n in range(26):
        public_entry(name=f"Entry {n:02d}", level=Level.STRATEGIC, publish=False)
    public_entry(name="Operational one", level=Level.OPERATIONAL, publish=False)
    first = client.get(URL, {"level": "strategic"})
    assert len(names(first)) == 25
    assert first.context["count"] == 26
    body = first.content.decode()
    assert "26 partnerships" in body
    assert "(page 1 of 2)" in body
    next_url = _pagination_link(body, "next")
    assert dict(parse_qsl(urlsplit(next_url).query)) == {"level": "strategic", "page": "2"}
    second = client.get(URL + next_url)
    assert names(second) == ["Entry 25"]
    assert _pagination_link(second.content.decode(), "prev") == "?level=strategic&page=1"
    # A page past the end shows the last page.
    assert names(client.get(URL, {"level": "strategic", "page": "9"})) == ["Entry 25"]


def test_one_page_has_no_pagination(client, register):
    public_entry(name="Alpha")
    response = client.get(URL)
    assert "govuk-pagination" not in response.content.decode()


def _pagination_link(body, rel):
    """The href of the pagination's Previous or Next link, as the browser reads it."""
    found = re.search(rf'<a class="govuk-link govuk-pagination__link" href="([^"]*)" rel="{rel}">', body)
    assert found, f"no {rel} link"
    return html.unescape(found.group(1))


def test_each_filter_tag_removes_only_its_own_filter(client, register):
    public_entry(name="Alpha", level=Level.STRATEGIC, geography=Geography.COUNTY)
    public_entry(name="Beta", level=Level.OPERATIONAL, geography=Geography.COUNTY)
    response = client.get(
        URL, {"q": "alpha", "level": ["strategic", "operational"], "geography": "county", "sort": "start", "page": "1"}
    )
    tags = {tag["label"]: tag for tag in response.context["tags"]}
    assert set(tags) == {"Strategic", "Operational", "County"}
    assert parse_qsl(urlsplit(tags["County"]["remove_url"]).query) == [
        ("q", "alpha"),
        ("level", "strategic"),
        ("level", "operational"),
        ("sort", "start"),
    ]
    assert parse_qsl(urlsplit(tags["Strategic"]["remove_url"]).query) == [
        ("q", "alpha"),
        ("level", "operational"),
        ("geography", "county"),
        ("sort", "start"),
    ]
    body = response.content.decode().replace("&amp;", "&")
    for tag in tags.values():
        assert f'href="{tag["remove_url"]}"' in body
    assert "Remove filter" in body
    assert 'href="?q=alpha&sort=start">Clear all filters' in body
    # Following a tag's link really drops that filter.
    assert names(client.get(URL + tags["Strategic"]["remove_url"])) == []
    assert names(client.get(URL + "?level=strategic&level=operational")) == ["Alpha", "Beta"]


def test_checked_filters_stay_checked(client, register):
    public_entry(name="Alpha", level=Level.STRATEGIC)
    body = client.get(URL, {"level": "strategic"}).content.decode()
    assert re.search(r'id="filter-level-strategic" name="level" type="checkbox" value="strategic" checked>', body)
    assert re.search(r'id="filter-level-operational" name="level" type="checkbox" value="operational">', body)


def test_index_markup_is_accessible(client, register):
    public_entry(name="Alpha", partners=[("Police", Sector.PUBLIC)], priorities=["Safer communities"])
    body = client.get(URL, {"level": "strategic"}).content.decode()
    assert body.count("<h1") == 1
    ids = re.findall(r'\sid="([^"]+)"', body)
    assert len(ids) == len(set(ids)), "duplicate ids"
    # Every form control has a label pointing at it.
    labelled = set(re.findall(r'<label[^>]* for="([^"]+)"', body))
    controls = re.findall(r"<(?:input|select)[^>]* id=\"([^\"]+)\"", body)
    assert controls and set(controls) <= labelled
    assert '<form method="get" action="/partnerships/"' in body
    # Contribution band, level, basis, geography, role, service area, priority, partner sector.
    assert body.count('class="govuk-fieldset"') == 8
    assert "govuk-checkboxes--small" in body


def test_entry_page_shows_its_public_fields(client, register):
    entry = public_entry(
        name="Community Safety Partnership",
        purpose="Reducing crime and disorder.",
        partners=[("Lancashire Constabulary", Sector.PUBLIC)],
        priorities=["Safer communities"],
        start_date=datetime.date(2020, 4, 1),
    )
    response = client.get(f"{URL}{entry.slug}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert '<h1 class="govuk-heading-xl">Community Safety Partnership</h1>' in body
    assert body.count("<h1") == 1
    assert entry.reference in body
    for field in PUBLIC_FIELDS:
        if field.name in ("activity_summaries", "meeting_notes"):
            assert f">{escape(field.label)}</h2>" in body, field
        elif field.name not in ("name", "slug"):
            assert f'<dt class="govuk-summary-list__key">{escape(field.label)}</dt>' in body, field
    assert "Reducing crime and disorder." in body
    assert "Lancashire Constabulary (Public)" in body
    assert "Safer communities" in body
    assert "1 April 2020" in body
    assert "govuk-tag--green" in body
    assert 'class="govuk-breadcrumbs__link" href="/partnerships/">Partnership register' in body


def test_unknown_entry_is_not_found(client, register):
    assert client.get(f"{URL}no-such-partnership/").status_code == 404


def test_open_data_page_documents_every_column(client, register):
    public_entry(name="Alpha")
    response = client.get(f"{URL}open-data/")
    assert response.status_code == 200
    body = response.content.decode()
    for field in PUBLIC_FIELDS:
        assert f"<code>{field.name}</code>" in body
    assert "Open Government Licence v3.0" in body
    assert f"Last updated {datetime.date.today():%-d %B %Y}" in body
    assert 'href="/partnerships/register.csv"' in body


def test_sitemap_lists_the_register_and_each_public_entry(client, register):
    entries = [public_entry(name=f"Entry {n}") for n in range(3)]
    body = client.get("/sitemap.xml").content.decode()
    assert "/partnerships/</loc>" in body
    assert "/partnerships/open-data/</loc>" in body
    for entry in entries:
        assert f"/partnerships/{entry.slug}/</loc>" in body
