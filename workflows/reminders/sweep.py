"""One review-due sweep: find what falls due, record the reminders not yet recorded, hand them on.

Entries are read by ranges of 1,000 primary keys (``pk > a AND pk <= a + 1000``),
as plain values. For each batch one query finds which of its reminders are
already recorded (see ``delivery.record``); only the new ones load their people and
are rendered. So queries grow with the number of batches, not of entries or reminders.
A sweep killed half-way has committed whole batches; the next run records the rest
and hands on every row still pending, so everything is sent.
"""

import datetime
import functools
import logging
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Max, Min, Q
from django.urls import reverse

from partnerships.models import Partnership, RiskRegisterEntry
from portal.models.pages import ReviewedPage
from portal.roles import REGISTER_MANAGERS
from workflows import notifications
from workflows.reminders import delivery
from workflows.reminders.overdue import overdue_items
from workflows.reminders.rules import (
    DIGEST_EVENT,
    DIGEST_ITEMS_PER_KIND,
    ENTRY_DATE_KINDS,
    ESCALATION,
    KINDS,
    Kind,
    digest_due,
    event_name,
    iso_week,
    offsets,
    stage_for,
    sweep_date,
)
from workflows.reminders.training import training_batches

logger = logging.getLogger(__name__)

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

    def people_to_load(self):
        return ()  # its recipient is loaded already

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

    def people_to_load(self):
        """The ids of the users its email needs, loaded for a whole batch at once."""
        return filter(None, (self.recipient_id, self.item.lead_officer_id))

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


def run_sweep(today=None, dry_run=False, batch_size=None):
    today = today or sweep_date()
    sweep = Sweep(today, batch_size)
    result = SweepResult(today=today, dry_run=dry_run)

    def take(reminders):
        created = delivery.record(reminders, dry_run=dry_run)
        result.batches += 1
        result.new.extend(created)
        result.recorded.update(r.event.split(".")[0] for r in created)

    for batch in sweep.partnership_batches():
        take(sweep.partnership_reminders(batch))
    for content_type, batch in sweep.page_batches():
        take(sweep.page_reminders(content_type, batch))
    for batch in training_batches(sweep):
        take(batch)
    take(sweep.digest_reminders())
    if not dry_run:
        result.handed_on = delivery.hand_on_pending()
    logger.info("Review-due sweep for %s: %s", today.isoformat(), result.as_dict())
    return result
