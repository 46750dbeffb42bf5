"""The public parts of an entry's related records, read for many entries at once.

Partners, priorities, areas covered, annual activity summaries and the meeting notes a
register manager marked public: each is one query for any number of entries, read as
plain values (several times cheaper than ``prefetch_related`` through modelcluster)
and held on the entry for the public fields' getters in ``fields``.

Only published rows are read: a draft edit's summaries and notes live in its revision
until it is approved, and notes not marked public are never selected at all.
"""

from collections import defaultdict

from ..models import ActivitySummary, MeetingNote, Partnership, PartnershipPartner

# Public field name → (attribute the values are held in, function reading them for a list of entry ids).
RELATIONS = {}


def _relation(field_name, attribute):
    def register(reader):
        RELATIONS[field_name] = (attribute, reader)
        return reader

    return register


@_relation("partners", "_public_partners")
def _partners(ids):
    links = PartnershipPartner.objects.filter(partnership_id__in=ids).order_by("partnership_id", "sort_order", "pk")
    return links.values_list("partnership_id", "organisation__name", "organisation__sector")


@_relation("council_priorities", "_public_priorities")
def _priorities(ids):
    through = Partnership.council_priorities.through
    chosen = through.objects.filter(partnership_id__in=ids).order_by("partnership_id", "councilpriority__name")
    return chosen.values_list("partnership_id", "councilpriority__name")


@_relation("areas", "_public_areas")
def _areas(ids):
    through = Partnership.areas.through
    chosen = through.objects.filter(partnership_id__in=ids).order_by("partnership_id", "area__name")
    return chosen.values_list("partnership_id", "area__name")


@_relation("activity_summaries", "_public_summaries")
def _summaries(ids):
    summaries = ActivitySummary.objects.filter(partnership_id__in=ids).order_by("partnership_id", "-year", "pk")
    return summaries.values_list("partnership_id", "year", "summary")


@_relation("meeting_notes", "_public_meeting_notes")
def _meeting_notes(ids):
    # Never by default: only notes a register manager ticked "publish these notes".
    notes = MeetingNote.objects.filter(partnership_id__in=ids, publish_notes=True).order_by(
        "partnership_id", "-date", "pk"
    )
    return notes.values_list("partnership_id", "date", "notes")


def attach_public_relations(entries, names):
    """Reads the named public relations of ``entries``, one query for each that is named."""
    ids = [partnership.pk for partnership in entries]
    for field_name, (attribute, reader) in RELATIONS.items():
        if field_name not in names:
            continue
        values = defaultdict(list)
        for partnership_id, *row in reader(ids):
            values[partnership_id].append(tuple(row) if len(row) > 1 else row[0])
        for partnership in entries:
            setattr(partnership, attribute, values[partnership.pk])
    return entries


def held(partnership, attribute, read):
    """What ``attach_public_relations`` held on the entry, or ``read()`` when it was not asked."""
    if attribute in partnership.__dict__:
        return partnership.__dict__[attribute]
    return read()
