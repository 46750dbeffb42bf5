"""Writing lifecycle fields (status, approval and due dates, the year's activity summary) onto an entry.

One way for every writer (the approval workflow's steps, progress reports, annual
reviews): the entry's latest version with the fields set, saved as a new revision,
so the edit form, a draft waiting for approval and publishing all read the new
values and the entry's history shows who changed them. The fields are also written
to the entry's row, which the register's lists, reports and reminders read: a
report or review is a record of a fact, not an edit that waits for approval.
"""

from .models import Partnership


def latest_version(entry):
    """The entry as its latest revision has it (a draft's children in memory)."""
    return entry.get_latest_revision_as_object() if entry.latest_revision_id else entry


def latest(partnership):
    """``latest_version`` read afresh from the database.

    Afresh, because the instance a signal hands over may have been loaded before the
    request saved its revision (a workflow state caches its object).
    """
    return latest_version(Partnership.objects.get(pk=partnership.pk))


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
