"""Shared by the import tests: the register's reference data, and spreadsheets built in memory."""

import csv
import io

import pytest
from django.contrib.auth.models import Group, Permission
from openpyxl import Workbook

from partnerships.importing.columns import COLUMNS
from portal import roles, services
from tests.partnerships.factories import (
    CouncilPriorityFactory,
    PartnerOrganisationFactory,
    ServiceAreaFactory,
    UserFactory,
)

GOOD_ROW = {
    "Name": "Community Safety Partnership",
    "Purpose and aims": "To cut crime and the fear of crime.",
    "Shared objective": "Safer streets",
    "Status": "Proposed",
    "Level": "Strategic",
    "Basis": "statutory",
    "Membership": "Multi-organisation",
    "Geography": "District",
    "Council role": "Lead partner",
    "Partners": "Anytown Police; Anytown Fire and Rescue Service",
    "Council priorities": "Safer communities",
    "Lead officer": "jane.smith@council.example",
    "Service area": "Community Safety",
    "Annual council contribution (£)": "£30,000",
    "In-kind officer time (hours a year)": "120",
    "External funding (£ a year)": "£12,500.50",
    "Accountable body for funds": "No",
    "Terms of reference": "Agreed",
    "Equality impact assessment": "Done",
    "Overall risk rating": "Medium",
    "Start date": "01/04/2024",
    "Next annual review due": "31/03/2025",
    "Publish publicly": "Yes",
}


def row(**cells):
    """GOOD_ROW with some cells changed: ``row(Name="X")`` or ``row(**{"Start date": "31/02/2024"})``."""
    unknown = set(cells) - {column.header for column in COLUMNS}
    assert not unknown, unknown
    return {**GOOD_ROW, **cells}


def csv_bytes(rows, encoding="utf-8", headers=None):
    headers = headers or list(dict.fromkeys(key for data in rows for key in data))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=headers, lineterminator="\r\n")
    writer.writeheader()
    for data in rows:
        writer.writerow({key: data.get(key, "") for key in headers})
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows, headers=None):
    headers = headers or list(dict.fromkeys(key for data in rows for key in data))
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Register"
    sheet.append(headers)
    for data in rows:
        sheet.append([data.get(key) for key in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture(name="reference_data")
def reference_data_fixture(db):
    """What GOOD_ROW names: an officer, a service area with its Head of Service, a priority, two partners."""
    officer = UserFactory(username="jsmith", first_name="Jane", last_name="Smith", email="jane.smith@council.example")
    head = UserFactory(username="hos", first_name="Harry", last_name="Head", email="harry.head@council.example")
    return {
        "officer": officer,
        "head": head,
        "area": ServiceAreaFactory(name="Community Safety", head_of_service=head),
        "priority": CouncilPriorityFactory(name="Safer communities"),
        "police": PartnerOrganisationFactory(name="Anytown Police"),
        "fire": PartnerOrganisationFactory(name="Anytown Fire and Rescue Service"),
    }


def _grant_declared(group_name):
    """The group with the permissions setup_portal grants it (those that exist in this database)."""
    wanted = services.declared_role_permissions()[group_name]
    group, _ = Group.objects.get_or_create(name=group_name)
    found = Permission.objects.none()
    for dotted in wanted:
        app_label, codename = dotted.split(".")
        found |= Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    group.permissions.set(found)
    return group


@pytest.fixture(name="manager")
def manager_fixture(db, make_user):
    """A register manager, holding exactly what the role declares."""
    _grant_declared(roles.REGISTER_MANAGERS)
    return make_user(roles.STAFF, roles.REGISTER_MANAGERS, username="manager")


@pytest.fixture(name="officer_user")
def officer_user_fixture(db, make_user):
    """A lead officer: may add entries and edit their own, but not import."""
    _grant_declared(roles.LEAD_OFFICERS)
    return make_user(roles.STAFF, roles.LEAD_OFFICERS, username="leadofficer")
