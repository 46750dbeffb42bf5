"""A partnership's champion (Carlisle 3.2): named on the entry, told each review's outcome by email."""

import pytest
from django.core import mail
from django.urls import reverse

from partnerships.models import Partnership
from portal import roles
from tests.partnerships.factories import good_report, good_review, report_url, review_url
from workflows.models import Notification

pytestmark = pytest.mark.django_db

INSPECT = "wagtailsnippets_partnerships_partnership:inspect"


@pytest.fixture
def champion(role_user):
    return role_user(roles.STAFF, first_name="Chris", last_name="Champion", email="chris.champion@council.example")


@pytest.fixture
def championed(entry, champion):
    Partnership.objects.filter(pk=entry.pk).update(champion=champion)
    entry.refresh_from_db()
    return entry


def test_the_champion_is_shown_on_the_entry(client, register_manager, championed):
    client.force_login(register_manager)
    html = client.get(reverse(INSPECT, args=(championed.pk,))).content.decode()
    assert "Champion" in html and "Chris Champion" in html


def test_the_champion_hears_an_annual_reviews_outcome(lead_client, championed, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = lead_client.post(
            review_url(championed), good_review(outcome="improve", improvements="Agree a decision log.")
        )
    assert response.status_code == 302
    [email] = [m for m in mail.outbox if m.to == ["chris.champion@council.example"]]
    assert championed.reference in email.subject and "Annual review outcome" in email.subject
    assert "Dear Chris Champion" in email.body
    assert "decided: Continue with improvements." in email.body
    assert "Improvements: Agree a decision log." in email.body
    assert f"/intranet/register/{championed.pk}/annual-review/" in email.body
    assert Notification.objects.get(recipient__email="chris.champion@council.example").event == "review_outcome"


def test_the_champion_hears_a_progress_reports_outcome(lead_client, championed, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        lead_client.post(report_url(championed), good_report(rating="red", sufficient_progress="no"))
    [email] = [m for m in mail.outbox if m.to == ["chris.champion@council.example"]]
    assert "Progress report outcome" in email.subject
    assert "rates it Red: the partnership is not making sufficient progress" in email.body
    assert "reported to Cabinet" in email.body


def test_no_champion_no_email(lead_client, entry, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        lead_client.post(review_url(entry), good_review())
    assert not Notification.objects.filter(event="review_outcome").exists()
