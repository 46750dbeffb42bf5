"""What the public may know about a partnership, declared once.

Every public output — the register pages, the CSV and JSON open data, site search
and the API — builds what it shows from ``public_record()``, over entries read by
``fetch_public()`` (or ``public_records_in_bulk()`` for the whole register at once).
Those read only the columns the public fields name, so an internal field is not even
loaded into memory for a public page.
A field that is not in ``PUBLIC_FIELDS`` cannot reach the public, and adding one
here publishes it everywhere at once, with its label and description (which
document the open-data columns).

Internal fields (officers, money, risk, governance documents, review dates,
meeting notes) are deliberately absent.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache
from itertools import islice

from django.db.models import Max
from django.utils import timezone

from ..models import Partnership, PartnershipPartner, Sector


@dataclass(frozen=True)
class PublicField:
    name: str
    label: str
    description: str
    get: Callable

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
        return str(value)


def _item_text(item):
    if isinstance(item, dict):
        return f"{item['name']} ({item['sector']})"
    return str(item)


def _reads(*columns):
    """Records on a getter which columns it reads (``field__name`` across a foreign key)."""

    def mark(getter):
        getter.columns = columns
        return getter

    return mark


def _attr(name):
    return _reads(name)(lambda p: getattr(p, name))


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
    if "_public_partners" in p.__dict__:
        return p._public_partners
    return [(link.organisation.name, link.organisation.sector) for link in p.partners.all()]


def _priority_names(p):
    if "_public_priorities" in p.__dict__:
        return p._public_priorities
    return [priority.name for priority in p.council_priorities.all()]


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
    ),
    PublicField(
        "council_priorities",
        "Council priorities supported",
        "The council priorities the partnership contributes to.",
        _priority_names,
    ),
    PublicField(
        "service_area",
        "Service area",
        "The council service responsible for the council's involvement.",
        _reads("service_area__name")(lambda p: p.service_area.name if p.service_area else ""),
    ),
    PublicField("start_date", "Start date", "When the council joined (YYYY-MM-DD).", _attr("start_date")),
    PublicField(
        "end_date", "End date", "When the council's involvement ends, if known (YYYY-MM-DD).", _attr("end_date")
    ),
    PublicField("last_updated", "Last updated", "When this entry was last published (YYYY-MM-DD).", _last_updated),
]

PUBLIC_FIELD_NAMES = [field.name for field in PUBLIC_FIELDS]


def public_queryset(queryset=None):
    """Published public entries and nothing fetched with them: for counts, dates and aggregates."""
    queryset = Partnership.objects.all() if queryset is None else queryset
    return queryset.public()


def _columns(names):
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
    columns = _columns(names)
    entries = public_queryset(queryset)
    if any(column.startswith("service_area__") for column in columns):
        entries = entries.select_related("service_area")
    return entries.only(*columns)


def attach_public_relations(entries, names=None):
    """Reads the partners and priorities of ``entries`` as plain values, one query for each that is named.

    Several times cheaper than ``prefetch_related`` through modelcluster, and the
    same data ``public_record`` would read through the relations.
    """
    names = PUBLIC_FIELD_NAMES if names is None else names
    ids = [partnership.pk for partnership in entries]
    if "partners" in names:
        partners = defaultdict(list)
        links = PartnershipPartner.objects.filter(partnership_id__in=ids).order_by("partnership_id", "sort_order", "pk")
        for partnership_id, name, sector in links.values_list(
            "partnership_id", "organisation__name", "organisation__sector"
        ):
            partners[partnership_id].append((name, sector))
        for partnership in entries:
            partnership._public_partners = partners[partnership.pk]
    if "council_priorities" in names:
        priorities = defaultdict(list)
        through = Partnership.council_priorities.through
        chosen = through.objects.filter(partnership_id__in=ids).order_by("partnership_id", "councilpriority__name")
        for partnership_id, name in chosen.values_list("partnership_id", "councilpriority__name"):
            priorities[partnership_id].append(name)
        for partnership in entries:
            partnership._public_priorities = priorities[partnership.pk]
    return entries


def fetch_public(entries, names=None):
    """The entries of a ``public_entries`` queryset as a list, ready for ``public_record(entry, names)``."""
    return attach_public_relations(list(entries), names)


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

    Three queries a chunk: the entries, then their partners and their priorities.
    Yields partnerships ready for ``public_record`` / ``public_row``.
    """
    entries = public_entries().order_by("reference").iterator(chunk_size=chunk_size)
    while chunk := list(islice(entries, chunk_size)):
        yield from attach_public_relations(chunk)
