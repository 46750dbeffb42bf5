"""Register references (P-0001, P-0002, …): handed out once, never reused.

A counter row, not ``max(reference) + 1``: deleting the newest entry must not let
its reference be given to another partnership, and two officers saving at the same
moment must not get the same number. The increment is a single ``UPDATE … SET
value = value + 1``, which takes the row lock (PostgreSQL) or the write lock
(SQLite) before reading, so concurrent transactions queue rather than collide.
"""

import re

from django.db import models, transaction
from django.db.models import F
from django.db.models.functions import Greatest

REFERENCE_PREFIX = "P-"
REFERENCE_PATTERN = re.compile(r"^P-(\d+)$")
PARTNERSHIP_COUNTER = "partnership"


class ReferenceCounter(models.Model):
    name = models.CharField(max_length=50, primary_key=True)
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "reference counter"

    def __str__(self):
        return f"{self.name}: {self.last_value}"


def format_reference(number):
    return f"{REFERENCE_PREFIX}{number:04d}"


def reference_number(reference):
    """The number in a well-formed reference, or None."""
    match = REFERENCE_PATTERN.match(reference or "")
    return int(match.group(1)) if match else None


def _counter(name):
    ReferenceCounter.objects.get_or_create(name=name)
    return ReferenceCounter.objects.filter(name=name)


@transaction.atomic
def allocate_reference(name=PARTNERSHIP_COUNTER):
    counter = _counter(name)
    counter.update(last_value=F("last_value") + 1)
    return format_reference(counter.values_list("last_value", flat=True).get())


@transaction.atomic
def reserve_reference(reference, name=PARTNERSHIP_COUNTER):
    """Move the counter past a reference that arrived from elsewhere (an imported spreadsheet)."""
    number = reference_number(reference)
    if number is not None:
        _counter(name).update(last_value=Greatest(F("last_value"), number))
