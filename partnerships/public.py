"""What the public may know about a partnership, declared once.

Every public output — the register pages, the CSV and JSON open data, site search
and the API — builds what it shows from ``public_record()``, over entries from
``public_entries()`` (or ``public_records_in_bulk()`` for the whole register at once).
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

from django.db.models import Max, Prefetch
from django.utils import timezone

from .models import Partnership, PartnershipPartner, Sector


@dataclass(frozen=True)
class PublicField:
    name: str
    label: str
    description: str
    get: Callable

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


def _attr(name):
    return lambda p: getattr(p, name)


@cache
def _labels(name):
    return {value: str(label) for value, label in Partnership._meta.get_field(name).flatchoices}


def _display(name):
    # The same as get_<name>_display(), which rebuilds the choices on every call: the
    # open-data files call this a hundred thousand times.
    return lambda p: _labels(name).get(getattr(p, name), getattr(p, name)) if getattr(p, name) else ""


SECTOR_LABELS = {value: str(label) for value, label in Sector.choices}


def _partner_pairs(p):
    """(name, sector) of each partner, from ``public_records_in_bulk()`` when it read them, else the relation."""
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
        lambda p: p.service_area.name if p.service_area else "",
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


def _prefetches(names):
    # What each related public field reads, so a list showing only some fields fetches only those.
    lookups = []
    if "partners" in names:
        lookups.append(Prefetch("partners", queryset=PartnershipPartner.objects.select_related("organisation")))
    if "council_priorities" in names:
        lookups.append("council_priorities")
    return lookups


def public_entries(queryset=None, names=None):
    """Published public entries, with everything ``public_record`` reads fetched in a fixed number of queries.

    ``names`` (default: every public field) limits what is fetched to what
    ``public_record(partnership, names)`` will read.
    """
    names = PUBLIC_FIELD_NAMES if names is None else names
    return public_queryset(queryset).select_related("service_area").prefetch_related(*_prefetches(names))


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

    The same entries and the same ``public_record()`` as ``public_entries()``, but the
    partners and priorities of each chunk are read as plain values (two queries a
    chunk) rather than as model instances, which is several times faster for the
    whole register. Yields partnerships ready for ``public_record`` / ``public_row``.
    """
    entries = public_queryset().select_related("service_area").order_by("reference").iterator(chunk_size=chunk_size)
    through = Partnership.council_priorities.through
    while chunk := list(islice(entries, chunk_size)):
        ids = [partnership.pk for partnership in chunk]
        partners, priorities = defaultdict(list), defaultdict(list)
        links = PartnershipPartner.objects.filter(partnership_id__in=ids).order_by("partnership_id", "sort_order", "pk")
        for partnership_id, name, sector in links.values_list(
            "partnership_id", "organisation__name", "organisation__sector"
        ):
            partners[partnership_id].append((name, sector))
        chosen = through.objects.filter(partnership_id__in=ids).order_by("partnership_id", "councilpriority__name")
        for partnership_id, name in chosen.values_list("partnership_id", "councilpriority__name"):
            priorities[partnership_id].append(name)
        for partnership in chunk:
            partnership._public_partners = partners[partnership.pk]
            partnership._public_priorities = priorities[partnership.pk]
            yield partnership
