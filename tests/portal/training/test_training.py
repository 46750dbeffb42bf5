"""Awareness training: staff confirm "I have read and understood"; register managers see who has not on the register."""

import datetime
import zoneinfo

import pytest
import time_machine

from partnerships.models import Partnership, Status
from portal.models import TrainingCompletion, TrainingPage
from portal.roles import LEAD_OFFICERS, REGISTER_MANAGERS, STAFF
from tests.partnerships.factories import PartnershipFactory, ServiceAreaFactory
from tests.portal.factories import csrf_client, csrf_token

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")


@pytest.fixture
def module(portal_site):
    """A module without a knowledge check: reading it is confirmed with "I have read and understood"."""
    page = TrainingPage.objects.live().order_by("path").first()
    page.check_questions.all().delete()
    return page


def confirm(client, page):
    html = client.get(page.url).content.decode()
    return client.post(page.url, {"csrfmiddlewaretoken": csrf_token(html), "action": "confirm-training"})


def test_staff_confirm_a_module_once_per_version(module, make_user):
    officer = make_user(STAFF)
    client = csrf_client(officer)
    page = client.get(module.url).content.decode()
    assert "I have read and understood" in page

    with time_machine.travel(datetime.datetime(2026, 3, 29, 0, 30, tzinfo=LONDON)):  # just after midnight, BST
        response = confirm(client, module)
    assert response.status_code == 302
    assert response.url == f"{module.url}#training-confirmation"
    completion = TrainingCompletion.objects.get()
    assert (completion.user, completion.page_id, completion.revision_id) == (
        officer,
        module.pk,
        module.live_revision_id,
    )
    assert completion.completed_on == datetime.date(2026, 3, 29)

    page = client.get(module.url).content.decode()
    assert "You confirmed this on 29 March 2026." in page
    assert "I have read and understood" not in page

    confirm_again = client.post(module.url, {"csrfmiddlewaretoken": csrf_token(page), "action": "confirm-training"})
    assert confirm_again.status_code == 302
    assert TrainingCompletion.objects.count() == 1


def test_a_new_version_asks_to_be_confirmed_again(module, make_user):
    officer = make_user(STAFF)
    client = csrf_client(officer)
    confirm(client, module)
    first = module.live_revision_id

    module.summary = "Updated for the 2026 framework."
    module.save_revision().publish()
    module.refresh_from_db()
    assert module.live_revision_id != first

    page = client.get(module.url).content.decode()
    assert "You confirmed an earlier version of this page on" in page
    assert "I have read and understood" in page
    confirm(client, module)
    assert sorted(TrainingCompletion.objects.values_list("revision_id", flat=True)) == sorted(
        [first, module.live_revision_id]
    )


def test_confirming_needs_the_csrf_token_and_a_sign_in(module, make_user, client):
    anonymous = client.post(module.url, {"action": "confirm-training"})
    assert anonymous.status_code == 302
    assert anonymous.url.startswith("/sign-in/")

    forged = csrf_client(make_user(STAFF)).post(module.url, {"action": "confirm-training"})
    assert forged.status_code == 403
    assert TrainingCompletion.objects.count() == 0


# --- What register managers see ---------------------------------------------------------------------


@pytest.fixture
def leads(portal_site, make_user):
    Partnership.objects.all().delete()
    done = make_user(STAFF, LEAD_OFFICERS, username="done", first_name="Dana", last_name="Done")
    partial = make_user(STAFF, LEAD_OFFICERS, username="partial", first_name="Pat", last_name="Partial")
    none = make_user(STAFF, LEAD_OFFICERS, username="none", first_name="Nia", last_name="None")
    housing, leisure = ServiceAreaFactory(name="Housing"), ServiceAreaFactory(name="Leisure")
    PartnershipFactory(name="Done's partnership", lead_officer=done, service_area=housing)
    PartnershipFactory(name="Partial's partnership", lead_officer=partial, service_area=housing)
    PartnershipFactory(name="Partial's other", lead_officer=partial, service_area=leisure)
    PartnershipFactory(name="None's partnership", lead_officer=none, service_area=leisure)
    PartnershipFactory(name="Closed one", lead_officer=none, service_area=housing, status=Status.CLOSED)
    modules = list(TrainingPage.objects.live())
    assert len(modules) >= 2
    for page in modules:
        TrainingCompletion.objects.confirm(done, page)
    TrainingCompletion.objects.confirm(partial, modules[0])
    return {"done": done, "partial": partial, "none": none, "modules": modules}


def test_partnerships_of_untrained_lead_officers_are_flagged_on_the_register(client, leads, make_user):
    client.force_login(make_user(STAFF, REGISTER_MANAGERS))
    response = client.get("/intranet/register/")
    flags = {entry.name: entry.lead_training_incomplete for entry in response.context["page_obj"]}
    assert flags == {
        "Done's partnership": False,
        "None's partnership": True,
        "Partial's other": True,
        "Partial's partnership": True,
    }
    assert response.content.decode().count("Training not completed") == 3
