"""Where each person stands on each module: completed, not started, or due for its annual refresher.

A module is completed by its latest pass (or, for a module with no knowledge check,
its latest "I have read and understood"). Training is refreshed every year: twelve
months after that date the module is due again (seed 003 4.1: awareness raising for
officers and members, kept up as people and the framework change).
"""

import datetime
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model

from portal.models.training import TrainingCompletion, training_modules
from portal.roles import HEADS_OF_SERVICE, LEAD_OFFICERS, MANAGEMENT_BOARD, MEMBERS, REGISTER_MANAGERS

REFRESHER_MONTHS = 12
# The roles whose training the council expects (and chases): those who lead, endorse,
# decide on or manage partnerships, and councillors who sit on them.
REQUIRED_ROLES = (LEAD_OFFICERS, HEADS_OF_SERVICE, MANAGEMENT_BOARD, REGISTER_MANAGERS, MEMBERS)

COMPLETED = "completed"
NOT_STARTED = "not_started"
REFRESHER_DUE = "refresher_due"
LABELS = {COMPLETED: "Completed", NOT_STARTED: "Not started", REFRESHER_DUE: "Due for refresher"}
TAG_CLASSES = {COMPLETED: "govuk-tag--green", NOT_STARTED: "govuk-tag--grey", REFRESHER_DUE: "govuk-tag--yellow"}


def refresher_due_on(completed_on):
    return completed_on + relativedelta(months=REFRESHER_MONTHS)


@dataclass(frozen=True)
class ModuleProgress:
    module: object
    completed_on: datetime.date | None
    score: int | None
    today: datetime.date

    @property
    def due_on(self):
        return refresher_due_on(self.completed_on) if self.completed_on else None

    @property
    def status(self):
        if self.completed_on is None:
            return NOT_STARTED
        return REFRESHER_DUE if self.due_on <= self.today else COMPLETED

    @property
    def label(self):
        return LABELS[self.status]

    @property
    def tag_class(self):
        return TAG_CLASSES[self.status]


def latest_completions(user_ids, module_ids):
    """{(user id, module id): (date, score)} of each person's latest completion of each module; one query."""
    latest = {}
    rows = (
        TrainingCompletion.objects.filter(user_id__in=user_ids, page_id__in=module_ids)
        .order_by("user_id", "page_id", "completed_at", "pk")
        .values_list("user_id", "page_id", "completed_on", "score")
    )
    for user_id, page_id, completed_on, score in rows:
        latest[(user_id, page_id)] = (completed_on, score)  # ordered oldest first: the last one wins
    return latest


def progress_of(user_id, modules, latest, today):
    return [ModuleProgress(module, *latest.get((user_id, module.pk), (None, None)), today) for module in modules]


def progress_for(user, today, modules=None):
    """One person's progress on every live module, in the order the modules are taken."""
    modules = list(training_modules() if modules is None else modules)
    if not user.is_authenticated:
        return []
    latest = latest_completions([user.pk], [module.pk for module in modules])
    return progress_of(user.pk, modules, latest, today)


def overall(progress):
    """A person's status over all modules: not started, due (anything outstanding), or completed."""
    statuses = {item.status for item in progress}
    if not progress or statuses == {NOT_STARTED}:
        return NOT_STARTED
    return COMPLETED if statuses == {COMPLETED} else REFRESHER_DUE


def people_in_required_roles():
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=REQUIRED_ROLES)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def next_due(user, modules, latest):
    """When ``user``'s training next falls due: the earliest refresher date of their modules.

    A module never completed is due a month after the person joined (a new councillor
    or officer has their first month to take it); someone who joined long ago and never
    took it is due on that date, so the sweep sends them the overdue reminder once.
    """
    first_due = user.date_joined.date() + relativedelta(months=1)
    dates = []
    for module in modules:
        completed = latest.get((user.pk, module.pk))
        dates.append(refresher_due_on(completed[0]) if completed else first_due)
    return min(dates, default=None)
