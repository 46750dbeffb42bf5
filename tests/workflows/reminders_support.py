"""A small register with its people for the review-due reminder tests."""

import datetime
from dataclasses import dataclass

import pytest
from django.apps import apps

from partnerships.models import Partnership
from portal.models.pages import ReviewedPage, TrainingPage
from portal.roles import HEADS_OF_SERVICE, LEAD_OFFICERS, REGISTER_MANAGERS, STAFF
from tests.partnerships.factories import PartnershipFactory, ServiceAreaFactory
from workflows.models import Notification

D = datetime.date


def days(n):
    return datetime.timedelta(days=n)


def clear_site():
    """Set aside the seeded register, page review dates and training: each test describes what is due.

    With no live training module, nobody is due an awareness training refresher
    (tests/workflows/test_training_refreshers.py covers those).
    """
    Partnership.objects.all().delete()
    TrainingPage.objects.update(live=False)
    for model in apps.get_models():
        if issubclass(model, ReviewedPage):
            model.objects.update(review_by=None)


@dataclass
class People:
    lead: object
    head: object
    manager: object
    area: object

    def entry(self, **fields):
        fields.setdefault("lead_officer", self.lead)
        fields.setdefault("head_of_service", self.head)
        fields.setdefault("service_area", self.area)
        return PartnershipFactory(**fields)


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


def recorded(**filters):
    """(recipient username, event, step) of every recorded notification, sorted."""
    return sorted(Notification.objects.filter(**filters).values_list("recipient__username", "event", "step").order_by())


def keys():
    return list(Notification.objects.values_list("event", "recipient_id", "content_type_id", "object_id", "step"))
