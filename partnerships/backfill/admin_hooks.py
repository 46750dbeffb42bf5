"""What the back-fill adds to the admin: its history line and the listing's link (registered in wagtail_hooks)."""

import datetime

from wagtail.admin.widgets import ListingButton
from wagtail.log_actions import LogFormatter

from partnerships.models import Partnership

from .services import BACKFILL_ACTION
from .views import BACKFILL_LABEL, backfill_url, offers_backfill


def _day(iso):
    try:
        day = datetime.date.fromisoformat(iso)
    except (TypeError, ValueError):
        return iso or ""
    return f"{day.day} {day:%B %Y}"


class BackfillFormatter(LogFormatter):
    label = "Recorded as approved before the portal"

    def format_message(self, log_entry):
        data = log_entry.data or {}
        parts = [data.get("approved_by", ""), _day(data.get("approved_on", ""))]
        if data.get("minute_reference"):
            parts.append(f"minute {data['minute_reference']}")
        return "Recorded as approved before the portal: " + ", ".join(part for part in parts if part)


def register_backfill_action(actions):
    actions.register_action(BACKFILL_ACTION)(BackfillFormatter)


def backfill_listing_button(snippet, user, next_url=None):
    if isinstance(snippet, Partnership) and offers_backfill(snippet, user):
        yield ListingButton(BACKFILL_LABEL, backfill_url(snippet), priority=60)
