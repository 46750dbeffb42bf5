"""Writing lifecycle fields (status, approval and due dates, the year's activity summary) onto an entry.

One way for every writer (the approval workflow's steps, progress reports, annual
reviews): the entry's latest version with the fields set, saved as a new revision,
so the edit form, a draft waiting for approval and publishing all read the new
values and the entry's history shows who changed them. The fields are also written
to the entry's row, which the register's lists, reports and reminders read: a
report or review is a record of a fact, not an edit that waits for approval.
"""

from django.db.models import prefetch_related_objects

from .models import Partnership
from .models.revision_loading import checked_together


def latest_version(entry):
    """The entry as its latest revision has it (a draft's children in memory)."""
    return entry.get_latest_revision_as_object() if entry.latest_revision_id else entry


def latest(partnership):
    """``latest_version`` read afresh from the database.

    Afresh, because the instance a signal hands over may have been loaded before the
    request saved its revision (a workflow state caches its object).
    """
    return latest_version(Partnership.objects.get(pk=partnership.pk))


def latest_versions(pks, *, children=()):
    """``latest`` of many entries, {pk: version}, in a fixed number of queries whatever their number.

    ``children`` are the child relations the caller reads: a version from a revision holds
    them in memory already; an entry read from its row has them fetched for all at once.
    """
    entries = list(Partnership.objects.filter(pk__in=pks).select_related("latest_revision"))
    drafts = {entry.pk for entry in entries if entry.latest_revision_id and entry.has_unpublished_changes}
    rows = [entry for entry in entries if entry.pk not in drafts]
    if children:
        prefetch_related_objects(rows, *children)
    contents = [entry.latest_revision.content for entry in entries if entry.pk in drafts]
    with checked_together(Partnership, contents):
        return {
            entry.pk: entry.with_content_json(entry.latest_revision.content) if entry.pk in drafts else entry
            for entry in entries
        }


def record_on_entry(partnership, user, *, children=None, **fields):
    """Set ``fields`` (and replace the ``children`` relations given) as a new revision and on the row.

    ``children`` maps a child relation's name to the full list of its items; the
    items must already be saved rows (the row keeps its own children).
    """
    entry = latest(partnership)
    for name, value in fields.items():
        setattr(entry, name, value)
    for name, items in (children or {}).items():
        setattr(entry, name, items)
    # Not a content change: a live entry keeps "no unpublished changes".
    revision = entry.save_revision(user=user, clean=False, changed=False)
    if not fields:
        return entry, revision
    if entry.live:
        # The live row changes without a save: nothing about the published entry is re-saved.
        Partnership.objects.filter(pk=partnership.pk).update(**fields)
    else:
        # Never published, so the row is the draft too (the admin saves both).
        entry.save(update_fields=list(fields))
    for name, value in fields.items():
        setattr(partnership, name, value)
    return entry, revision
