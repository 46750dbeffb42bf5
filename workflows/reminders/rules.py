"""The reminder rules: the kinds of thing that fall due, the stages of a due date, and the events they send."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

ESCALATION = "escalation"
DIGEST_EVENT = "digest.overdue"
REMINDER_EVENTS = Q(event__startswith="reminder.") | Q(event__startswith="escalation.") | Q(event=DIGEST_EVENT)
DIGEST_ITEMS_PER_KIND = 50


def is_reminder(event):
    """Whether a notification's event is one of the sweep's (sent in batches by ``deliver_reminders``)."""
    return event.startswith(("reminder.", "escalation.")) or event == DIGEST_EVENT


@dataclass(frozen=True)
class Kind:
    slug: str
    label: str  # "the {label} of Partnership X"
    action_label: str
    field: str = ""  # the entry's date field, when the date is on the entry itself


KINDS = {
    kind.slug: kind
    for kind in (
        Kind("progress_report", "progress report", "Submit the progress report", "next_progress_report_due"),
        Kind("annual_review", "annual review", "Record the annual review", "next_review_due"),
        Kind(
            "tor_renewal",
            "terms of reference renewal",
            "Update the terms of reference",
            "terms_of_reference_renewal_date",
        ),
        Kind("risk_review", "risk register review", "Review the risk register"),
        Kind("content_review", "page review", "Review the page"),
    )
}
ENTRY_DATE_KINDS = [kind for kind in KINDS.values() if kind.field]


# --- The due rule -------------------------------------------------------------------------------


def offsets():
    values = sorted({int(days) for days in settings.REMINDER_OFFSETS_DAYS}, reverse=True)
    if values and values[-1] <= -settings.ESCALATION_AFTER_DAYS:
        raise ValueError("REMINDER_OFFSETS_DAYS must all come before ESCALATION_AFTER_DAYS.")
    return values


def stage_for(due, today, stage_offsets=None, escalate_after=None):
    """The stage due on ``today`` for an item due on ``due``: an offset in days, ESCALATION or None."""
    stage_offsets = offsets() if stage_offsets is None else stage_offsets
    escalate_after = settings.ESCALATION_AFTER_DAYS if escalate_after is None else escalate_after
    days = (due - today).days
    if days <= -escalate_after:
        return ESCALATION
    for position, offset in enumerate(stage_offsets):
        next_begins = stage_offsets[position + 1] if position + 1 < len(stage_offsets) else -escalate_after
        if next_begins < days <= offset:
            return offset
    return None


def event_name(kind_slug, stage):
    if stage == ESCALATION:
        return f"{ESCALATION}.{kind_slug}"
    if stage == 0:
        return f"reminder.{kind_slug}.due_today"
    if stage > 0:
        return f"reminder.{kind_slug}.due_in_{stage}"
    return f"reminder.{kind_slug}.overdue_{-stage}"


def iso_week(day):
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def digest_due(today):
    return today.weekday() >= settings.REMINDER_DIGEST_WEEKDAY


def sweep_date():
    """Today in the portal's time zone (Europe/London), not UTC: the sweep's 'D'."""
    return timezone.localdate()
