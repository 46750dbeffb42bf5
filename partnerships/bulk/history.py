"""Recording one bulk change on one entry: a revision through the lifecycle writer, and a history line."""

import datetime
import uuid

from django.contrib.auth import get_user_model
from wagtail.admin.utils import get_user_display_name
from wagtail.log_actions import LogFormatter, log

from partnerships.lifecycle import latest_version, record_on_entry
from partnerships.models import Partnership

BULK_CHANGE = "partnerships.bulk_change"


def _shown(value):
    if value is None:
        return "none"
    if isinstance(value, get_user_model()):
        return get_user_display_name(value)
    if isinstance(value, datetime.date):
        return f"{value.day} {value:%B %Y}"
    return str(value)


LABELS = {
    "lead_officer": "Lead officer",
    "head_of_service": "Head of Service",
    "next_review_due": "Next annual review due",
    "next_progress_report_due": "Next progress report due",
}


def _label(name):
    return LABELS.get(name) or str(Partnership._meta.get_field(name).verbose_name).capitalize()


def record_bulk_change(entry, user, changes):
    """Write ``changes`` on ``entry`` as a new revision, and say in its history what changed from what."""
    before = latest_version(entry)
    described = [
        {"field": _label(name), "from": _shown(getattr(before, name)), "to": _shown(value)}
        for name, value in changes.items()
    ]
    _entry, revision = record_on_entry(entry, user, **changes)
    # Its own uuid: the history collapses lines sharing one (the request's), across entries.
    log(
        instance=entry, action=BULK_CHANGE, user=user, revision=revision, data={"changes": described}, uuid=uuid.uuid4()
    )
    return revision


class BulkChangeFormatter(LogFormatter):
    label = "Changed with other partnerships"

    def format_message(self, log_entry):
        changes = (log_entry.data or {}).get("changes", [])
        said = "; ".join(f"{c['field']} from {c['from']} to {c['to']}" for c in changes)
        return f"Changed with other partnerships: {said}" if said else self.label
