"""Recording that an entry was approved before the portal existed, and putting it on the register.

The only way onto the register besides Management Board's decision in the workflow.
A back-fill writes an ``ApprovalRecord`` (who approved it, when, the minute; who
recorded that, when), a line in the entry's history, and then publishes the entry's
latest version. The decision log (workflows) and the "How entries reached the
register" report read the records.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry, WorkflowState

from partnerships.lifecycle import latest_version
from partnerships.models import ApprovalRecord, Partnership, Status
from partnerships.models.choices import PUBLIC_STATUSES

BACKFILL_ACTION = "partnerships.backfill"
# An entry the council is in, or was in: what a register from before the portal holds.
BACKFILL_STATUSES = (*PUBLIC_STATUSES, Status.CLOSED)


@dataclass(frozen=True)
class Approval:
    """What a register manager gives for a back-fill: the date, the body and its minute."""

    approved_on: object
    approved_by: str
    minute_reference: str = ""

    @classmethod
    def from_data(cls, data):
        return cls(datetime.date.fromisoformat(data["approved_on"]), data["approved_by"], data["minute_reference"])

    def record_for(self, partnership, recorded_by, **fields):
        """This approval as the entry's (unsaved) ``ApprovalRecord``, recorded by ``recorded_by``."""
        return ApprovalRecord(
            partnership=partnership,
            route=ApprovalRecord.Route.BACKFILL,
            approved_on=self.approved_on,
            approved_by=self.approved_by,
            minute_reference=self.minute_reference,
            recorded_by=recorded_by,
            **fields,
        )

    def log_data(self):
        return {
            "approved_on": self.approved_on.isoformat(),
            "approved_by": self.approved_by,
            "minute_reference": self.minute_reference,
        }


class BackfillRefused(Exception):
    pass


def refusal(entry, user=None):
    """Why ``entry`` cannot be back-filled, as a sentence ending "…", or "" when it can."""
    if entry.has_approval_record():
        return "is already approved onto the register"
    current = latest_version(entry)
    if current.status not in BACKFILL_STATUSES:
        return (
            f'is "{current.get_status_display()}": only a partnership the council is or was already in '
            "(active, under review, exiting or closed) can have been approved before the portal; "
            "a proposal goes to Management Board"
        )
    if WorkflowState.objects.for_instance(entry).exists():
        return "has been put to the approval workflow, so its decision is the workflow's"
    if entry.locked and (user is None or entry.locked_by_id != user.pk):
        return "is locked by another user"
    return ""


@transaction.atomic
def record_backfill(entry, user, approval, *, log_uuid=None):
    """Record ``approval`` for one entry and publish its latest version. Returns the ``ApprovalRecord``.

    Raises ``BackfillRefused`` (and changes nothing) when the entry cannot be back-filled.
    """
    entry = Partnership.objects.select_for_update().get(pk=entry.pk)
    problem = refusal(entry, user)
    if problem:
        raise BackfillRefused(f"{entry.reference} {entry.name} {problem}.")
    record = approval.record_for(entry, user)
    record.save(force_insert=True)
    revision = None
    if not entry.live:
        current = latest_version(entry)
        if current.approval_date is None:
            current.approval_date = approval.approved_on
        # A revision that is exactly what goes live, so the history shows what was back-filled.
        revision = current.save_revision(user=user, clean=False, changed=False)
    log(
        instance=entry,
        action=BACKFILL_ACTION,
        user=user,
        revision=revision,
        data=approval.log_data(),
        uuid=log_uuid,
    )
    if revision is not None:
        # The register manager's back-fill permission is the authority here, as the
        # Board's step is for a proposal (workflows.services.approve_step).
        revision.publish(user=user, skip_permission_checks=True)
    return record


def record_backfills(entries, user, approval):
    """Back-fill each entry that can be; returns ``(done, refused)``, refused as sentences."""
    done, refused = [], []
    for entry in entries:
        try:
            done.append(record_backfill(entry, user, approval))
        except BackfillRefused as refusal_:
            refused.append(str(refusal_))
    return done, refused


def approve_in_bulk(partnerships, approvals, *, recorded_by=None, recorded_at=None):
    """Back-fill rows written in bulk (the demonstration register, benchmarks): records, history, live.

    ``approvals`` maps each partnership to its ``Approval``. The rows must already be
    saved, as drafts; they go live only once their records exist, as one UPDATE that
    ``PartnershipQuerySet.update`` checks like ``Partnership.save`` does.
    """
    recorded_at = recorded_at or timezone.now()
    ApprovalRecord.objects.bulk_create(
        [
            approval.record_for(partnership, recorded_by, recorded_at=recorded_at)
            for partnership, approval in zip(partnerships, approvals, strict=True)
        ],
        batch_size=500,
    )
    if not partnerships:
        return
    content_type = partnerships[0].get_base_content_type()
    ModelLogEntry.objects.bulk_create(
        [
            ModelLogEntry(
                content_type=content_type,
                object_id=str(partnership.pk),
                label=str(partnership),
                action=BACKFILL_ACTION,
                timestamp=recorded_at,
                user=recorded_by,
                data=approval.log_data(),
            )
            for partnership, approval in zip(partnerships, approvals, strict=True)
        ],
        batch_size=500,
    )
    Partnership.objects.filter(pk__in=[p.pk for p in partnerships]).update(live=True)
    for partnership in partnerships:
        partnership.live = True
