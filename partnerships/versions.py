"""Which version of a register entry to read."""

from .models import Partnership


def latest(partnership):
    """The entry as its latest revision has it (a draft's children in memory), read afresh.

    Afresh, because the instance a signal hands over may have been loaded before the
    request saved its revision (a workflow state caches its object).
    """
    fresh = Partnership.objects.get(pk=partnership.pk)
    return fresh.get_latest_revision_as_object() if fresh.latest_revision_id else fresh
