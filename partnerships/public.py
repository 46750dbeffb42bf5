"""What the public may know about a partnership, declared once.

Every public output — the register pages, the CSV and JSON open data, site search
and the API — builds what it shows from ``public_record()``, over entries from
``public_entries()``. A field that is not in ``PUBLIC_FIELDS`` cannot reach the
public, and adding one here publishes it everywhere at once, with its label and
description (which document the open-data columns).

Internal fields (officers, money, risk, governance documents, review dates,
meeting notes) are deliberately absent.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch

from .models import Partnership, PartnershipPartner


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


def _display(name):
    return lambda p: getattr(p, f"get_{name}_display")() if getattr(p, name) else ""


def _partners(p):
    return [
        {"name": link.organisation.name, "sector": link.organisation.get_sector_display()} for link in p.partners.all()
    ]


def _last_updated(p):
    published = p.last_published_at or p.first_published_at
    return published.date() if published else None


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
        lambda p: [priority.name for priority in p.council_priorities.all()],
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


def public_entries(queryset=None):
    """Published public entries, with everything ``public_record`` reads fetched in a fixed number of queries."""
    queryset = Partnership.objects.all() if queryset is None else queryset
    return (
        queryset.public()
        .select_related("service_area")
        .prefetch_related(
            Prefetch("partners", queryset=PartnershipPartner.objects.select_related("organisation")),
            "council_priorities",
        )
    )


def public_record(partnership):
    """The public fields of one entry, in order, as JSON-ready values (lists stay lists)."""
    return {field.name: field.get(partnership) for field in PUBLIC_FIELDS}


def public_row(partnership):
    """The public fields of one entry as CSV cells, in ``PUBLIC_FIELDS`` order."""
    record = public_record(partnership)
    return [field.text(record[field.name]) for field in PUBLIC_FIELDS]
