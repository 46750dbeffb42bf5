"""Annual refresher reminders for awareness training, sent by the review-due sweep.

Who: every active person in a role the council expects to be trained
(``portal.training.progress.REQUIRED_ROLES``: lead officers, Heads of Service,
Management Board, register managers and councillors).

When: their training falls due on the earliest of, for each live module, the date
they last completed it plus 12 months; a module they have never completed is due a
month after they joined. The sweep's stages apply (30 and 7 days before, on the day);
after that, instead of an escalation, the person is told once that it is overdue.
Each reminder's step is the due date, so a person is reminded once per stage, and
completing the training (a later due date) starts a new series.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType

from portal.models.training import training_modules
from portal.training import progress
from workflows import notifications
from workflows.reminders.rules import ESCALATION, Kind, event_name

KIND = "training_refresher"
# Not one of rules.KINDS: those are what the overdue digest and dashboard count, and
# a person's own training is for them to take, not for the register to chase.
REFRESHER = Kind(KIND, "awareness training refresher", "Take the awareness training")
OVERDUE_EVENT = f"reminder.{KIND}.overdue"


@dataclass
class TrainingReminder:
    """A refresher reminder to one person, in the shape ``delivery.record`` takes."""

    event: str
    recipient: object
    due: datetime.date
    today: datetime.date
    content_type_id: int
    context: dict
    template: str = "training_refresher"

    @property
    def obj(self):
        return self.recipient

    @property
    def step(self):
        return self.due.isoformat()

    @property
    def key(self):
        return (self.event, self.recipient.pk, self.content_type_id, str(self.recipient.pk), self.step)

    def people_to_load(self):
        return ()

    def resolve(self, users):
        return self

    def describe(self):
        return f"{self.recipient.email}\t{self.event}\t{self.recipient}\t{self.step}"


def _stage_event(sweep, due):
    stage = sweep.stage(due)
    if stage is None:
        return None
    # Past the day, a person is told once that their training is overdue (the escalation
    # stages of entries go to a Head of Service; a person's own training does not).
    return OVERDUE_EVENT if stage == ESCALATION or due < sweep.today else event_name(KIND, stage)


def training_batches(sweep):
    """Batches of refresher reminders due on the sweep's day, ``sweep.batch_size`` people at a time."""
    modules = list(training_modules())
    if not modules:
        return
    index = modules[0].get_parent()
    action_url = notifications.absolute_url(index.url)
    user_type = ContentType.objects.get_for_model(get_user_model(), for_concrete_model=False)
    people = progress.people_in_required_roles().exclude(email="").order_by("pk")
    last = 0
    while True:
        batch = list(people.filter(pk__gt=last)[: sweep.batch_size])
        if not batch:
            return
        last = batch[-1].pk
        latest = progress.latest_completions([user.pk for user in batch], [module.pk for module in modules])
        reminders = []
        for user in batch:
            due = progress.next_due(user, modules, latest)
            event = _stage_event(sweep, due)
            if event is None:
                continue
            outstanding = [
                item.module.title
                for item in progress.progress_of(user.pk, modules, latest, sweep.today)
                if item.status != progress.COMPLETED or item.due_on <= due
            ]
            context = {
                "kind": REFRESHER,
                "due_date": due,
                "due_text": f"{due.day} {due:%B %Y}",
                "overdue": due < sweep.today,
                "due_today": due == sweep.today,
                "modules": outstanding,
                "action_url": action_url,
                "action_label": REFRESHER.action_label,
            }
            reminders.append(TrainingReminder(event, user, due, sweep.today, user_type.pk, context))
        yield reminders
