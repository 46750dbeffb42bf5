"""Annual awareness training refreshers, through the review-due sweep: who is reminded, when, and once."""

import datetime

import pytest
from django.utils import timezone

from partnerships.models import Partnership
from portal.models import TrainingCompletion, TrainingPage
from portal.roles import LEAD_OFFICERS, MEMBERS, STAFF
from tests.workflows.factories import recorded
from workflows.models import Notification
from workflows.reminders.sweep import run_sweep

pytestmark = pytest.mark.django_db

D = datetime.date
EVENT = "reminder.training_refresher"


def joined(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))


def pass_all(user, on):
    for page in TrainingPage.objects.live():
        completion = TrainingCompletion.objects.record_pass(user, page, 100)
        TrainingCompletion.objects.filter(pk=completion.pk).update(completed_on=on)


@pytest.fixture
def councillor(portal_site, make_user):
    Partnership.objects.all().delete()  # only training is due in these tests
    member = make_user(
        MEMBERS, username="carys", first_name="Carys", last_name="Councillor", date_joined=joined(D(2025, 5, 1))
    )
    pass_all(member, D(2026, 1, 10))
    return member


def refreshers():
    return [row for row in recorded() if row[1].startswith(EVENT)]


def test_a_councillor_is_reminded_before_and_on_the_anniversary_once_each(councillor):
    run_sweep(D(2026, 12, 10))
    assert refreshers() == []
    run_sweep(D(2026, 12, 11))
    run_sweep(D(2026, 12, 11))  # a rerun sends nothing twice
    assert refreshers() == [("carys", f"{EVENT}.due_in_30", "2027-01-10")]
    run_sweep(D(2027, 1, 3))
    run_sweep(D(2027, 1, 10))
    run_sweep(D(2027, 1, 30))  # after the day: told once it is overdue
    run_sweep(D(2027, 3, 1))
    assert refreshers() == [
        ("carys", f"{EVENT}.due_in_30", "2027-01-10"),
        ("carys", f"{EVENT}.due_in_7", "2027-01-10"),
        ("carys", f"{EVENT}.due_today", "2027-01-10"),
        ("carys", f"{EVENT}.overdue", "2027-01-10"),
    ]
    message = Notification.objects.get(event=f"{EVENT}.overdue")
    assert message.recipient == councillor
    assert message.subject == "Overdue: your awareness training was due on 10 January 2027"
    assert "Introduction to the Partnerships Framework" in message.body_text
    assert "/intranet/training/" in message.body_text


def test_taking_the_refresher_starts_a_new_year(councillor):
    run_sweep(D(2026, 12, 11))
    pass_all(councillor, D(2026, 12, 20))
    run_sweep(D(2027, 1, 10))
    run_sweep(D(2027, 1, 30))
    assert refreshers() == [("carys", f"{EVENT}.due_in_30", "2027-01-10")]
    run_sweep(D(2027, 11, 20))
    assert refreshers()[-1] == ("carys", f"{EVENT}.due_in_30", "2027-12-20")


def test_never_trained_people_in_required_roles_are_told_and_other_staff_are_not(councillor, make_user):
    make_user(STAFF, LEAD_OFFICERS, username="lee", date_joined=joined(D(2026, 10, 15)))
    make_user(STAFF, username="sam", date_joined=joined(D(2026, 10, 15)))
    make_user(MEMBERS, username="new", date_joined=joined(D(2026, 11, 20)))
    run_sweep(D(2026, 11, 25))
    # A month after joining: the lead officer's first training is due on 15 November, now overdue.
    # The new councillor's first training is due on 20 December: the 30-day reminder.
    assert refreshers() == [("lee", f"{EVENT}.overdue", "2026-11-15"), ("new", f"{EVENT}.due_in_30", "2026-12-20")]
    run_sweep(D(2026, 12, 13))
    assert ("new", f"{EVENT}.due_in_7", "2026-12-20") in refreshers()
    assert not [row for row in refreshers() if row[0] == "sam"]
