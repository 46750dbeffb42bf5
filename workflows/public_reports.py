"""Telling the register managers of each report from the public, through the outbox.

The notification rows are written in the transaction that saves the report, and the
outbox's key (event, recipient, report) makes each manager receive it once, with the
same Message-ID should a worker die mid-send and the row be sent again.
"""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_save
from django.urls import reverse
from django.utils.text import Truncator

from partnerships.models import PublicReport
from portal.roles import REGISTER_MANAGERS

from .notifications import absolute_url, notify

EVENTS = {PublicReport.Kind.CORRECTION: "public_correction", PublicReport.Kind.FEEDBACK: "public_feedback"}


def register_managers():
    return get_user_model().objects.filter(groups__name=REGISTER_MANAGERS, is_active=True)


def message_of(report):
    if report.kind == PublicReport.Kind.CORRECTION:
        headline = f"Someone reported a problem with the register entry “{Truncator(report.entry_name).chars(150)}”"
    else:
        headline = "Someone gave feedback on the portal"
    paragraphs = [f"They wrote: {report.message}"]
    paragraphs.append(
        f"Their email address, for a reply: {report.email}" if report.email else "They did not give an email address."
    )
    paragraphs.append("Mark it resolved in the admin once it has been dealt with.")
    return {
        "headline": headline,
        "paragraphs": paragraphs,
        "action_url": absolute_url(reverse("wagtailsnippets_partnerships_publicreport:list")),
        "action_label": "Open the reports from the public",
    }


def tell_register_managers(sender, instance, created, raw=False, **kwargs):
    if not created or raw:
        return
    notify(
        event=EVENTS[instance.kind],
        recipients=register_managers(),
        obj=instance,
        step="received",
        template="generic",
        context=message_of(instance),
    )


def connect():
    post_save.connect(tell_register_managers, sender=PublicReport, dispatch_uid="workflows_public_report")
