"""What the public register says about an entry: money, contact, approval, areas, summaries, notes.

Each output shows the declared public fields and nothing else: the entry page's rows
and sections, the list, the CSV header and the JSON keys are all held to
``PUBLIC_FIELDS``.
"""

import csv
import datetime
import io
import json
import re
from decimal import Decimal

import pytest
from django.test import RequestFactory
from django.utils.html import escape

from partnerships.models import ActivitySummary, ApprovalRecord, Area, MeetingNote, PublicContact
from partnerships.public.fields import PUBLIC_FIELD_NAMES, PUBLIC_FIELDS
from partnerships.public.pages import RegisterPage
from portal.models import ContentPage, GuidancePage
from tests.partnerships.factories import PartnershipFactory, ServiceAreaFactory, UserFactory, public_entry, published

pytestmark = pytest.mark.django_db

URL = "/partnerships/"
LABELS = {field.label for field in PUBLIC_FIELDS}


@pytest.fixture
def register(portal_site):
    return RegisterPage.objects.get()


def body(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8")
    return response.content.decode("utf-8")


def full_entry(**fields):
    """A published entry with everything the public may see, and the internal things they may not."""
    lead = UserFactory(first_name="Priya", last_name="Shah", email="priya.shah@council.example")
    entry = PartnershipFactory(
        name="Health and Wellbeing Board",
        lead_officer=lead,
        annual_contribution=Decimal("12345"),
        in_kind_hours=Decimal("120"),
        in_kind_value=Decimal("3400"),
        in_kind_notes="Zqinkindnotes: worked out from the officer's timesheets",
        **fields,
    )
    ApprovalRecord.objects.filter(partnership=entry).update(
        route=ApprovalRecord.Route.BOARD,
        approved_by="Management Board",
        approved_on=datetime.date(2021, 3, 9),
        minute_reference="MB/21/14",
    )
    entry.areas.set([Area.objects.create(name="Bewdley"), Area.objects.create(name="Kidderminster")])
    entry.activity_summaries = [
        ActivitySummary(year=2023, summary="Ran the winter wellbeing campaign."),
        ActivitySummary(year=2022, summary="Agreed the health and wellbeing strategy."),
    ]
    entry.meeting_notes = [
        MeetingNote(date=datetime.date(2024, 2, 1), notes="Agreed the annual plan.", publish_notes=True),
        MeetingNote(date=datetime.date(2024, 3, 1), notes="Zqprivatenotes: a partner may withdraw."),
    ]
    entry.save()
    return published(entry)


def test_an_entry_page_shows_money_contact_approval_areas_summaries_and_public_notes(client, register, settings):
    settings.PARTNERSHIPS_TEAM_EMAIL = "partnerships@wyreforest.example"
    entry = full_entry()
    text = body(client.get(f"{URL}{entry.slug}/"))
    assert "£12,345" in text
    assert "£3,400" in text
    assert re.search(r">\s*120\s*<", text)
    assert 'href="mailto:partnerships@wyreforest.example"' in text
    assert "9 March 2021" in text
    assert "Management Board, minute MB/21/14" in text
    assert "Bewdley" in text and "Kidderminster" in text
    assert text.index("Ran the winter wellbeing campaign.") < text.index("Agreed the health and wellbeing strategy.")
    assert "Agreed the annual plan." in text
    assert "Zqprivatenotes" not in text
    assert "Zqinkindnotes" not in text
    # The lead officer is not the contact unless the council chooses so.
    assert "priya.shah@council.example" not in text
    assert "Priya" not in text


def test_the_council_may_name_the_lead_officer_as_the_contact(client, register):
    entry = full_entry(public_contact=PublicContact.LEAD_OFFICER)
    text = body(client.get(f"{URL}{entry.slug}/"))
    assert "Priya Shah" in text
    assert 'href="mailto:priya.shah@council.example"' in text
    document = json.loads(body(client.get(f"{URL}register.json")))
    assert document["partnerships"][0]["contact"] == {"name": "Priya Shah", "email": "priya.shah@council.example"}


def test_a_back_filled_entry_says_so(client, register):
    entry = public_entry(name="Older Partnership")
    text = body(client.get(f"{URL}{entry.slug}/"))
    assert "Cabinet (test data) (approved before the online register" in text


def _main(text):
    return text[text.index("<main") : text.index("</main>")]


def test_every_output_shows_only_the_declared_fields(client, register):
    entry = full_entry()
    page = _main(body(client.get(f"{URL}{entry.slug}/")))
    shown = set(re.findall(r'<dt class="govuk-summary-list__key">([^<]+)</dt>', page))
    shown |= set(re.findall(r'<h2 class="govuk-heading-l"[^>]*>([^<]+)</h2>', page))
    assert {escape(label) for label in LABELS} - {"Name", "Identifier"} == shown | set()
    listing = _main(body(client.get(URL)))
    listed = set(re.findall(r'<dt class="govuk-summary-list__key">([^<]+)</dt>', listing.split("results-heading")[1]))
    summary_rows = {"Partnerships", "Council’s financial contribution", "Value of council officer time"}
    assert listed - summary_rows <= {escape(label) for label in LABELS}
    rows = list(csv.reader(io.StringIO(body(client.get(f"{URL}register.csv")).lstrip("\ufeff"))))
    assert rows[0] == [field.label for field in PUBLIC_FIELDS]
    document = json.loads(body(client.get(f"{URL}register.json")))
    assert list(document["partnerships"][0]) == PUBLIC_FIELD_NAMES
    assert [column["name"] for column in document["fields"]] == PUBLIC_FIELD_NAMES


def _entries_for_totals():
    health, housing = ServiceAreaFactory(name="Health and Wellbeing"), ServiceAreaFactory(name="Housing")
    bewdley, stourport = Area.objects.create(name="Bewdley"), Area.objects.create(name="Stourport-on-Severn")
    made = {}
    for name, area, money, places in (
        ("No money", health, "0", [bewdley]),
        ("Small", health, "5000", [bewdley, stourport]),
        ("Middle", housing, "20000.50", [stourport]),
        ("Large", housing, "100000", []),
    ):
        entry = PartnershipFactory(name=name, service_area=area, annual_contribution=Decimal(money))
        entry.areas.set(places)
        made[name] = published(entry)
    return {"health": health, "housing": housing, "bewdley": bewdley, "stourport": stourport, **made}


def _names(response):
    return sorted(row["record"]["name"] for row in response.context["rows"])


def test_filter_by_area_covered(client, register):
    data = _entries_for_totals()
    assert _names(client.get(URL, {"area": data["bewdley"].pk})) == ["No money", "Small"]
    assert _names(client.get(URL, {"area": [data["bewdley"].pk, data["stourport"].pk]})) == [
        "Middle",
        "No money",
        "Small",
    ]
    # Only places some public entry covers are offered.
    Area.objects.create(name="Habberley")
    offered = [label for _, label in client.get(URL).context["query"].options["area"]]
    assert offered == ["Bewdley", "Stourport-on-Severn"]


@pytest.mark.parametrize(
    "bands, expected",
    [
        (["none"], ["No money"]),
        (["up-to-10000"], ["Small"]),
        (["10001-to-50000"], ["Middle"]),
        (["over-50000"], ["Large"]),
        (["none", "over-50000"], ["Large", "No money"]),
    ],
)
def test_filter_by_contribution_band(client, register, bands, expected):
    _entries_for_totals()
    assert _names(client.get(URL, {"band": bands})) == expected


def test_sort_by_contribution(client, register):
    _entries_for_totals()
    response = client.get(URL, {"sort": "contribution"})
    assert [row["record"]["name"] for row in response.context["rows"]] == ["Large", "Middle", "Small", "No money"]
    response = client.get(URL, {"sort": "contribution-asc"})
    assert [row["record"]["name"] for row in response.context["rows"]] == ["No money", "Small", "Middle", "Large"]


def test_the_summary_totals_answer_for_the_current_filter(client, register):
    data = _entries_for_totals()
    PartnershipFactory(name="Hidden", service_area=data["health"], annual_contribution=Decimal("999999"), draft=True)
    everything = client.get(URL).context["summary"]
    assert (everything.count, everything.contribution) == (4, Decimal("125000.50"))
    filtered = client.get(URL, {"area": data["stourport"].pk})
    summary = filtered.context["summary"]
    assert (summary.count, summary.contribution) == (2, Decimal("25000.50"))
    assert [(row.name, row.count, row.contribution) for row in summary.rows] == [
        ("Housing", 1, Decimal("20000.50")),
        ("Health and Wellbeing", 1, Decimal("5000")),
    ]
    text = body(filtered)
    assert "£25,000.50 a year" in text
    assert "999,999" not in body(client.get(URL))


def test_the_summary_table_gives_the_charts_figures(client, register):
    _entries_for_totals()
    text = body(client.get(URL))
    chart = text[text.index('<svg xmlns="http://www.w3.org/2000/svg" class="register-summary-chart"') :]
    chart = chart[: chart.index("</svg>")]
    bars = re.findall(r"<text [^>]*>([^<]+): (£[\d,.]+) \((\d+) partnerships?\)</text>", chart)
    widths = [float(width) for width in re.findall(r'<rect x="0" y="[\d.]+" width="([\d.]+)"', chart)]
    table = text[text.index('id="summary-table"') : text.index("</table>")]
    rows = re.findall(
        r'<th scope="row" class="govuk-table__header">([^<]+)</th>\s*'
        r'<td class="govuk-table__cell govuk-table__cell--numeric">(\d+)</td>\s*'
        r'<td class="govuk-table__cell govuk-table__cell--numeric">(£[\d,.]+)</td>',
        table,
    )
    assert [(name, money, count) for name, count, money in rows] == bars
    assert bars == [("Housing", "£120,000.50", "2"), ("Health and Wellbeing", "£5,000", "2")]
    # The bars are drawn to the same scale as the figures.
    assert widths[0] == 600 and widths[1] == pytest.approx(600 * 5000 / 120000.5, abs=0.1)


def test_classifications_are_explained_in_the_frameworks_words(client, register):
    entry = public_entry(name="Community Safety Partnership", basis="statutory", council_role="funder_only")
    text = body(client.get(f"{URL}{entry.slug}/"))
    assert "What ‘Statutory’ means" in text
    assert "The law requires the partnership" in text
    assert "The council funds the partnership and has little other involvement" in text
    index = body(client.get(URL))
    assert "Whether the law requires the partnership (statutory)" in index
    assert index.count('<details class="govuk-details') == 4  # level, basis, geography, role


def test_public_pages_show_no_owner_or_review_date(client, register):
    owner = UserFactory(first_name="Zqowner", last_name="Person")
    public_page = ContentPage.objects.live().filter(url_path__contains="/framework/").first()
    public_page.content_owner, public_page.review_by = owner, datetime.date(2031, 7, 4)
    public_page.save_revision().publish()
    text = body(client.get(public_page.url))
    assert "Zqowner" not in text and "4 July 2031" not in text and "Review by" not in text
    intranet_page = GuidancePage.objects.live().first()
    request = RequestFactory().get(intranet_page.url)
    request.user = owner
    assert intranet_page.get_context(request)["shows_ownership"] is True
