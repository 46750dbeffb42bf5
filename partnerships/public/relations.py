"""The public parts of an entry's related records, read for many entries at once.

Partners, priorities and areas covered (together, in one query), annual activity
summaries and the meeting notes a register manager marked public: each is one query
for any number of entries, read as plain values (several times cheaper than
``prefetch_related`` through modelcluster) and held on the entry for the public
fields' getters in ``fields``.

Only published rows are read: a draft edit's summaries and notes live in its revision
until it is approved, and notes not marked public are never selected at all.
"""

from collections import defaultdict
from functools import lru_cache

from django.db import connections
from django.db.models import CharField, F, Value

from ..models import ActivitySummary, MeetingNote, Partnership, PartnershipPartner

# Public field name → (attribute the values are held in, function reading them for a list of entry ids).
RELATIONS = {}


def _relation(field_name, attribute):
    def register(reader):
        RELATIONS[field_name] = (attribute, reader)
        return reader

    return register


# Partners, priorities and areas covered are all lists of names: read as one UNION ALL of rows
# (list, entry, position, sort name, link, name, sector), one query whichever of them are asked for.
NAMED_LISTS = {}
COLUMNS = ("row_list", "row_entry", "row_position", "row_sort", "row_link", "row_name", "row_sector")


def _named_list(field_name, attribute, as_pairs=False):
    def register(rows):
        NAMED_LISTS[field_name] = (attribute, rows, as_pairs)
        return rows

    return register


def _text(value):
    return Value(value, output_field=CharField())


def _rows(queryset, field_name, position, sort, name, sector):
    """``queryset`` of one named list as the UNION's columns, each entry's names in order by position then sort."""
    return (
        queryset.order_by()
        .annotate(
            row_list=_text(field_name),
            row_entry=F("partnership_id"),
            row_position=position,
            row_sort=sort,
            row_link=F("pk"),
            row_name=name,
            row_sector=sector,
        )
        .values_list(*COLUMNS)
    )


@_named_list("partners", "_public_partners", as_pairs=True)
def _partners(ids):
    links = PartnershipPartner.objects.filter(partnership_id__in=ids)
    return _rows(links, "partners", F("sort_order"), _text(""), F("organisation__name"), F("organisation__sector"))


@_named_list("council_priorities", "_public_priorities")
def _priorities(ids):
    chosen = Partnership.council_priorities.through.objects.filter(partnership_id__in=ids)
    name = F("councilpriority__name")
    return _rows(chosen, "council_priorities", Value(0), name, name, _text(None))


@_named_list("areas", "_public_areas")
def _areas(ids):
    chosen = Partnership.areas.through.objects.filter(partnership_id__in=ids)
    return _rows(chosen, "areas", Value(0), F("area__name"), F("area__name"), _text(None))


@lru_cache(maxsize=64)
def _named_lists_sql(alias, asked, count):
    """The UNION of the ``asked`` lists for ``count`` entries, as (SQL, params), compiled once per process.

    Only the entries' ids change from one request to the next, and building and compiling
    the querysets cost several times what the database takes to answer. The SQL is compiled
    with stand-in ids -1 to -count (no entry's id is negative); ``_named_list_rows`` puts
    the real ids in their places.
    """
    stand_ins = list(range(-1, -count - 1, -1))
    first, *others = (NAMED_LISTS[field_name][1](stand_ins) for field_name in asked)
    return first.union(*others, all=True).order_by(*COLUMNS[:5]).query.get_compiler(alias).as_sql()


def _named_list_rows(asked, ids):
    alias = Partnership.objects.db
    sql, params = _named_lists_sql(alias, asked, len(ids))
    params = [ids[-value - 1] if type(value) is int and value < 0 else value for value in params]
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _attach_named_lists(entries, ids, names):
    asked = tuple(field_name for field_name in NAMED_LISTS if field_name in names)
    if not asked or not ids:
        for field_name in asked:
            for partnership in entries:
                setattr(partnership, NAMED_LISTS[field_name][0], [])
        return
    values = defaultdict(list)
    for field_name, entry_id, _, _, _, name, sector in _named_list_rows(asked, ids):
        values[field_name, entry_id].append((name, sector) if NAMED_LISTS[field_name][2] else name)
    for field_name in asked:
        attribute = NAMED_LISTS[field_name][0]
        for partnership in entries:
            setattr(partnership, attribute, values[field_name, partnership.pk])


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
    """Reads the named public relations of ``entries``: one query for the lists of names, one for each other list."""
    ids = [partnership.pk for partnership in entries]
    _attach_named_lists(entries, ids, names)
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
