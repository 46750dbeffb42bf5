"""The approval workflow's test data: proposals made through the admin, and a small register for reminders.

``form_data`` reads the snippet's edit form the way a browser submits it; ``propose``,
``edit`` and ``act`` post to the add, edit and workflow-action views. ``People`` and
``clear_site`` set up what the review-due reminders read; ``recorded`` and ``keys`` read back
what they recorded.
"""

import datetime
from dataclasses import dataclass

from bs4 import BeautifulSoup
from django.apps import apps
from django.urls import reverse

from partnerships.models import Partnership
from portal.models import QuestionSet
from portal.models.pages import ReviewedPage, TrainingPage
from tests.partnerships.factories import PartnershipFactory
from workflows import notifications
from workflows.models import Notification

URLS = "wagtailsnippets_partnerships_partnership"


def url(name, *args):
    return reverse(f"{URLS}:{name}", args=args)


def action_url(entry, action, task_state=None):
    task_state = task_state or entry.current_workflow_task_state
    return url("workflow_action", entry.pk, action, task_state.pk)


def questions(kind):
    return list(QuestionSet.objects.get(kind=kind).questions.all())


def form_data(response):
    """The fields of the admin's edit form as a browser would post them (no disabled or template fields)."""
    soup = BeautifulSoup(response.content, "html.parser")
    form = next(form for form in soup.find_all("form") if form.find(attrs={"name": "name"}))
    data = {}
    for element in form.find_all(["input", "select", "textarea"]):
        name = element.get("name")
        if not name or "__prefix__" in name or element.has_attr("disabled") or element.find_parent("template"):
            continue
        if element.name == "select":
            values = [
                option.get("value", option.text) for option in element.find_all("option") if option.has_attr("selected")
            ]
            data.setdefault(name, []).extend(values)
            continue
        kind = element.get("type", "text")
        if kind in {"submit", "button", "file", "image"}:
            continue
        if kind in {"checkbox", "radio"} and not element.has_attr("checked"):
            continue
        value = element.text if element.name == "textarea" else element.get("value", "on" if kind == "checkbox" else "")
        data.setdefault(name, []).append(value)
    return {name: values if len(values) > 1 else (values[0] if values else "") for name, values in data.items()}


def complete_proposal(service_area, **overrides):
    """What a lead officer fills in for a proposal Management Board can decide on."""
    data = {
        "name": "Anytown Youth Partnership",
        "purpose": "To join up services for young people in the district.",
        "shared_objective": "Fewer young people not in education, employment or training.",
        "level": "operational",
        "basis": "voluntary",
        "membership": "multi",
        "geography": "district",
        "council_role": "active_member",
        "service_area": str(service_area.pk),
        "annual_contribution": "45000.00",
        "in_kind_hours": "120",
        "in_kind_value": "3600.00",
        "external_funding": "20000.00",
        "equality_impact": "planned",
        "risk_rating": "medium",
        "exit_strategy": "Give six months' notice; the youth service takes back the work.",
        "objectives": "Reduce the number of young people not in education, employment or training.",
        "priorities_served": "Thriving communities: young people.",
        "added_value": "Partners' outreach workers reach young people the council does not.",
        "costs_and_resources": "£45,000 a year and 120 hours of officer time.",
        "funding": "The youth service budget; partners match-fund.",
        "is_public": "on",
        "risks-TOTAL_FORMS": "1",
        "risks-INITIAL_FORMS": "0",
        "risks-MIN_NUM_FORMS": "0",
        "risks-MAX_NUM_FORMS": "1000",
        "risks-0-kind": "risk",
        "risks-0-description": "Partners' priorities drift apart.",
        "risks-0-likelihood": "3",
        "risks-0-impact": "3",
        "risks-0-mitigation": "Annual review of the terms of reference.",
        "risks-0-owner": "Lead officer",
        "risks-0-id": "",
    }
    for question in questions(QuestionSet.Kind.DECISION_TREE):
        # Answer every question the way that does not stop the proposal.
        data[f"screening-{question.pk}"] = "no" if question.stops_when == "yes" else "yes"
    for question in questions(QuestionSet.Kind.CHECKLIST):
        data[f"checklist-{question.pk}"] = f"Our answer to {question.code}."
    data.update(overrides)
    return data


def propose(client, service_area, action="action-submit", **overrides):
    """A lead officer fills in the snippet's add form and posts it (submitting, by default)."""
    data = form_data(client.get(url("add")))
    data.update(complete_proposal(service_area, **overrides))
    if action:
        data[action] = action
    response = client.post(url("add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    return response, Partnership.objects.get(name=data["name"])


def edit(client, entry, action="action-submit", **changes):
    data = form_data(client.get(url("edit", entry.pk)))
    data.update(changes)
    if action:
        data[action] = action
    return client.post(url("edit", entry.pk), data)


def act(client, entry, action, **data):
    entry = Partnership.objects.get(pk=entry.pk)
    return client.post(action_url(entry, action), data)


def login(client, user):
    client.force_login(user)
    return client


def endorsed(client, people, service_area):
    """A proposal the lead officer submitted and the Head of Service endorsed: it is with the Board."""
    login(client, people.lead)
    _, entry = propose(client, service_area)
    login(client, people.head)
    act(client, entry, "approve")
    return entry


# --- A small register with its people, for the review-due reminders ------------------------------

D = datetime.date


def days(n):
    return datetime.timedelta(days=n)


def clear_site():
    """Set aside the seeded register, page review dates and training: each test describes what is due.

    With no live training module, nobody is due an awareness training refresher
    (tests/workflows/reminders/test_training_refreshers.py covers those).
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


def recorded(**filters):
    """(recipient username, event, step) of every recorded notification, sorted."""
    return sorted(Notification.objects.filter(**filters).values_list("recipient__username", "event", "step").order_by())


def keys():
    return list(Notification.objects.values_list("event", "recipient_id", "content_type_id", "object_id", "step"))


def notify_approved(recipient, step="1"):
    """The generic "approved" notification to ``recipient`` about themself, through the outbox: the
    notifications made (none when that step was already told)."""
    return notifications.notify(
        event="approved",
        recipients=[recipient],
        obj=recipient,
        step=step,
        template="generic",
        context={"headline": "Partnership approved", "paragraphs": ["It is live."], "action_url": "http://x/"},
    )
