"""What the public may know about a partnership, declared once.

Every public output — the register pages, the CSV and JSON open data, site search
and the API — builds what it shows from ``public_record()``, over entries read by
``fetch_public()`` (``listing.fetch_listed()`` for lists, ``public_records_in_bulk()`` for the
whole register at once).
Those read only the columns the public fields name, so an internal field is not even
loaded into memory for a public page.
A field that is not in ``PUBLIC_FIELDS`` cannot reach the public, and adding one
here publishes it everywhere at once, with its label and description (which
document the open-data columns).

Money is the council's own contribution as recorded (cash and in-kind officer time);
external funding, notes on officer time, officers (unless the council names the lead
officer as an entry's contact), risk, governance documents, review dates and meeting
notes not marked public are deliberately absent. Each field's ``kind`` says how its
value is shown and typed (money in pounds, dates, lists), for pages and open data alike.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache
from itertools import islice

from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from ..models import ApprovalRecord, Partnership, PublicContact, Sector
from .relations import attach_public_relations, held


@dataclass(frozen=True)
class PublicField:
    name: str
    label: str
    description: str
    get: Callable
    # text, money (pounds), number, date, list, contact: how pages show it and open data types it.
    kind: str = "text"

    @property
    def columns(self):
        """The model columns ``get`` reads; partners and priorities come from ``attach_public_relations``."""
        return getattr(self.get, "columns", ())

    def text(self, value):
        """The value as one CSV cell."""
        if value is None:
            return ""
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, list):
            return "; ".join(_item_text(item) for item in value)
        if isinstance(value, dict):
            return f"{value['name']} <{value['email']}>"
        return str(value)


def _item_text(item):
    if not isinstance(item, dict):
        return str(item)
    if "sector" in item:
        return f"{item['name']} ({item['sector']})"
    if "year" in item:
        return f"{item['year']}: {item['summary']}"
    return f"{item['date'].isoformat()}: {item['notes']}"


def _reads(*columns):
    """Records on a getter which columns it reads (``field__name`` across a foreign key)."""

    def mark(getter):
        getter.columns = columns
        return getter

    return mark


def _attr(name):
    return _reads(name)(lambda p: getattr(p, name))


def _across(column):
    """A column across a foreign key (``service_area__name``): held by a ``ListedEntry``, else through the relation."""
    relation, name = column.split("__")

    def get(p):
        if column in p.__dict__:
            return p.__dict__[column] or ""
        related = getattr(p, relation)
        return getattr(related, name) if related else ""

    return _reads(column)(get)


@cache
def _labels(name):
    return {value: str(label) for value, label in Partnership._meta.get_field(name).flatchoices}


def _display(name):
    # The same as get_<name>_display(), which rebuilds the choices on every call: the
    # open-data files call this a hundred thousand times.
    return _reads(name)(lambda p: _labels(name).get(getattr(p, name), getattr(p, name)) if getattr(p, name) else "")


SECTOR_LABELS = {value: str(label) for value, label in Sector.choices}


def _partner_pairs(p):
    """(name, sector) of each partner, from ``attach_public_relations()`` when it read them, else the relation."""
    return held(
        p, "_public_partners", lambda: [(link.organisation.name, link.organisation.sector) for link in p.partners.all()]
    )


def _priority_names(p):
    return held(p, "_public_priorities", lambda: [priority.name for priority in p.council_priorities.all()])


def _area_names(p):
    return held(p, "_public_areas", lambda: sorted(area.name for area in p.areas.all()))


def _summaries(p):
    rows = held(p, "_public_summaries", lambda: [(s.year, s.summary) for s in p.activity_summaries.all()])
    return [{"year": year, "summary": summary} for year, summary in rows]


def _meeting_notes(p):
    rows = held(
        p, "_public_meeting_notes", lambda: [(n.date, n.notes) for n in p.meeting_notes.all() if n.publish_notes]
    )
    return [{"date": day, "notes": notes} for day, notes in rows]


@_reads("public_contact", "lead_officer__first_name", "lead_officer__last_name", "lead_officer__email")
def _contact(p):
    """The team's mailbox, unless the council chose the lead officer's work email for this entry."""
    officer = p.lead_officer if p.public_contact == PublicContact.LEAD_OFFICER else None
    if officer is not None and officer.email:
        return {"name": officer.get_full_name() or "Lead officer", "email": officer.email}
    return {"name": settings.PARTNERSHIPS_TEAM_NAME, "email": settings.PARTNERSHIPS_TEAM_EMAIL}


APPROVAL_COLUMNS = tuple(
    f"approval_record__{name}" for name in ("route", "approved_on", "approved_by", "minute_reference")
)


def _approval(p):
    try:
        return p.approval_record
    except ApprovalRecord.DoesNotExist:
        return None


@_reads(*APPROVAL_COLUMNS)
def _approved_on(p):
    record = _approval(p)
    return record.approved_on if record else None


@_reads(*APPROVAL_COLUMNS)
def _approved_by(p):
    """The body that approved it with its minute, or that it was approved before the register was kept here."""
    record = _approval(p)
    if record is None:
        return ""
    text = record.approved_by
    if record.minute_reference:
        text += f", minute {record.minute_reference}"
    if record.route == ApprovalRecord.Route.BACKFILL:
        text += " (approved before the online register; taken from the council's earlier records)"
    return text


def _partners(p):
    return [{"name": name, "sector": SECTOR_LABELS.get(sector, sector)} for name, sector in _partner_pairs(p)]


def local_date(moment):
    # The council's calendar date, not UTC's: a publication at 00:30 BST is dated that day.
    return timezone.localdate(moment) if moment else None


@_reads("last_published_at", "first_published_at")
def _last_updated(p):
    return local_date(p.last_published_at or p.first_published_at)


PUBLIC_FIELDS = [
    PublicField(
        "reference", "Reference", "The register's reference for the partnership, e.g. P-0042.", _attr("reference")
    ),
    PublicField("name", "Name", "The partnership's name.", _attr("name")),
    PublicField("slug", "Identifier", "The last part of the entry's address on the public register.", _attr("slug")),
    PublicField("status", "Status", "Active, under review or exiting.", _display("status")),
    PublicField("purpose", "Purpose and aims", "Why the partnership exists and what it aims to do.", _attr("purpose")),
    PublicField(
        "shared_objective",
        "Shared objective",
        "The objective the partners work together to secure.",
        _attr("shared_objective"),
    ),
    PublicField("level", "Level", "Strategic or operational.", _display("level")),
    PublicField("basis", "Basis", "Statutory (required by law) or voluntary.", _display("basis")),
    PublicField("membership", "Membership", "Single organisation or multi-organisation.", _display("membership")),
    PublicField(
        "geography",
        "Geography",
        "National, regional, county, sub-regional, district or sub-district.",
        _display("geography"),
    ),
    PublicField(
        "areas",
        "Areas covered",
        "The council's wards or places the partnership works in, if it works in particular ones.",
        _area_names,
        "list",
    ),
    PublicField(
        "council_role",
        "Council's role",
        "Lead partner, accountable body, active member, supporting, or funder only.",
        _display("council_role"),
    ),
    PublicField(
        "rules_of_engagement",
        "Council's involvement",
        "What the council does in the partnership.",
        _attr("rules_of_engagement"),
    ),
    PublicField("legal_status", "Legal status", "The partnership's legal form.", _display("legal_status")),
    PublicField(
        "partners",
        "Partner organisations",
        "The other organisations in the partnership, each with its sector.",
        _partners,
        "list",
    ),
    PublicField(
        "council_priorities",
        "Council priorities supported",
        "The council priorities the partnership contributes to.",
        _priority_names,
        "list",
    ),
    PublicField(
        "service_area",
        "Service area",
        "The council service responsible for the council's involvement.",
        _across("service_area__name"),
    ),
    PublicField(
        "annual_contribution",
        "Council's financial contribution (£ a year)",
        "The money the council puts into the partnership each year, in pounds.",
        _attr("annual_contribution"),
        "money",
    ),
    PublicField(
        "in_kind_hours",
        "Council officer time (hours a year)",
        "The council officers' time given to the partnership each year, as recorded.",
        _attr("in_kind_hours"),
        "number",
    ),
    PublicField(
        "in_kind_value",
        "Value of council officer time (£ a year)",
        "The estimated cost of that officer time each year, in pounds.",
        _attr("in_kind_value"),
        "money",
    ),
    PublicField(
        "contact",
        "Contact",
        "Who to ask about the partnership: the council's partnerships team or the lead officer (name and email).",
        _contact,
        "contact",
    ),
    PublicField(
        "approved_on",
        "Date approved",
        "When the council approved its part in the partnership (YYYY-MM-DD).",
        _approved_on,
        "date",
    ),
    PublicField(
        "approved_by",
        "Approved by",
        "The body that approved it, with the minute reference where there is one.",
        _approved_by,
    ),
    PublicField("start_date", "Start date", "When the council joined (YYYY-MM-DD).", _attr("start_date"), "date"),
    PublicField(
        "end_date",
        "End date",
        "When the council's involvement ends, if known (YYYY-MM-DD).",
        _attr("end_date"),
        "date",
    ),
    PublicField(
        "activity_summaries",
        "Annual activity summaries",
        "What the partnership did each year, newest first.",
        _summaries,
        "list",
    ),
    PublicField(
        "meeting_notes",
        "Meeting notes",
        "Notes of the partnership's meetings that the council has published, newest first.",
        _meeting_notes,
        "list",
    ),
    PublicField(
        "last_updated", "Last updated", "When this entry was last published (YYYY-MM-DD).", _last_updated, "date"
    ),
]

PUBLIC_FIELD_NAMES = [field.name for field in PUBLIC_FIELDS]


def public_queryset(queryset=None):
    """Published public entries and nothing fetched with them: for counts, dates and aggregates."""
    queryset = Partnership.objects.all() if queryset is None else queryset
    return queryset.public()


def public_columns(names):
    """The model columns the named public fields read (``field__name`` across a foreign key), with the id and status."""
    columns = {"pk", "status"}  # the status also colours the entry's tag
    for field in PUBLIC_FIELDS:
        if field.name in names:
            columns.update(field.columns)
    return sorted(columns)


def public_entries(queryset=None, names=None):
    """Published public entries, reading only the columns that the named public fields need.

    ``names`` (default: every public field) are the fields ``public_record`` will be
    asked for. Evaluate the queryset with ``fetch_public`` so the partners and
    priorities of all the entries come in one query each.
    """
    names = PUBLIC_FIELD_NAMES if names is None else names
    columns = public_columns(names)
    entries = public_queryset(queryset)
    related = sorted({column.split("__")[0] for column in columns if "__" in column})
    if related:
        entries = entries.select_related(*related)
    return entries.only(*columns)


def fetch_public(entries, names=None):
    """The entries of a ``public_entries`` queryset as a list, ready for ``public_record(entry, names)``.

    Each related list named (partners, priorities, areas, summaries, public meeting
    notes) comes in one query for all the entries.
    """
    return attach_public_relations(list(entries), PUBLIC_FIELD_NAMES if names is None else names)


def public_record(partnership, names=None):
    """The public fields of one entry (or only those named), in order, as JSON-ready values (lists stay lists)."""
    fields = PUBLIC_FIELDS if names is None else [field for field in PUBLIC_FIELDS if field.name in names]
    return {field.name: field.get(partnership) for field in fields}


def public_row(partnership):
    """The public fields of one entry as CSV cells, in ``PUBLIC_FIELDS`` order."""
    record = public_record(partnership)
    return [field.text(record[field.name]) for field in PUBLIC_FIELDS]


def public_last_updated():
    """When the public register last changed: the newest publication of a public entry (a date, or None)."""
    return local_date(public_queryset().aggregate(newest=Max("last_published_at"))["newest"])


def public_locations():
    """(slug, last published) of every public entry, in one query: enough to link to each."""
    return public_queryset().order_by("name", "pk").values_list("slug", "last_published_at")


def public_records_in_bulk(chunk_size=1000):
    """Every public entry, in reference order, for the open-data files: memory and queries bounded by chunk.

    Four queries a chunk: the entries, their partners, priorities and areas (one query), summaries and public notes.
    Yields partnerships ready for ``public_record`` / ``public_row``.
    """
    entries = public_entries().order_by("reference").iterator(chunk_size=chunk_size)
    while chunk := list(islice(entries, chunk_size)):
        yield from attach_public_relations(chunk, PUBLIC_FIELD_NAMES)
