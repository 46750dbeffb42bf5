"""The admin listing: filters, export, and a query count that does not grow with the register."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partnerships.models import CouncilRole, EqualityImpact, Geography, Status, TermsOfReferenceStatus
from tests.partnerships.factories import PartnershipFactory, RiskRegisterEntryFactory

pytestmark = pytest.mark.django_db

LIST = "wagtailsnippets_partnerships_partnership:list"


def names_listed(client, **params):
    response = client.get(reverse(LIST), params)
    assert response.status_code == 200
    return {p.name for p in response.context["object_list"]}


def test_listing_shows_the_columns_a_register_manager_works_from(manager_client):
    entry = PartnershipFactory(
        name="Crime Reduction Board", next_review_due=datetime.date(2031, 5, 6), risk_rating="high"
    )
    html = manager_client.get(reverse(LIST)).content.decode()
    for text in (
        entry.reference,
        "Crime Reduction Board",
        "Active",
        entry.lead_officer_name(),
        entry.service_area.name,
        "High",
    ):
        assert text in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": ["under_review"]}, {"B"}),
        ({"status": ["active", "under_review"]}, {"A", "B", "C", "D"}),
        ({"level": "operational"}, {"B"}),
        ({"basis": "statutory"}, {"C"}),
        ({"geography": Geography.COUNTY}, {"D"}),
        ({"council_role": CouncilRole.ACCOUNTABLE_BODY}, {"A"}),
        ({"significant": "true"}, {"A"}),
        ({"significant": "false"}, {"B", "C", "D", "E"}),
        ({"review_overdue": "true"}, {"C"}),
        ({"missing_governance": "false"}, {"D"}),
        ({"missing_governance": "true"}, {"A", "B", "C", "E"}),
    ],
)
def test_filters(manager_client, params, expected):
    PartnershipFactory(name="A", annual_contribution=Decimal("45000"), council_role=CouncilRole.ACCOUNTABLE_BODY)
    PartnershipFactory(name="B", status=Status.UNDER_REVIEW, level="operational")
    PartnershipFactory(name="C", basis="statutory", next_review_due=datetime.date(2000, 1, 1))
    complete = PartnershipFactory(
        name="D",
        geography=Geography.COUNTY,
        terms_of_reference_status=TermsOfReferenceStatus.AGREED,
        equality_impact=EqualityImpact.DONE,
    )
    from wagtail.documents.models import Document

    complete.business_case = Document.objects.create(title="Case")
    complete.save()
    RiskRegisterEntryFactory(partnership=complete)
    PartnershipFactory(name="E", status=Status.CLOSED, next_review_due=datetime.date(2000, 1, 1))
    assert names_listed(manager_client, **params) == expected


def test_filter_by_service_area(manager_client):
    entry = PartnershipFactory(name="Mine")
    PartnershipFactory(name="Elsewhere")
    assert names_listed(manager_client, service_area=entry.service_area_id) == {"Mine"}


def test_filter_led_by_me(client, lead_officer):
    PartnershipFactory(name="Mine", lead_officer=lead_officer)
    PartnershipFactory(name="Theirs")
    client.force_login(lead_officer)
    assert names_listed(client, led_by_me="true") == {"Mine"}
    assert names_listed(client, led_by_me="false") == {"Theirs"}


def test_search_by_name_reference_and_partner(manager_client):
    from partnerships.models import PartnershipPartner
    from tests.partnerships.factories import PartnerOrganisationFactory

    entry = PartnershipFactory(name="Local Nature Partnership")
    # As publishing does: the child rows are written by the entry's own save.
    entry.partners = [PartnershipPartner(organisation=PartnerOrganisationFactory(name="Wildlife Trust"))]
    entry.save()
    PartnershipFactory(name="Housing Forum")
    assert names_listed(manager_client, q="Nature") == {"Local Nature Partnership"}
    assert names_listed(manager_client, q=entry.reference) == {"Local Nature Partnership"}
    assert names_listed(manager_client, q="Wildlife") == {"Local Nature Partnership"}


def _csv(response):
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_csv_export_of_the_listing(manager_client):
    PartnershipFactory(name="Arts Network", annual_contribution=Decimal("31000.50"))
    PartnershipFactory(name='=HYPERLINK("http://evil.example")')
    response = manager_client.get(reverse(LIST), {"export": "csv"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="partnership-register.csv"'
    header, *rows = _csv(response)
    assert header[:3] == ["Reference", "Name", "Status"]
    assert "Lead officer" in header and "Significant" in header
    by_name = {row[1]: dict(zip(header, row, strict=True)) for row in rows}
    arts = by_name["Arts Network"]
    assert arts["Status"] == "Active"
    assert arts["Significant"] == "True"
    assert arts["Annual council financial contribution (£)"] == "31000.50"
    assert '\'=HYPERLINK("http://evil.example")' in by_name  # a formula is neutralised, not run


def test_xlsx_export_of_the_listing(manager_client):
    PartnershipFactory(name="Arts Network")
    response = manager_client.get(reverse(LIST), {"export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def _listing_queries(client, total):
    from partnerships.models import Partnership

    while Partnership.objects.count() < total:
        RiskRegisterEntryFactory(partnership=PartnershipFactory())
    client.get(reverse(LIST))  # warm up: first-use rows (settings) and per-process caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(LIST))
    assert response.status_code == 200
    assert len(response.context["object_list"]) == total
    return len(queries)


@pytest.mark.parametrize("role", ["register_manager", "lead_officer"])
def test_listing_queries_do_not_grow_with_the_register(client, request, role):
    client.force_login(request.getfixturevalue(role))
    few = _listing_queries(client, 5)
    many = _listing_queries(client, 50)  # one full page
    assert few == many
