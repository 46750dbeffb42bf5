"""The register's reports: figures against a hand-built register, downloads, who may see them, query counts."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from wagtail.documents.models import Document

from partnerships.models import (
    Basis,
    CouncilRole,
    EqualityImpact,
    Geography,
    Level,
    Partnership,
    RegisterSettings,
    Status,
    TermsOfReferenceStatus,
)
from partnerships.reports import charts, queries
from portal import roles
from tests.partnerships.factories import PartnershipFactory, RiskRegisterEntryFactory, ServiceAreaFactory

pytestmark = pytest.mark.django_db

YEARS = tuple(range(2001, 2008))
D = datetime.date


def url(name, **params):
    path = reverse(f"partnerships_reports:{name}")
    return path + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


@pytest.fixture
def register(db):
    """Eight entries whose every figure is worked out by hand in the tests below.

    In force (year by year, 2001–2007):
      A district       2001-04-01 → open           active        £5,000 (+£1,000 in kind)
      B sub-district   2003-06-01 → 2005-03-31     closed        £2,000
      C county         1999-01-01 → 2004-12-31     closed        £40,000
      D regional       2004-01-01 → open           under review  £30,000 (at the threshold) +£10,000 external
      E county         2005-07-01 → 2006-01-01     exiting       £30,000.01 (just above)
      H district       2007-12-31 → open           active        £1,000
    Never counted: F (proposed, sub-regional, £50,000), G (rejected, district).
    """
    community = ServiceAreaFactory(name="Community Safety")
    planning = ServiceAreaFactory(name="Planning")
    case = Document.objects.create(title="Business case")
    complete = {
        "terms_of_reference_status": TermsOfReferenceStatus.AGREED,
        "business_case": case,
        "equality_impact": EqualityImpact.DONE,
    }

    def entry(name, **fields):
        return PartnershipFactory(name=name, **fields)

    entries = {
        "A": entry(
            "Wyre Forest Community Safety Partnership",
            geography=Geography.DISTRICT,
            start_date=D(2001, 4, 1),
            annual_contribution=Decimal("5000"),
            in_kind_value=Decimal("1000"),
            service_area=community,
            level=Level.STRATEGIC,
            council_role=CouncilRole.LEAD,
            **complete,
        ),
        "B": entry(
            "Stourport Town Centre Forum",
            geography=Geography.SUB_DISTRICT,
            start_date=D(2003, 6, 1),
            end_date=D(2005, 3, 31),
            status=Status.CLOSED,
            annual_contribution=Decimal("2000"),
            service_area=community,
        ),
        "C": entry(
            "Worcestershire Waste Partnership",
            geography=Geography.COUNTY,
            start_date=D(1999, 1, 1),
            end_date=D(2004, 12, 31),
            status=Status.CLOSED,
            annual_contribution=Decimal("40000"),
            service_area=planning,
        ),
        "D": entry(
            "West Midlands Regional Housing Board",
            geography=Geography.REGIONAL,
            start_date=D(2004, 1, 1),
            status=Status.UNDER_REVIEW,
            annual_contribution=Decimal("30000"),
            external_funding=Decimal("10000"),
            service_area=planning,
            level=Level.OPERATIONAL,
            basis=Basis.STATUTORY,
            council_role=CouncilRole.ACCOUNTABLE_BODY,
            **{**complete, "terms_of_reference_status": TermsOfReferenceStatus.DRAFT, "equality_impact": ""},
        ),
        "E": entry(
            "=Worcestershire Supporting People",  # a formula-like name, neutralised in the CSV
            geography=Geography.COUNTY,
            start_date=D(2005, 7, 1),
            end_date=D(2006, 1, 1),
            status=Status.EXITING,
            annual_contribution=Decimal("30000.01"),
            service_area=None,
            level=Level.STRATEGIC,
            council_role=CouncilRole.ACTIVE_MEMBER,
            terms_of_reference_status=TermsOfReferenceStatus.AGREED,
        ),
        "F": entry(
            "North Worcestershire Economic Partnership",
            geography=Geography.SUB_REGIONAL,
            start_date=D(2004, 1, 1),
            status=Status.PROPOSED,
            live=False,
            annual_contribution=Decimal("50000"),
            service_area=planning,
        ),
        "G": entry(
            "Kidderminster Nightlife Forum",
            geography=Geography.DISTRICT,
            start_date=D(2002, 1, 1),
            status=Status.REJECTED,
            live=False,
            service_area=community,
        ),
        "H": entry(
            "Wyre Forest Homelessness Forum",
            geography=Geography.DISTRICT,
            start_date=D(2007, 12, 31),
            annual_contribution=Decimal("1000"),
            service_area=community,
            level=Level.OPERATIONAL,
            council_role=CouncilRole.ACTIVE_MEMBER,
            **{**complete, "equality_impact": EqualityImpact.NOT_NEEDED, "equality_impact_reason": "No change"},
        ),
    }
    for key in ("A", "D", "E"):
        RiskRegisterEntryFactory(partnership=entries[key])
    return entries


# --- Figures -------------------------------------------------------------------------------------


def test_active_by_year_answers_table_1(register):
    figures = queries.active_by_geography(Partnership.objects.all(), YEARS)
    table = {row.key: row.values for row in figures.rows}
    assert list(table) == list(Geography.values)  # every level, widest first, zeros included
    assert table[Geography.DISTRICT] == (1, 1, 1, 1, 1, 1, 2)
    assert table[Geography.SUB_DISTRICT] == (0, 0, 1, 1, 1, 0, 0)
    assert table[Geography.COUNTY] == (1, 1, 1, 1, 1, 1, 0)
    assert table[Geography.REGIONAL] == (0, 0, 0, 1, 1, 1, 1)
    assert table[Geography.SUB_REGIONAL] == (0,) * 7  # a proposal never counts
    assert table[Geography.NATIONAL] == (0,) * 7
    assert figures.total.values == (2, 2, 3, 4, 4, 3, 3)


def test_year_span_and_default_range_come_from_the_data(register):
    today = D(2026, 11, 22)
    span = queries.year_span(Partnership.objects.all(), today)
    assert span == (1999, 2026)  # C started in 1999; open entries are in force today
    assert queries.default_years(span, today) == tuple(range(1999, 2027))
    assert queries.default_years((1950, 2030), today) == tuple(range(1997, 2027))  # at most 30 columns
    assert queries.year_span(Partnership.objects.none(), today) is None


def test_counts_by_classification_cover_entries_in_force_now(register):
    figures = queries.classification_counts(Partnership.objects.all())
    values = {name: {row.key: row.values[0] for row in f.rows} for name, f in figures.items()}
    # In force now: A (active), D (under review), E (exiting), H (active).
    assert values["level"] == {Level.STRATEGIC: 2, Level.OPERATIONAL: 2}
    assert values["basis"] == {Basis.STATUTORY: 1, Basis.VOLUNTARY: 3}
    assert values["council_role"] == {
        CouncilRole.LEAD: 1,
        CouncilRole.ACCOUNTABLE_BODY: 1,
        CouncilRole.ACTIVE_MEMBER: 2,
        CouncilRole.SUPPORTING: 0,
        CouncilRole.FUNDER_ONLY: 0,
    }
    areas = [(row.label, row.values[0]) for row in figures["service_area"].rows]
    assert areas == [("Community Safety", 2), ("Planning", 1), ("No service area", 1)]
    assert {f.total.values[0] for f in figures.values()} == {4}


def test_money_counts_each_year_in_force(register):
    figures = queries.money_by_year(Partnership.objects.all(), YEARS)
    contribution = dict(figures.contribution_by_year)
    assert contribution == {
        "2001": Decimal("45000"),  # A + C
        "2002": Decimal("45000"),
        "2003": Decimal("47000"),  # + B
        "2004": Decimal("77000"),  # A + B + C + D
        "2005": Decimal("67000.01"),  # A + B + D + E
        "2006": Decimal("65000.01"),  # A + D + E
        "2007": Decimal("36000"),  # A + D + H
    }
    assert figures.by_year.total.values == (Decimal("382000.02"), Decimal("7000"), Decimal("40000"))
    areas = {row.label: row.values for row in figures.by_service_area.rows}
    assert areas == {
        "Community Safety": (Decimal("42000"), Decimal("7000"), Decimal("0")),  # A×7 + B×3 + H×1
        "Planning": (Decimal("280000"), Decimal("0"), Decimal("40000")),  # C×4 + D×4
        "No service area": (Decimal("60000.02"), Decimal("0"), Decimal("0")),  # E×2
    }
    assert figures.by_service_area.total.values == figures.by_year.total.values


def test_significant_means_above_the_threshold(register):
    listed = queries.significant_partnerships(Partnership.objects.all(), Decimal("30000"))
    # F (proposed, £50,000) and E (just above); not D (at the threshold) nor C (closed).
    assert [p.name for p in listed] == [
        "North Worcestershire Economic Partnership",
        "=Worcestershire Supporting People",
    ]
    summary = queries.significant_summary(Partnership.objects.all(), Decimal("30000"))
    assert summary == {"count": 2, "contribution": Decimal("80000.01")}
    lower = queries.significant_partnerships(Partnership.objects.all(), Decimal("29999.99"))
    assert register["D"] in lower


def test_governance_gaps_one_row_per_entry_with_counts(register):
    rows = {p.reference: p.governance_gaps() for p in queries.governance_gaps(Partnership.objects.all())}
    r = {key: entry.reference for key, entry in register.items()}
    assert rows == {
        r["D"]: ["Terms of reference not agreed", "No equality impact answer"],
        r["E"]: ["No business case", "No equality impact answer"],
        r["F"]: [
            "Terms of reference not agreed",
            "No business case",
            "No risk assessment",
            "No equality impact answer",
        ],
        r["H"]: ["No risk assessment"],
    }
    assert queries.gap_counts(Partnership.objects.all()) == {
        "gap_terms_of_reference": 2,
        "gap_business_case": 2,
        "gap_risk_assessment": 2,
        "gap_equality_impact": 3,
        "any_gap": 4,
        "entries": 5,  # A, D, E, F, H: closed and rejected entries are not checked
    }


# --- The admin views -----------------------------------------------------------------------------


def download(response):
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_by_year_page_shows_chart_and_table_and_downloads_the_same(manager_client, register):
    response = manager_client.get(url("by_year", year_from=2001, year_to=2007))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="register-chart" role="img"' in html
    assert 'aria-labelledby="chart-by-year-title chart-by-year-desc"' in html
    assert "<caption" in html and "Partnerships in force each year by geography, 2001 to 2007" in html
    assert '<th scope="row">District</th>' in html and '<th scope="col" class="register-figure">2007</th>' in html

    rows = download(manager_client.get(url("by_year", year_from=2001, year_to=2007, export="csv")))
    assert rows[0] == ["Geography", *[str(y) for y in YEARS]]
    assert rows[1:] == [
        ["National", "0", "0", "0", "0", "0", "0", "0"],
        ["Regional", "0", "0", "0", "1", "1", "1", "1"],
        ["County", "1", "1", "1", "1", "1", "1", "0"],
        ["Sub-regional", "0", "0", "0", "0", "0", "0", "0"],
        ["District", "1", "1", "1", "1", "1", "1", "2"],
        ["Sub-district", "0", "0", "1", "1", "1", "0", "0"],
        ["Total", "2", "2", "3", "4", "4", "3", "3"],
    ]


def test_by_year_defaults_to_the_years_in_the_data(manager_client, register):
    response = manager_client.get(url("by_year"))
    view = response.context["view"]
    assert view.years[0] == 1999
    assert view.years[-1] >= 2026
    form = view.filters.form
    assert [c[0] for c in form.fields["year_from"].choices][1:3] == [1999, 2000]


def test_xlsx_download_keeps_numbers_as_numbers(manager_client, register):
    response = manager_client.get(url("money", year_from=2001, year_to=2007, export="xlsx"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.values)
    assert rows[0] == ("Year", "Council contribution", "In-kind officer time", "External funding")
    assert rows[1] == ("2001", 45000, 1000, 0)
    assert rows[-1][0] == "Total, 2001 to 2007"
    assert float(rows[-1][1]) == pytest.approx(382000.02)


def test_money_page_and_its_two_tables(manager_client, register):
    html = manager_client.get(url("money", year_from=2001, year_to=2007)).content.decode()
    assert 'aria-labelledby="chart-money-title chart-money-desc"' in html
    assert "£77,000" in html and "£382,000.02" in html  # 2004, and the total
    per_area = download(
        manager_client.get(url("money", year_from=2001, year_to=2007, export="csv", table="by-service-area"))
    )
    assert per_area == [
        ["Service area", "Council contribution", "In-kind officer time", "External funding"],
        ["Community Safety", "42000.00", "7000.00", "0.00"],
        ["Planning", "280000.00", "0.00", "40000.00"],
        ["No service area", "60000.02", "0.00", "0.00"],
        ["Total", "382000.02", "7000.00", "40000.00"],
    ]


def test_by_type_tables_download_one_by_one(manager_client, register):
    html = manager_client.get(url("by_type")).content.decode()
    for caption in ("By level", "By basis", "By council&#x27;s role", "By service area"):
        assert caption in html
    assert download(manager_client.get(url("by_type", export="csv", table="council-role"))) == [
        ["Council's role", "Partnerships in force"],
        ["Lead partner", "1"],
        ["Accountable body", "1"],
        ["Active member", "2"],
        ["Supporting", "0"],
        ["Funder only", "0"],
        ["Total", "4"],
    ]


def test_significant_report_shows_the_threshold_and_downloads_the_list(manager_client, register):
    html = manager_client.get(url("significant")).content.decode()
    assert "£30,000" in html and "North Worcestershire Economic Partnership" in html
    assert "West Midlands Regional Housing Board" not in html  # at the threshold, not above it
    rows = download(manager_client.get(url("significant", export="csv")))
    assert rows[0][:6] == [
        "Reference",
        "Name",
        "Status",
        "Service area",
        "Lead officer",
        "Annual council contribution (£)",
    ]
    assert [(r[1], r[2], r[3], r[5]) for r in rows[1:]] == [
        ("North Worcestershire Economic Partnership", "Proposed", "Planning", "50000.00"),
        ("'=Worcestershire Supporting People", "Exiting", "", "30000.01"),
    ]


def test_significant_report_follows_the_setting(manager_client, register):
    settings = RegisterSettings.load()
    settings.significant_threshold = Decimal("25000")
    settings.save()
    response = manager_client.get(url("significant"))
    assert "£25,000" in response.content.decode()
    assert register["D"] in response.context["object_list"]


def test_governance_gaps_report(manager_client, register):
    response = manager_client.get(url("governance_gaps"))
    html = response.content.decode()
    assert "Entries with each gap" in html
    assert len(response.context["object_list"]) == 4
    assert "Terms of reference not agreed; No equality impact answer" in html  # D's row
    rows = download(manager_client.get(url("governance_gaps", export="csv")))
    assert rows[0][5:] == [
        "Missing",
        "Terms of reference not agreed",
        "No business case",
        "No risk assessment",
        "No equality impact answer",
    ]
    by_ref = {row[0]: row[5:] for row in rows[1:]}
    assert by_ref[register["H"].reference] == ["No risk assessment", "No", "No", "Yes", "No"]
    assert by_ref[register["F"].reference][1:] == ["Yes", "Yes", "Yes", "Yes"]
    assert len(by_ref) == 4


def test_a_report_can_be_narrowed_to_one_service_area(manager_client, register):
    planning = register["C"].service_area
    rows = download(
        manager_client.get(url("by_year", year_from=2004, year_to=2004, service_area=planning.pk, export="csv"))
    )
    assert rows[-1] == ["Total", "2"]  # C and D
    results = manager_client.get(reverse("partnerships_reports:significant_results"), {"service_area": planning.pk})
    assert [p.name for p in results.context["object_list"]] == ["North Worcestershire Economic Partnership"]


# --- Who may see them ----------------------------------------------------------------------------

REPORTS = ["by_year", "by_type", "money", "significant", "governance_gaps"]


@pytest.mark.parametrize("name", REPORTS)
@pytest.mark.parametrize("role", [roles.REGISTER_MANAGERS, roles.MANAGEMENT_BOARD, roles.HEADS_OF_SERVICE])
def test_managers_board_and_heads_of_service_see_reports(client, role_user, register, name, role):
    client.force_login(role_user(role))
    assert client.get(url(name)).status_code == 200
    assert client.get(url(name, export="csv")).status_code == 200


@pytest.mark.parametrize("name", REPORTS)
@pytest.mark.parametrize("role", [roles.LEAD_OFFICERS, roles.EDITORS])
def test_lead_officers_and_other_admin_users_get_403(client, role_user, register, name, role):
    client.force_login(role_user(role))
    assert client.get(url(name)).status_code == 403
    assert client.get(url(name, export="csv")).status_code == 403


def test_staff_without_admin_access_and_anonymous_visitors_are_sent_to_sign_in(client, plain_staff):
    assert client.get(url("money")).url.startswith(reverse("wagtailadmin_login"))
    client.force_login(plain_staff)
    assert client.get(url("money")).url.startswith(reverse("wagtailadmin_login"))


def test_reports_menu_lists_them_for_the_board_only(client, role_user):
    client.force_login(role_user(roles.MANAGEMENT_BOARD))
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert url("by_year") in html and url("governance_gaps") in html
    client.force_login(role_user(roles.LEAD_OFFICERS))
    assert url("by_year") not in client.get(reverse("wagtailadmin_home")).content.decode()


# --- Cost ----------------------------------------------------------------------------------------


def _make_entries(n, offset=0):
    areas = [ServiceAreaFactory(name=f"Area {offset}-{i}") for i in range(3)]
    for i in range(n):
        PartnershipFactory(
            geography=Geography.values[i % 6],
            status=[Status.ACTIVE, Status.CLOSED, Status.PROPOSED, Status.UNDER_REVIEW][i % 4],
            start_date=D(2001 + i % 20, 1 + i % 12, 1),
            end_date=D(2022, 1, 1) if i % 4 == 1 else None,
            annual_contribution=Decimal(20000 * (i % 3)),  # some significant in any batch
            service_area=areas[i % 3],
        )


def _queries(client, path):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "path",
    [
        url("by_year", year_from=2001, year_to=2026),
        url("by_year", year_from=2001, year_to=2026, export="csv"),
        url("by_type"),
        url("money", year_from=2001, year_to=2026),
        url("money", export="xlsx", table="by-service-area"),
        url("significant"),
        url("significant", export="csv"),
        url("governance_gaps"),
        url("governance_gaps", export="csv"),
    ],
)
def test_each_report_runs_a_fixed_number_of_queries(manager_client, path):
    _make_entries(5)
    manager_client.get(path)  # settle one-off work (settings row, session)
    small = _queries(manager_client, path)
    _make_entries(45, offset=1)
    assert _queries(manager_client, path) == small


# --- Charts --------------------------------------------------------------------------------------


def test_chart_escapes_text_and_scales_to_a_round_number():
    svg = charts.bar_chart(
        chart_id="c",
        title="<b>Spend</b>",
        description="Bars & more",
        categories=[2001, 2002],
        series=[charts.Series("Council & partners", (3, 7))],
    )
    assert '<title id="c-title">&lt;b&gt;Spend&lt;/b&gt;</title>' in svg
    assert "Bars &amp; more" in svg
    assert "<title>2002: 7</title>" in svg
    assert ">10</text>" in svg  # the axis runs to 10
    assert [charts.nice_ceiling(v) for v in (0, 7, 12, 230, 26000)] == [1, 10, 20, 250, 50000]
