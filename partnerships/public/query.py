"""What a visitor asks of the public register: search words, checked filters and sort order.

Filters and search narrow the public entries and never widen them, and they only look
at public fields, so no choice of filters can tell a visitor anything about an entry
they cannot see. The filter options for service areas and priorities share one UNION.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import CharField, Exists, F, OuterRef, Q, Subquery, Value
from wagtail.search.backends import get_search_backend

from ..models import (
    Area,
    Basis,
    CouncilPriority,
    CouncilRole,
    Geography,
    Level,
    Partnership,
    PartnershipPartner,
    Sector,
    ServiceArea,
)
from ..models.references import REFERENCE_PATTERN
from .definitions import HINTS, OPTIONS, explained
from .fields import public_queryset

MAX_QUERY_LENGTH = 200
WORD = re.compile(r"\w+")
TEMPLATES = "partnerships/register/"


def _in(field):
    return lambda values: Q(**{f"{field}__in": values})


def _with_priority(ids):
    through = Partnership.council_priorities.through
    return Q(Exists(through.objects.filter(partnership_id=OuterRef("pk"), councilpriority_id__in=ids)))


def _with_area(ids):
    through = Partnership.areas.through
    return Q(Exists(through.objects.filter(partnership_id=OuterRef("pk"), area_id__in=ids)))


# Bands of the council's annual cash contribution: (value, label, lowest, highest) in pounds.
BANDS = (
    ("none", "No cash contribution", None, 0),
    ("up-to-10000", "£1 to £10,000", 0, 10_000),
    ("10001-to-50000", "£10,001 to £50,000", 10_000, 50_000),
    ("over-50000", "More than £50,000", 50_000, None),
)


def _in_bands(values):
    condition = Q()
    for value, _, above, up_to in BANDS:
        if value in values:
            band = Q(annual_contribution__lte=up_to) if up_to is not None else Q()
            if above is not None:
                band &= Q(annual_contribution__gt=above)
            condition |= band
    return condition


def _with_partner_sector(sectors):
    return Q(Exists(PartnershipPartner.objects.filter(partnership_id=OuterRef("pk"), organisation__sector__in=sectors)))


@dataclass(frozen=True)
class Facet:
    """One filter of the register: a query parameter, a checkbox group, and the condition it adds.

    ``choices`` is None for lists kept in the database (service areas, priorities);
    the register offers only the ones that some public entry uses.
    """

    param: str
    legend: str
    condition: Callable
    choices: tuple | None = None
    hint: str = ""


FACETS = (
    Facet("area", "Area covered", _with_area, hint=HINTS["area"]),
    Facet("band", "Council's contribution a year", _in_bands, tuple((b[0], b[1]) for b in BANDS), HINTS["band"]),
    Facet("level", "Level", _in("level"), tuple(Level.choices), HINTS["level"]),
    Facet("basis", "Basis", _in("basis"), tuple(Basis.choices), HINTS["basis"]),
    Facet("geography", "Geography", _in("geography"), tuple(Geography.choices), HINTS["geography"]),
    Facet("council_role", "Council's role", _in("council_role"), tuple(CouncilRole.choices), HINTS["council_role"]),
    Facet("service_area", "Service area", _in("service_area_id")),
    Facet("priority", "Council priority", _with_priority),
    Facet("sector", "Partner sector", _with_partner_sector, tuple(Sector.choices)),
)

SORTS = {
    "name": ("Name (A to Z)", ("name", "pk")),
    "start": ("Newest start date", (F("start_date").desc(nulls_last=True), "name", "pk")),
    "reference": ("Reference", ("reference",)),
    "contribution": ("Largest contribution first", ("-annual_contribution", "name", "pk")),
    "contribution-asc": ("Smallest contribution first", ("annual_contribution", "name", "pk")),
}
DEFAULT_SORT = "name"


def _used_publicly(model, facet, lookup):
    """The rows of ``model`` that some public entry uses, as (facet, pk, name)."""
    # A correlated LIMIT 1 subquery rather than EXISTS: PostgreSQL plans EXISTS here as
    # a hash join over every public entry, while this stops at the first one it finds.
    first_user = public_queryset().order_by().filter(**{lookup: OuterRef("pk")}).values("pk")[:1]
    return (
        model.objects.annotate(first_user=Subquery(first_user), facet=Value(facet, output_field=CharField()))
        .filter(first_user__isnull=False)
        .order_by()
        .values_list("facet", "pk", "name")
    )


def stored_options():
    """The service areas, priorities and areas covered of public entries, as ``{param: [(id, name)]}``, in one query."""
    services = _used_publicly(ServiceArea, "service_area", "service_area_id")
    priorities = _used_publicly(CouncilPriority, "priority", "council_priorities")
    places = _used_publicly(Area, "area", "areas")
    options = {"service_area": [], "priority": [], "area": []}
    rows = services.union(priorities, places, all=True)
    for facet, pk, name in sorted(rows, key=lambda row: row[2].casefold()):
        options[facet].append((str(pk), name))
    return options


def search_condition(query):
    """Entries whose search-index document matches ``query``, as a filter.

    The index holds public fields only (see ``Partnership.search_fields``), so a search
    can never match on an internal one. With Wagtail's database backend (full text on
    PostgreSQL, FTS5 on SQLite) the match stays a subquery, so counting, filtering,
    sorting and paging remain one query each; other backends return a list of ids.
    A reference typed in full ("P-0042") finds its entry whatever the backend's tokenizer.
    """
    # Words only: quotes, brackets, stars and upper-case AND/OR/NOT are query syntax to
    # SQLite's FTS5, and a visitor's stray quote must not become a server error.
    words = " ".join(WORD.findall(query.lower()))
    if not words:
        return Q(reference__iexact=query)
    results = get_search_backend().search(words, public_queryset().order_by(), operator="and", order_by_relevance=False)
    if hasattr(results, "get_queryset"):
        matched = results.get_queryset().order_by().values("pk")
    else:
        matched = [result.pk for result in results]
    if REFERENCE_PATTERN.match(query.upper()):
        return Q(pk__in=matched) | Q(reference__iexact=query)
    # Only a query shaped like a reference may be one: the OR would cost every other
    # search a scan of the whole table.
    return Q(pk__in=matched)


class RegisterQuery:
    """What a visitor asked of the register: search words, checked filters, sort order and page."""

    def __init__(self, params, options):
        self.q = " ".join(params.get("q", "").split())[:MAX_QUERY_LENGTH]
        sort = params.get("sort", DEFAULT_SORT)
        self.sort = sort if sort in SORTS else DEFAULT_SORT
        self.page = params.get("page")
        self.options = {facet.param: list(facet.choices or options.get(facet.param, [])) for facet in FACETS}
        self.selected = {}
        for facet in FACETS:
            allowed = dict(self.options[facet.param])
            values = []
            # Unknown values (an old link, a typo) are dropped, not errors.
            for value in params.getlist(facet.param):
                if value in allowed and value not in values:
                    values.append(value)
            self.selected[facet.param] = values

    def condition(self):
        condition = Q()
        for facet in FACETS:
            if self.selected[facet.param]:
                condition &= facet.condition(self.selected[facet.param])
        if self.q:
            condition &= search_condition(self.q)
        return condition

    def ordering(self):
        return SORTS[self.sort][1]

    def params(self, without=None, page=None):
        """The query as URL parameters, optionally less one (param, value) and with a page number."""
        pairs = [("q", self.q)] if self.q else []
        for facet in FACETS:
            pairs.extend(
                (facet.param, value) for value in self.selected[facet.param] if (facet.param, value) != without
            )
        if self.sort != DEFAULT_SORT:
            pairs.append(("sort", self.sort))
        if page:
            pairs.append(("page", page))
        return pairs

    def querystring(self, **kwargs):
        pairs = self.params(**kwargs)
        return "?" + urlencode(pairs) if pairs else "?"

    def querystring_without_filters(self):
        """The list with every filter removed but the search words and sort order kept."""
        pairs = [pair for pair in self.params() if pair[0] in ("q", "sort")]
        return "?" + urlencode(pairs) if pairs else "?"

    def filter_groups(self):
        """Checkbox groups for the filter panel, in ``FACETS`` order; groups with no options are left out."""
        groups = []
        for facet in FACETS:
            selected = set(self.selected[facet.param])
            options = [
                {"value": value, "label": label, "checked": value in selected, "id": f"filter-{facet.param}-{value}"}
                for value, label in self.options[facet.param]
            ]
            if options:
                groups.append(
                    {
                        "param": facet.param,
                        "legend": facet.legend,
                        "hint": facet.hint,
                        "explained": explained(facet.param) if facet.param in OPTIONS else [],
                        "options": options,
                    }
                )
        return groups

    def tags(self):
        """One removable tag for each checked filter: its label and the URL without it."""
        tags = []
        for facet in FACETS:
            labels = dict(self.options[facet.param])
            for value in self.selected[facet.param]:
                tags.append(
                    {
                        "legend": facet.legend,
                        "label": labels[value],
                        "remove_url": self.querystring(without=(facet.param, value)),
                    }
                )
        return tags
