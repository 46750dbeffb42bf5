"""The review-due sweep: remind, escalate, and send the weekly digest of what is overdue.

Run daily by Celery beat (``workflows.tasks.send_review_reminders``, 07:00 Europe/London)
and by hand with ``manage.py send_review_reminders [--dry-run] [--date YYYY-MM-DD]``.

What falls due
    For every partnership in force: its next progress report, next annual review,
    terms of reference renewal and each risk register review date; and every live
    guidance, content, toolkit or training page's review-by date.

The due rule, for a sweep on date D and an item due on date d
    The reminder offsets (``REMINDER_OFFSETS_DAYS``, default 30, 7 and 0 days before)
    make stages; a stage is due from its own day until the next stage begins, and
    the last one until the escalation begins (``ESCALATION_AFTER_DAYS``, default 14
    days after)::

        "30 days before" when d-30 <= D < d-7      → the lead officer
        "7 days before"  when d-7  <= D < d        → the lead officer
        "on the day"     when d    <= D < d+14     → the lead officer
        escalation       when d+14 <= D            → the Head of Service

    So a sweep that did not run on a stage's first day (a holiday outage, a
    deployment) still sends it the next day, and a stage that has been overtaken
    is never sent late: an entry created 5 days before its due date gets the
    "7 days before" reminder only. Pages have the same stages for their owner, and
    no escalation.

Never twice
    Each reminder is a ``Notification`` whose unique key is (event, recipient, the
    entry, step): the event names the kind and stage (``reminder.progress_report.due_in_30``,
    ``escalation.annual_review``) and the step is the due date. A later due date (a
    report was submitted) starts a new series; the same stage of the same due date
    is never sent to the same person again, whatever reruns. A lead officer who
    takes over an entry is sent the stage in hand once, then the stages to come.

Weekly digest
    Register managers get one digest of everything overdue each ISO week, from the
    first sweep on or after ``REMINDER_DIGEST_WEEKDAY`` (Monday) that finds anything
    overdue; its step is the ISO week (``2026-W14``).

Batches and being cut off
    Entries are read by ranges of 1,000 primary keys (``pk > a AND pk <= a + 1000``),
    as plain values. For each batch one query finds which of its reminders are
    already recorded (the keys joined to the unique index); only the new ones load
    their people and are rendered, and they are written in one
    ``bulk_create(ignore_conflicts=True)``, which a concurrent sweep cannot make fail.
    So queries grow with the number of batches, not of entries or reminders.
    Sending is then driven from the table, not from what this run created: every
    pending reminder row is handed to ``deliver_reminders`` in batches, and delivery
    locks each row and sends it only if it is not yet sent. A sweep killed half-way
    has committed whole batches; the next run records the rest and hands on every
    row still pending, so everything is sent. Delivery is at least once, recognisably
    (see workflows/notifications.py): a row is marked "sending" before its SMTP
    conversation, and a worker killed after the mail server accepted a message but
    before the row was marked sent sends that message again, later, with the same
    Message-ID. The optional ``REMINDER_SEND_DELAY_MS`` pause comes after the commit.
"""

import datetime
import functools
import logging
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import partial

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Count, Exists, Max, Min, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from partnerships.models import Partnership, RiskRegisterEntry
from portal.roles import REGISTER_MANAGERS
from workflows import notifications
from workflows.models import Notification

logger = logging.getLogger(__name__)

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


# --- What one sweep finds ---------------------------------------------------------------------


@dataclass
class Reminder:
    """A reminder ready to record: its recipient, what it is about, and what its email says."""

    event: str
    recipient: object
    obj: object
    content_type_id: int
    step: str
    template: str
    context: dict

    @property
    def key(self):
        return (self.event, self.recipient.pk, self.content_type_id, str(self.obj.pk), self.step)

    def resolve(self, users):
        return self

    def describe(self):
        return f"{self.recipient.email}\t{self.event}\t{self.obj}\t{self.step}"


@dataclass(frozen=True)
class Item:
    """What a reminder is about (an entry or a page), read as plain values rather than model instances."""

    pk: int
    name: str
    label: str  # "Name (P-0042)", or a page's title
    url: str
    lead_officer_id: int | None = None

    def __str__(self):
        return self.name


@dataclass
class Candidate:
    """A reminder the rule says is due, before anyone knows whether it was already recorded.

    Only its key is computed for every entry in a reminder window; people are loaded
    and the email written only for the candidates that turn out to be new.
    """

    sweep: "Sweep"
    kind: Kind
    stage: object
    due: datetime.date
    recipient_id: int
    item: Item
    content_type_id: int

    @property
    def event(self):
        return event_name(self.kind.slug, self.stage)

    @property
    def key(self):
        return (self.event, self.recipient_id, self.content_type_id, str(self.item.pk), self.due.isoformat())

    def resolve(self, users):
        """The Reminder, or None when its recipient cannot receive email (inactive, no address)."""
        recipient = users.get(self.recipient_id)
        if not _can_receive(recipient):
            return None
        today = self.sweep.today
        escalation = self.stage == ESCALATION
        context = {
            "kind": self.kind,
            "stage": self.stage,
            "escalation": escalation,
            "due_date": self.due,
            "due_text": f"{self.due.day} {self.due:%B %Y}",
            "days_phrase": _days_phrase(self.due, today),
            "overdue": self.due < today,
            "days_overdue": (today - self.due).days,
            "escalation_days": self.sweep.escalate_after,
            "item_name": self.item.label,
            "lead_officer": users.get(self.item.lead_officer_id),
            "action_url": self.item.url,
            "action_label": self.kind.action_label,
        }
        return Reminder(
            event=self.event,
            recipient=recipient,
            obj=self.item,
            content_type_id=self.content_type_id,
            step=self.due.isoformat(),
            template="reminder_escalation" if escalation else "reminder",
            context=context,
        )


@dataclass
class SweepResult:
    today: datetime.date
    dry_run: bool = False
    batches: int = 0
    recorded: Counter = field(default_factory=Counter)
    new: list = field(default_factory=list)
    handed_on: int = 0

    @property
    def total(self):
        return sum(self.recorded.values())

    def as_dict(self):
        return {
            "date": self.today.isoformat(),
            "dry_run": self.dry_run,
            "batches": self.batches,
            "recorded": dict(self.recorded),
            "handed_on": self.handed_on,
        }


def _can_receive(user):
    return user is not None and user.is_active and bool(user.email)


def _days_phrase(due, today):
    days = (due - today).days
    if days == 0:
        return "today"
    if days > 0:
        return f"in {days} day{'s' if days != 1 else ''}"
    return f"{-days} day{'s' if days != -1 else ''} ago"


_PK_PLACEHOLDER = 987654321


@functools.cache
def _url_parts(url_name):
    """A URL reversed once, for a pk to be dropped into: thousands of reverse() calls cost seconds."""
    return notifications.absolute_url(reverse(url_name, args=[_PK_PLACEHOLDER])).split(str(_PK_PLACEHOLDER))


def _url(url_name, pk):
    return str(pk).join(_url_parts(url_name))


ENTRY_URLS = {
    "progress_report": "partnerships_staff:progress_report",
    "annual_review": "partnerships_staff:annual_review",
}
EDIT_ENTRY_URL = "wagtailsnippets_partnerships_partnership:edit"
ENTRY_FIELDS = (
    "pk",
    "name",
    "reference",
    "lead_officer_id",
    "head_of_service_id",
    "service_area__head_of_service_id",
    *(kind.field for kind in ENTRY_DATE_KINDS),
)


class Sweep:
    def __init__(self, today, batch_size=None):
        self.today = today
        self.offsets = offsets()
        self.escalate_after = settings.ESCALATION_AFTER_DAYS
        self.horizon = today + datetime.timedelta(days=max(self.offsets, default=0))
        self.batch_size = batch_size or settings.REMINDER_BATCH_SIZE
        self.partnership_type = ContentType.objects.get_for_model(Partnership, for_concrete_model=False)

    def stage(self, due):
        return stage_for(due, self.today, self.offsets, self.escalate_after)

    # Partnerships

    def partnership_batches(self):
        horizon = self.horizon
        # "pk IN (subquery)", not EXISTS: the database builds the set of entries with a
        # risk review due once per query, instead of looking each entry up.
        risk_due = RiskRegisterEntry.objects.filter(review_date__lte=horizon).values("partnership_id")
        entries = (
            Partnership.objects.in_force()
            .filter(
                Q(next_progress_report_due__lte=horizon)
                | Q(next_review_due__lte=horizon)
                | Q(terms_of_reference_renewal_date__lte=horizon)
                | Q(pk__in=risk_due)
            )
            .order_by("pk")
            .values_list(*ENTRY_FIELDS)
        )
        yield from _pk_ranges(entries, Partnership.objects.all(), self.batch_size)

    def partnership_reminders(self, batch):
        # The batch is a run of pks in order, so its risks are found by range, not a list of 1,000 ids.
        risk_dates = defaultdict(set)
        for partnership_id, review_date in (
            RiskRegisterEntry.objects.filter(
                partnership_id__gte=batch[0][0], partnership_id__lte=batch[-1][0], review_date__lte=self.horizon
            )
            .values_list("partnership_id", "review_date")
            .distinct()
        ):
            risk_dates[partnership_id].add(review_date)
        candidates = []
        for pk, name, reference, lead_id, head_id, area_head_id, *entry_dates in batch:
            dated = list(zip(ENTRY_DATE_KINDS, entry_dates, strict=True))
            dated += [(KINDS["risk_review"], day) for day in sorted(risk_dates.get(pk, ()))]
            for kind, due in dated:
                stage = self.stage(due) if due else None
                if stage is None:
                    continue
                recipient_id = (head_id or area_head_id) if stage == ESCALATION else lead_id
                if recipient_id is None:
                    continue
                url = _url(ENTRY_URLS.get(kind.slug, EDIT_ENTRY_URL), pk)
                item = Item(pk, name, f"{name} ({reference})", url, lead_id)
                candidates.append(Candidate(self, kind, stage, due, recipient_id, item, self.partnership_type.pk))
        return candidates

    # Pages

    def page_batches(self):
        from portal.models.pages import ReviewedPage

        for model in apps.get_models():
            if not issubclass(model, ReviewedPage):
                continue
            pages = (
                model.objects.live()
                .filter(review_by__lte=self.horizon, content_owner__isnull=False)
                .order_by("pk")
                .values_list("pk", "title", "content_owner_id", "review_by")
            )
            content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
            for batch in _keyset(pages, self.batch_size):
                yield content_type, batch

    def page_reminders(self, content_type, batch):
        kind = KINDS["content_review"]
        candidates = []
        for pk, title, owner_id, review_by in batch:
            stage = self.stage(review_by)
            if stage is None or stage == ESCALATION:
                continue
            item = Item(pk, title, title, _url("wagtailadmin_pages:edit", pk))
            candidates.append(Candidate(self, kind, stage, review_by, owner_id, item, content_type.pk))
        return candidates

    # The weekly digest

    def digest_reminders(self):
        if not digest_due(self.today):
            return []
        managers = list(
            get_user_model()
            .objects.filter(groups__name=REGISTER_MANAGERS, is_active=True)
            .exclude(email="")
            .distinct()
            .order_by("pk")
        )
        if not managers:
            return []
        overdue = overdue_items(self.today, limit=DIGEST_ITEMS_PER_KIND)
        if not any(section["count"] for section in overdue):
            return []
        user_type = ContentType.objects.get_for_model(get_user_model(), for_concrete_model=False)
        context = {
            "today": self.today,
            "week": iso_week(self.today),
            "sections": overdue,
            "total": sum(section["count"] for section in overdue),
            "action_url": notifications.absolute_url(reverse("workflows_reports:exception_report")),
            "action_label": "Open the Cabinet exception report",
        }
        return [
            Reminder(DIGEST_EVENT, manager, manager, user_type.pk, iso_week(self.today), "digest", context)
            for manager in managers
        ]


def _pk_ranges(queryset, table, size):
    """Non-empty batches of ``queryset`` for each run of ``size`` consecutive pks of ``table``.

    Each batch is an index range scan (pk > a AND pk <= a + size) whatever the
    planner thinks of the filter, so the sweep costs one query per thousand entries
    of the register however many of them fall due.
    """
    bounds = table.aggregate(low=Min("pk"), high=Max("pk"))
    if bounds["low"] is None:
        return
    for start in range(bounds["low"] - 1, bounds["high"], size):
        batch = list(queryset.filter(pk__gt=start, pk__lte=start + size))
        if batch:
            yield batch


def _keyset(queryset, size):
    """Batches of ``size`` rows by ascending pk; rows are model instances or value tuples (pk first)."""
    last = None
    while True:
        page = queryset if last is None else queryset.filter(pk__gt=last)
        batch = list(page[:size])
        if not batch:
            return
        yield batch
        last = batch[-1][0] if isinstance(batch[-1], tuple) else batch[-1].pk


# --- What is overdue (the digest, the admin panel) ----------------------------------------------


def overdue_querysets(today):
    """Partnerships in force with each kind overdue on ``today`` (due before it), by kind slug."""
    in_force = Partnership.objects.in_force()
    risk_overdue = RiskRegisterEntry.objects.filter(partnership=OuterRef("pk"), review_date__lt=today)
    querysets = {kind.slug: in_force.filter(**{f"{kind.field}__lt": today}) for kind in ENTRY_DATE_KINDS}
    querysets["risk_review"] = in_force.filter(Exists(risk_overdue))
    return querysets


def overdue_pages(today):
    from portal.models.pages import ReviewedPage

    for model in apps.get_models():
        if issubclass(model, ReviewedPage):
            yield model, model.objects.live().filter(review_by__lt=today)


def overdue_items(today, limit=DIGEST_ITEMS_PER_KIND):
    """Sections of what is overdue: kind, count and the ``limit`` longest overdue, for the digest."""
    sections = []
    for slug, queryset in overdue_querysets(today).items():
        kind = KINDS[slug]
        date_field = kind.field or "risk_review_due"
        listing = queryset.with_people()
        if not kind.field:
            earliest = RiskRegisterEntry.objects.filter(partnership=OuterRef("pk"), review_date__lt=today)
            listing = listing.annotate(
                risk_review_due=Subquery(earliest.order_by("review_date").values("review_date")[:1])
            )
        rows = list(listing.order_by(date_field, "pk")[:limit])
        sections.append(
            {
                "kind": kind,
                "count": queryset.count() if len(rows) == limit else len(rows),
                "items": [
                    {
                        "name": f"{p.name} ({p.reference})",
                        "due": getattr(p, date_field),
                        "days_overdue": (today - getattr(p, date_field)).days,
                        "lead_officer": p.lead_officer_name(),
                        "service_area": p.service_area.name if p.service_area else "",
                    }
                    for p in rows
                ],
            }
        )
    pages = []
    for _model, queryset in overdue_pages(today):
        pages.extend(queryset.select_related("content_owner")[:limit])
    pages.sort(key=lambda page: (page.review_by, page.pk))
    sections.append(
        {
            "kind": KINDS["content_review"],
            "count": len(pages),
            "items": [
                {
                    "name": page.title,
                    "due": page.review_by,
                    "days_overdue": (today - page.review_by).days,
                    "lead_officer": page.content_owner.get_full_name() if page.content_owner else "",
                    "service_area": "",
                }
                for page in pages[:limit]
            ],
        }
    )
    return sections


def overdue_counts(today):
    """{kind slug: {service area name: count}} of overdue partnerships; one query per kind."""
    counts = {}
    for slug, queryset in overdue_querysets(today).items():
        rows = queryset.order_by().values("service_area__name").annotate(n=Count("pk", distinct=True))
        counts[slug] = {row["service_area__name"] or "No service area": row["n"] for row in rows}
    return counts


# --- Recording and handing on -------------------------------------------------------------------


KEY_COLUMNS = ("event", "recipient_id", "content_type_id", "object_id", "step")


def recorded_keys(keys):
    """Which of ``keys`` (event, recipient id, content type id, object id, step) are recorded, in one query.

    The keys are joined to the table as a list of values, so each is one probe of the
    unique index (which leads with the event and recipient). Asking instead for
    "these events, these objects" cannot use that index: it would read every reminder
    ever recorded, once per batch.
    """
    if not keys:
        return set()
    quote = connection.ops.quote_name
    table = quote(Notification._meta.db_table)
    columns = [quote(name) for name in KEY_COLUMNS]
    if connection.vendor == "postgresql":
        # Five array parameters rather than 5,000 scalars: the driver binds them in no time.
        wanted = "SELECT * FROM unnest(%s::text[], %s::integer[], %s::integer[], %s::text[], %s::text[])"
        params = [list(column) for column in zip(*keys, strict=True)]
    else:
        row = "(%s, CAST(%s AS integer), CAST(%s AS integer), %s, %s)"
        wanted = f"VALUES {', '.join([row] * len(keys))}"
        params = [value for key in keys for value in key]
    join = " AND ".join(f"n.{column} = w.{column}" for column in columns)
    sql = (
        f"WITH wanted ({', '.join(columns)}) AS ({wanted}) "  # noqa: S608 - only our own table and column names
        f"SELECT {', '.join(f'n.{column}' for column in columns)} FROM {table} n JOIN wanted w ON {join}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {tuple(found) for found in cursor.fetchall()}


def record(candidates, dry_run=False):
    """Write the reminders not yet recorded; return them (what a real run creates).

    One query finds which of the batch's keys are recorded already; the people of
    the new ones are loaded in one more, and their emails rendered and inserted in one.
    """
    if not candidates:
        return []
    existing = recorded_keys({candidate.key for candidate in candidates})
    fresh = {}
    for candidate in candidates:
        if candidate.key not in existing:
            fresh.setdefault(candidate.key, candidate)
    if not fresh:
        return []
    wanted = set()
    for candidate in fresh.values():
        if isinstance(candidate, Candidate):
            wanted.update(filter(None, (candidate.recipient_id, candidate.item.lead_officer_id)))
    users = get_user_model().objects.in_bulk(wanted) if wanted else {}
    new = [reminder for reminder in (c.resolve(users) for c in fresh.values()) if reminder is not None]
    if dry_run or not new:
        return new
    rows = []
    for reminder in new:
        subject, text, html = notifications.render_message(
            reminder.template, {**reminder.context, "recipient": reminder.recipient, "object": reminder.obj}
        )
        rows.append(
            Notification(
                event=reminder.event,
                recipient_id=reminder.recipient.pk,
                content_type_id=reminder.content_type_id,
                object_id=str(reminder.obj.pk),
                step=reminder.step,
                subject=subject[:255],
                body_text=text,
                body_html=html,
            )
        )
    # ignore_conflicts: a sweep running at the same moment may have written some of them.
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    return new


def pending_reminder_ids():
    """Reminder rows due a try (pending, or left "sending" by a worker that died), by pk."""
    return notifications.deliverable().filter(REMINDER_EVENTS).order_by("pk")


def hand_on_pending(batch_size=None):
    """Give every deliverable reminder row to ``deliver_reminders``, ``batch_size`` ids a task.

    The sweep hands on what it recorded at once rather than waiting for the relay;
    without a broker this is what sends them. Rows whose hand-over fails (a broker that
    is down) stay pending, and the relay hands them on once it is back.
    """
    from workflows.tasks import deliver_reminders

    batch_size = batch_size or settings.REMINDER_DELIVERY_BATCH_SIZE
    handed_on = 0
    last = 0
    while True:
        ids = list(pending_reminder_ids().filter(pk__gt=last).values_list("pk", flat=True)[:batch_size])
        if not ids:
            return handed_on
        transaction.on_commit(partial(_hand_on, deliver_reminders, ids), robust=True)
        handed_on += len(ids)
        last = ids[-1]


def _hand_on(task, ids):
    task.delay(ids)
    Notification.objects.filter(pk__in=ids).update(handed_at=timezone.now())


def run_sweep(today=None, dry_run=False, batch_size=None):
    today = today or sweep_date()
    sweep = Sweep(today, batch_size)
    result = SweepResult(today=today, dry_run=dry_run)

    def take(reminders):
        created = record(reminders, dry_run=dry_run)
        result.batches += 1
        result.new.extend(created)
        result.recorded.update(r.event.split(".")[0] for r in created)

    for batch in sweep.partnership_batches():
        take(sweep.partnership_reminders(batch))
    for content_type, batch in sweep.page_batches():
        take(sweep.page_reminders(content_type, batch))
    take(sweep.digest_reminders())
    if not dry_run:
        result.handed_on = hand_on_pending()
    logger.info("Review-due sweep for %s: %s", today.isoformat(), result.as_dict())
    return result


def deliver_batch(notification_ids, delay_ms=None):
    """Send each reminder not yet sent; a mail failure leaves it pending, with a time to try again.

    A database error ends the batch (the task retries it); what was sent stays sent.
    Rows already sent (a second copy of the task) are skipped with one query.
    """
    from workflows.tasks import DELIVERY_ERRORS

    delay = (settings.REMINDER_SEND_DELAY_MS if delay_ms is None else delay_ms) / 1000
    due = set(notifications.deliverable().filter(pk__in=notification_ids).values_list("pk", flat=True))
    sent = 0
    for notification_id in notification_ids:
        if notification_id not in due:
            continue
        try:
            delivered = notifications.deliver(notification_id)
        except Notification.DoesNotExist:
            continue
        except DELIVERY_ERRORS as error:
            notifications.record_failure(notification_id, error)
            continue
        if delivered:
            sent += 1
            logger.info("Sent reminder notification %s", notification_id)
            if delay:
                time.sleep(delay)
    return sent
