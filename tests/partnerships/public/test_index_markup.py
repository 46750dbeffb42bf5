"""The register index's results and filter checkboxes: what each shows, in which order, and every value escaped."""

import pytest
from bs4 import BeautifulSoup

from partnerships.models import Area, CouncilRole, Geography
from partnerships.public.pages import RegisterPage
from tests.partnerships.factories import ServiceAreaFactory, public_entry, published

pytestmark = pytest.mark.django_db

URL = "/partnerships/"


@pytest.fixture
def register(portal_site):
    return RegisterPage.objects.get()


def index(client, **params):
    return BeautifulSoup(client.get(URL, params).content, "html.parser")


def results(client, **params):
    return index(client, **params).select(".portal-result-list__item")


def facts(item):
    return [
        (row.select_one("dt").get_text(), row.select_one("dd").get_text())
        for row in item.select(".govuk-summary-list__row")
    ]


def test_an_entry_shows_its_name_link_reference_status_purpose_and_facts_in_order(client, register):
    entry = public_entry(
        name="Community Safety Partnership",
        purpose="Reducing crime and disorder.",
        council_role=CouncilRole.LEAD,
        geography=Geography.DISTRICT,
        service_area=ServiceAreaFactory(name="Community Safety"),
        annual_contribution=12500,
        partners=["West Mercia Police", "Fire and Rescue Service"],
    )
    entry.areas.set([Area.objects.create(name="Bewdley"), Area.objects.create(name="Kidderminster")])
    published(entry)
    (item,) = results(client)
    link = item.select_one("h3 a")
    assert (link.get_text(), link["href"]) == ("Community Safety Partnership", f"{URL}{entry.slug}/")
    assert item.select_one(".govuk-tag").get_text() == "Active"
    assert entry.reference in item.select_one(".govuk-body-s").get_text()
    assert item.select_one("p.govuk-body").get_text() == "Reducing crime and disorder."
    assert facts(item) == [
        ("Council's role", CouncilRole.LEAD.label),
        ("Geography", "District"),
        ("Areas covered", "Bewdley, Kidderminster"),
        ("Service area", "Community Safety"),
        ("Council's financial contribution (£ a year)", "£12,500"),
        ("Partner organisations", "West Mercia Police, Fire and Rescue Service"),
    ]


def test_an_entry_without_partners_says_so_and_shows_no_areas_row(client, register):
    public_entry(name="Local Nature Partnership")
    (item,) = results(client)
    shown = dict(facts(item))
    assert "Areas covered" not in shown
    assert shown["Partner organisations"] == "None recorded"


def test_a_long_purpose_is_cut_to_forty_words(client, register):
    public_entry(name="Health and Wellbeing Board", purpose=" ".join(f"word{n}" for n in range(60)))
    (item,) = results(client)
    assert item.select_one("p.govuk-body").get_text() == " ".join(f"word{n}" for n in range(40)) + " …"


def test_markup_in_an_entry_is_shown_as_text_never_run(client, register):
    public_entry(
        name="<script>alert('name')</script>",
        purpose="<img src=x onerror=alert(1)>",
        partners=["<b>Partner</b> & Co"],
    )
    (item,) = results(client)
    assert item.select("script, img, b") == []
    assert item.select_one("h3 a").get_text() == "<script>alert('name')</script>"
    assert item.select_one("p.govuk-body").get_text() == "<img src=x onerror=alert(1)>"
    assert dict(facts(item))["Partner organisations"] == "<b>Partner</b> & Co"


def test_a_filter_option_is_a_labelled_checkbox_ticked_when_chosen(client, register):
    entry = public_entry(name="Housing Forum", service_area=ServiceAreaFactory(name="<i>Housing</i>"))
    pk = entry.service_area_id
    soup = index(client, service_area=pk)
    box = soup.select_one(f"#filter-service_area-{pk}")
    assert (box["name"], box["value"], box.has_attr("checked")) == ("service_area", str(pk), True)
    label = soup.select_one(f'label[for="filter-service_area-{pk}"]')
    assert label.get_text() == "<i>Housing</i>"
    assert soup.select(".govuk-checkboxes i") == []
    assert not index(client).select_one(f"#filter-service_area-{pk}").has_attr("checked")
