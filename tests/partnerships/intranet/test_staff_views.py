"""The register on the intranet: internal fields, for signed-in staff only."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnerships.models import Partnership, RiskRating, Status
from tests.partnerships.factories import PartnershipFactory, RiskRegisterEntryFactory

pytestmark = pytest.mark.django_db

REGISTER = "/intranet/register/"
MINE = "/intranet/register/mine/"


@pytest.mark.parametrize("path", [REGISTER, MINE])
def test_anonymous_visitors_are_sent_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.url == f"/sign-in/?next={path}"


def test_staff_see_entries_in_force_with_internal_fields(client, plain_staff):
    lead = PartnershipFactory(
        name="Community Safety Partnership",
        annual_contribution=Decimal("45000"),
        risk_rating=RiskRating.HIGH,
        next_review_due=datetime.date(2001, 2, 3),
    ).lead_officer
    lead.first_name, lead.last_name = "Priya", "Shah"
    lead.save()
    PartnershipFactory(name="Draft idea", draft=True)
    PartnershipFactory(name="Old closed board", status=Status.CLOSED)
    PartnershipFactory(name="Unlisted but active", is_public=False)

    client.force_login(plain_staff)
    response = client.get(REGISTER)
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "Community Safety Partnership",
        "Priya Shah",
        "£45,000",
        "Significant",
        "High",
        "3 Feb 2001",
        "Overdue",
    ):
        assert text in html, text
    assert "No business case" in html  # a governance gap
    assert "Unlisted but active" in html  # internal view: not limited to the public register
    assert "Draft idea" not in html
    assert "Old closed board" not in html
    assert "govuk-table" in html


def test_staff_do_not_see_unpublished_edits(client, plain_staff, lead_officer):
    entry = PartnershipFactory(name="Published name")
    entry.name = "Unpublished name"
    entry.save_revision(user=lead_officer)
    client.force_login(plain_staff)
    html = client.get(REGISTER).content.decode()
    assert "Published name" in html
    assert "Unpublished name" not in html


def test_search_and_filters(client, plain_staff):
    PartnershipFactory(name="Local Nature Partnership", annual_contribution=Decimal("50000"))
    PartnershipFactory(name="Housing Forum", status=Status.UNDER_REVIEW, next_review_due=datetime.date(2000, 1, 1))
    client.force_login(plain_staff)

    def names(**params):
        return {p.name for p in client.get(REGISTER, params).context["page_obj"]}

    assert names(q="nature") == {"Local Nature Partnership"}
    assert names(status="under_review") == {"Housing Forum"}
    assert names(attention="overdue") == {"Housing Forum"}
    assert names(attention="significant") == {"Local Nature Partnership"}
    assert names(attention="gaps") == {"Local Nature Partnership", "Housing Forum"}


def test_search_finds_entries_by_lead_officer(client, plain_staff):
    entry = PartnershipFactory(name="Arts Network")
    entry.lead_officer.last_name = "Okonkwo"
    entry.lead_officer.save()
    PartnershipFactory(name="Other")
    client.force_login(plain_staff)
    assert [p.name for p in client.get(REGISTER, {"q": "okonkwo"}).context["page_obj"]] == ["Arts Network"]


def test_the_register_is_paginated_keeping_filters(client, plain_staff):
    for n in range(30):
        PartnershipFactory(name=f"Board {n:02d}")
    client.force_login(plain_staff)
    first = client.get(REGISTER, {"q": "Board"})
    assert len(first.context["page_obj"]) == 25
    assert "q=Board&amp;page=2" in first.content.decode()
    assert len(client.get(REGISTER, {"q": "Board", "page": 2}).context["page_obj"]) == 5


def _register_queries(client, total, path):
    while Partnership.objects.count() < total:
        RiskRegisterEntryFactory(partnership=PartnershipFactory())
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


def test_register_queries_do_not_grow_with_the_register(client, register_manager):
    client.force_login(register_manager)  # also builds admin links per row
    assert _register_queries(client, 5, REGISTER) == _register_queries(client, 50, REGISTER)


def test_my_partnerships_lists_only_the_signed_in_officers_entries(client, lead_officer, own_entry, others_entry):
    draft = PartnershipFactory(name="My proposal", lead_officer=lead_officer, draft=True)
    client.force_login(lead_officer)
    response = client.get(MINE)
    assert response.status_code == 200
    assert {p.name for p in response.context["page_obj"]} == {own_entry.name, draft.name}
    html = response.content.decode()
    assert others_entry.name not in html
    assert f"/admin/snippets/partnerships/partnership/edit/{own_entry.pk}/" in html
    assert "Draft" in html


def test_my_partnerships_query_count_is_fixed(client, lead_officer):
    client.force_login(lead_officer)
    for _ in range(3):
        PartnershipFactory(lead_officer=lead_officer)
    client.get(MINE)
    with CaptureQueriesContext(connection) as few:
        client.get(MINE)
    for _ in range(20):
        PartnershipFactory(lead_officer=lead_officer)
    with CaptureQueriesContext(connection) as many:
        client.get(MINE)
    assert len(few) == len(many)


def test_admin_links_only_for_those_the_admin_would_let_in(client, plain_staff, board_member):
    entry = PartnershipFactory()
    client.force_login(plain_staff)
    response = client.get(REGISTER)
    assert [p.admin_url for p in response.context["page_obj"]] == [None]
    assert "/admin/" not in response.content.decode()
    client.force_login(board_member)
    response = client.get(REGISTER)
    assert [p.admin_url for p in response.context["page_obj"]] == [
        f"/admin/snippets/partnerships/partnership/inspect/{entry.pk}/"
    ]
