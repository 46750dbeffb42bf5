"""Saving a checked import plan: all of it, in one transaction (``service.import_file`` checks first).

Rows that update an entry go through Wagtail's own ``save``/``save_revision``, as the
editor would. New entries are written in batches — rows, partner links, priorities,
revisions, log entries — which is what makes 10,000 rows take seconds rather than
minutes; each gets the revision ``save_revision`` would write. Their search and
reference index entries follow in a task once the transaction commits (``indexing``).
"""

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import islice

from django.db import connection, transaction
from django.db.models import CharField, F, OuterRef, Subquery
from django.db.models.functions import Cast, Now
from django.utils import timezone
from django.utils.text import slugify
from wagtail.log_actions import LogContext, log
from wagtail.log_actions import registry as log_registry
from wagtail.models import Revision

from partnerships.backfill.services import BACKFILL_STATUSES, BackfillRefused, record_backfill
from partnerships.models import Partnership, PartnershipPartner
from partnerships.models.references import PARTNERSHIP_COUNTER, ReferenceCounter, format_reference
from portal import celery_app

CREATE, UPDATE, UNCHANGED, DUPLICATE = "create", "update", "unchanged", "duplicate"
BATCH = 500


@dataclass
class ImportResult:
    created: list = field(default_factory=list)  # (pk, reference, name)
    updated: list = field(default_factory=list)
    unchanged: int = 0
    partners_created: list = field(default_factory=list)
    backfilled: list = field(default_factory=list)  # (pk, reference, name)
    backfill_refused: list = field(default_factory=list)  # sentences
    # Rows saying the council is already in the partnership, left as drafts for want of a recorded back-fill.
    in_force_drafts: list = field(default_factory=list)  # (pk, reference, name)
    duplicates: list = field(default_factory=list)  # (row, name, reference of the entry it repeats)

    def as_dict(self, limit=200):
        return {
            "backfilled_count": len(self.backfilled),
            "backfilled": self.backfilled[:limit],
            "backfill_refused": self.backfill_refused[:limit],
            "in_force_drafts_count": len(self.in_force_drafts),
            "in_force_drafts": self.in_force_drafts[:limit],
            "duplicates_count": len(self.duplicates),
            "duplicates": self.duplicates[:limit],
            "created_count": len(self.created),
            "updated_count": len(self.updated),
            "unchanged": self.unchanged,
            "partners_created": self.partners_created,
            "created": self.created[:limit],
            "updated": self.updated[:limit],
        }


def _no_progress(stage, done, total):
    pass


def apply_plan(plan, *, user=None, progress=None, log_uuid=None, backfill=None):
    """Save a valid plan in one transaction. Call within ``import_file`` (which checks first).

    With ``backfill`` (a ``backfill.services.Approval``), every entry in the file whose
    status says the council is already in it is then recorded as approved before the
    portal and published, as the admin's back-fill does one at a time.
    """
    if not plan.is_valid:
        raise ValueError("An import plan with problems cannot be applied.")
    progress = progress or _no_progress
    creates = [row for row in plan.rows if row.action == CREATE]
    updates = [row for row in plan.rows if row.action == UPDATE]
    total, done = len(creates) + len(updates), 0
    result = ImportResult(
        unchanged=plan.count(UNCHANGED),
        duplicates=[(row.row, row.name, row.duplicate_of) for row in plan.rows if row.action == DUPLICATE],
    )
    with transaction.atomic(), LogContext(user=user) as log_context:
        if log_uuid:
            log_context.uuid = uuid.UUID(str(log_uuid))
        for organisation in plan.new_partners.values():
            organisation.save()
            result.partners_created.append(organisation.name)
        writer = EntryWriter(user, log_context.uuid)
        references = iter(_allocate_references(len(creates)))
        for batch in _batches(creates, BATCH):
            entries = [row.entry for row in batch]
            writer.create(entries, references)
            result.created.extend((entry.pk, entry.reference, entry.name) for entry in entries)
            done += len(batch)
            progress("saving", done, total)
        if result.created:
            _index_after_commit([pk for pk, _, _ in result.created])
        for row in updates:
            writer.update(row.entry)
            result.updated.append((row.entry.pk, row.entry.reference, row.entry.name))
            done += 1
            if done % 100 == 0 or done == total:
                progress("saving", done, total)
        if backfill is not None:
            _backfill(plan, result, user, backfill, log_uuid)
        else:
            result.in_force_drafts = [
                (row.entry.pk, row.entry.reference, row.entry.name) for row in creates + updates if row.in_force
            ]
    return result


def _backfill(plan, result, user, approval, log_uuid):
    pks = [pk for pk, _, _ in result.created] + [pk for pk, _, _ in result.updated]
    references = [row.reference for row in plan.rows if row.action == UNCHANGED and row.reference]
    entries = Partnership.objects.filter(pk__in=pks) | Partnership.objects.filter(reference__in=references)
    for entry in entries.filter(live=False, approval_record__isnull=True).order_by("reference"):
        current = entry.get_latest_revision_as_object() if entry.latest_revision_id else entry
        if current.status not in BACKFILL_STATUSES:
            continue  # a proposal in the file stays a draft, for the approval workflow
        try:
            record_backfill(entry, user, approval, log_uuid=log_uuid)
        except BackfillRefused as refusal:
            result.backfill_refused.append(str(refusal))
        else:
            result.backfilled.append((entry.pk, entry.reference, entry.name))


def _index_after_commit(pks):
    """What ``post_save`` would have queued for each new entry: search and reference indexing (see ``indexing``)."""
    # Found in Celery's registry by name: the tasks module imports the import service, which imports this one.
    index_register_entries = celery_app.tasks["partnerships.tasks.index_register_entries"]
    for batch in _batches(pks, 1000):
        index_register_entries.delay_on_commit(batch)


def _batches(items, size):
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _allocate_references(count):
    """A block of ``count`` new references in two queries (``allocate_reference`` takes three per entry)."""
    if not count:
        return []
    ReferenceCounter.objects.get_or_create(name=PARTNERSHIP_COUNTER)
    counter = ReferenceCounter.objects.filter(name=PARTNERSHIP_COUNTER)
    counter.update(last_value=F("last_value") + count)
    last = counter.values_list("last_value", flat=True).get()
    return [format_reference(number) for number in range(last - count + 1, last + 1)]


class EntryWriter:
    def __init__(self, user, log_uuid):
        self.user = user
        self.log_uuid = log_uuid
        self.content_type = Partnership().get_base_content_type()
        self.log_model = log_registry.get_log_model_for_model(Partnership)
        self.slugs = set(Partnership.objects.values_list("slug", flat=True))
        self.slug_suffixes = defaultdict(int)
        priorities = Partnership._meta.get_field("council_priorities")
        self.through = priorities.remote_field.through
        self.through_fields = (f"{priorities.m2m_field_name()}_id", f"{priorities.m2m_reverse_field_name()}_id")
        self.bulk = connection.features.can_return_rows_from_bulk_insert

    def update(self, entry):
        """As Wagtail's edit view saves: a draft is saved and revised; a live entry is only revised."""
        if not entry.live:
            entry.save()
        revision = entry.save_revision(user=self.user, clean=False)
        log(instance=entry, action="wagtail.edit", user=self.user, revision=revision, content_changed=True)

    def create(self, entries, references):
        for entry in entries:
            entry.reference = next(references)
            entry.slug = self._unique_slug(entry)
            entry.live = False
        if not self.bulk:  # pragma: no cover - PostgreSQL and SQLite ≥ 3.35 return ids from bulk inserts
            for entry in entries:
                entry.save()
                revision = entry.save_revision(user=self.user, clean=False)
                log(instance=entry, action="wagtail.create", user=self.user, revision=revision, content_changed=True)
            return
        now = timezone.now()
        Partnership.objects.bulk_create(entries)
        self._create_children(entries)
        revisions = Revision.objects.bulk_create(
            [
                Revision(
                    content_type=self.content_type,
                    base_content_type=self.content_type,
                    object_id=str(entry.pk),
                    # The database's clock, as an expression: it also keeps Django off the UNNEST
                    # bulk insert, whose array escaping of every quote in the JSON content costs
                    # PostgreSQL imports about a second per 10,000 revisions.
                    created_at=Now(),
                    user=self.user,
                    content=entry.serializable_data(),
                    object_str=str(entry),
                )
                for entry in entries
            ]
        )
        for entry, revision in zip(entries, revisions, strict=True):
            entry.latest_revision = revision
            entry.has_unpublished_changes = True
        # One UPDATE for the batch (bulk_update's CASE per row is slow): each entry's newest revision.
        newest = Revision.objects.filter(
            base_content_type=self.content_type, object_id=Cast(OuterRef("pk"), CharField())
        ).order_by("-pk")
        Partnership.objects.filter(pk__in=[entry.pk for entry in entries]).update(
            latest_revision=Subquery(newest.values("pk")[:1]), has_unpublished_changes=True
        )
        if self.log_model is not None:
            self.log_model.objects.bulk_create(
                [
                    self.log_model(
                        content_type=self.content_type,
                        object_id=str(entry.pk),
                        label=str(entry),
                        action="wagtail.create",
                        timestamp=now,
                        data={},
                        uuid=self.log_uuid,
                        user=self.user,
                        revision=revision,
                        content_changed=True,
                    )
                    for entry, revision in zip(entries, revisions, strict=True)
                ]
            )

    def _create_children(self, entries):
        links, through_rows = [], []
        source_field, target_field = self.through_fields
        for entry in entries:
            for order, link in enumerate(entry.partners.all()):
                link.partnership = entry
                link.sort_order = order
                links.append(link)
            through_rows.extend(
                self.through(**{source_field: entry.pk, target_field: priority.pk})
                for priority in entry.council_priorities.all()
            )
        PartnershipPartner.objects.bulk_create(links)
        self.through.objects.bulk_create(through_rows)

    def _unique_slug(self, entry):
        """``Partnership._unique_slug`` without a query per attempt: the register's slugs are read once."""
        base = slugify(entry.name)[:240] or slugify(entry.reference)
        slug = base
        while slug in self.slugs:
            self.slug_suffixes[base] = max(self.slug_suffixes[base], 1) + 1
            slug = f"{base}-{self.slug_suffixes[base]}"
        self.slugs.add(slug)
        return slug
