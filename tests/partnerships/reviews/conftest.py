"""A fixed "today", an entry due its progress report and annual review, and its lead officer signed in."""

import datetime
import zoneinfo

import pytest
import time_machine

from tests.partnerships.factories import PartnershipFactory

TODAY = datetime.datetime(2026, 3, 20, 10, 0, tzinfo=zoneinfo.ZoneInfo("Europe/London"))
REPORT_DUE = datetime.date(2026, 3, 31)
REVIEW_DUE = datetime.date(2026, 6, 30)


@pytest.fixture(autouse=True)
def _today():
    """A fixed "today", 11 days before the report is due."""
    with time_machine.travel(TODAY):
        yield


@pytest.fixture
def entry(portal_site, lead_officer, head_of_service):
    return PartnershipFactory(
        name="Community Safety Partnership",
        lead_officer=lead_officer,
        head_of_service=head_of_service,
        next_progress_report_due=REPORT_DUE,
        next_review_due=REVIEW_DUE,
        exit_strategy="",
    )


@pytest.fixture
def lead_client(client, lead_officer):
    """The entry's lead officer, signed in."""
    client.force_login(lead_officer)
    return client
