"""A quiet site and the people the review-due reminder tests describe (builders: tests/workflows/factories.py)."""

import pytest

from portal.roles import HEADS_OF_SERVICE, LEAD_OFFICERS, REGISTER_MANAGERS, STAFF
from tests.partnerships.factories import ServiceAreaFactory
from tests.workflows.factories import People, clear_site


@pytest.fixture
def quiet_site(portal_site):
    clear_site()
    return portal_site


@pytest.fixture
def reminder_people(quiet_site, make_user):
    head = make_user(STAFF, HEADS_OF_SERVICE, username="head", first_name="Hannah", last_name="Head")
    return People(
        lead=make_user(STAFF, LEAD_OFFICERS, username="lead", first_name="Lee", last_name="Lead"),
        head=head,
        manager=make_user(STAFF, REGISTER_MANAGERS, username="manager", first_name="Rita", last_name="Register"),
        area=ServiceAreaFactory(name="Communities", head_of_service=head),
    )
