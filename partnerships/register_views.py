"""The public register's pages: the searchable list, one entry, and the notes on the open data.

Everything shown comes from ``partnerships.public``: entries from ``public_entries()``
read with ``fetch_public()`` (or ``public_queryset()`` for counts), their fields from
``public_record()``. Filters and search narrow that set and never widen it, and they
only look at public fields, so no choice of filters can tell a visitor anything about
an entry they cannot see.

Each page runs a fixed number of queries whatever the register's size: the filter
options for service areas and priorities share one UNION; the page of entries carries
the number matching and the date the register last changed as two scalar subqueries,
which the database computes once; and the partners of the listed entries come in one
more query.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import (
    CharField,
    Count,
    DateTimeField,
    Exists,
    F,
    Func,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.http import Http404
from wagtail.search.backends import get_search_backend

from .models import (
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
from .models.references import REFERENCE_PATTERN
from .public import (
    PUBLIC_FIELD_NAMES,
    PUBLIC_FIELDS,
    fetch_public,
    local_date,
    public_entries,
    public_queryset,
    public_record,
)
from .templatetags.register_tags import status_tag_class

PAGE_SIZE = 25
MAX_PAGE = 100_000
# What a list of entries shows (index.html, site search): every public field but the
# priorities, which only the entry's own page lists; leaving them out saves a query.
LISTING_FIELDS = tuple(name for name in PUBLIC_FIELD_NAMES if name != "council_priorities")
MAX_QUERY_LENGTH = 200
WORD = re.compile(r"\w+")
TEMPLATES = "partnerships/register/"


def _in(field):
    return lambda values: Q(**{f"{field}__in": values})


def _with_priority(ids):
    through = Partnership.council_priorities.through
    return Q(Exists(through.objects.filter(partnership_id=OuterRef("pk"), councilpriority_id__in=ids)))


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


FACETS = (
    Facet("level", "Level", _in("level"), tuple(Level.choices)),
    Facet("basis", "Basis", _in("basis"), tuple(Basis.choices)),
    Facet("geography", "Geography", _in("geography"), tuple(Geography.choices)),
    Facet("council_role", "Council's role", _in("council_role"), tuple(CouncilRole.choices)),
    Facet("service_area", "Service area", _in("service_area_id")),
    Facet("priority", "Council priority", _with_priority),
    Facet("sector", "Partner sector", _with_partner_sector, tuple(Sector.choices)),
)

SORTS = {
    "name": ("Name (A to Z)", ("name", "pk")),
    "start": ("Newest start date", (F("start_date").desc(nulls_last=True), "name", "pk")),
    "reference": ("Reference", ("reference",)),
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
    """The service areas and priorities of public entries, as ``{param: [(id, name)]}``, in one query."""
    areas = _used_publicly(ServiceArea, "service_area", "service_area_id")
    priorities = _used_publicly(CouncilPriority, "priority", "council_priorities")
    options = {"service_area": [], "priority": []}
    for facet, pk, name in sorted(areas.union(priorities, all=True), key=lambda row: row[2].casefold()):
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
                groups.append({"param": facet.param, "legend": facet.legend, "options": options})
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


class KnownCountPaginator(Paginator):
    """A paginator given its count, which the register reads in the same query as the page of entries."""

    def __init__(self, object_list, per_page, count, **kwargs):
        self._known_count = count
        super().__init__(object_list, per_page, **kwargs)

    @property
    def count(self):
        return self._known_count


def _scalar(function, field, queryset, output_field):
    """``function(field)`` (COUNT, MAX) over ``queryset`` as one value, to use as a subquery."""
    # A plain Func, not Count/Max: an aggregate would add a GROUP BY to the subquery.
    value = queryset.order_by().annotate(value=Func(F(field), function=function)).values("value")
    return Subquery(value, output_field=output_field)


def _page_number(value):
    """The page asked for: a whole number from 1 (anything else is page 1), at most ``MAX_PAGE``."""
    try:
        # Past the end shows the last page anyway; the cap keeps the SQL offset in range.
        return min(max(int(value), 1), MAX_PAGE)
    except (TypeError, ValueError):
        return 1


def results_page(condition, ordering, number):
    """The page of matching entries, the number matching, and when the register last changed.

    Usually one query: each row carries the count and the date. A page past the
    end has no rows to carry them, so they are read on their own and the last page
    is shown instead, as Django's ``Paginator.get_page`` would.
    """
    matching = public_queryset().filter(condition)
    entries = (
        public_entries(names=LISTING_FIELDS)
        .filter(condition)
        .order_by(*ordering)
        .annotate(
            matching=_scalar("COUNT", "pk", matching, IntegerField()),
            register_updated=_scalar("MAX", "last_published_at", public_queryset(), DateTimeField()),
        )
    )

    def rows_of(number):
        start = (number - 1) * PAGE_SIZE
        return fetch_public(entries[start : start + PAGE_SIZE], LISTING_FIELDS)

    rows = rows_of(number)
    if rows:
        count, updated = rows[0].matching, rows[0].register_updated
    else:
        totals = public_queryset().aggregate(
            matching=Count("pk", filter=condition) if condition else Count("pk"), newest=Max("last_published_at")
        )
        count, updated = totals["matching"], totals["newest"]
    paginator = KnownCountPaginator(entries, PAGE_SIZE, count)
    if not rows and count and number > paginator.num_pages:
        number = paginator.num_pages
        rows = rows_of(number)
    return Page(rows, number, paginator), count, updated


def listing_row(page, entry, base_url=None):
    """An entry as the list and site search show it: its public record, URL and status colour."""
    record = public_record(entry, LISTING_FIELDS)
    return {
        "record": record,
        "url": page.entry_url(record["slug"], base_url),
        "status_class": status_tag_class(entry.status),
    }


def index(page, request):
    query = RegisterQuery(request.GET, stored_options())
    condition = query.condition()
    results, count, updated = results_page(condition, query.ordering(), _page_number(query.page))
    base_url = page.get_url(request)
    rows = [listing_row(page, entry, base_url) for entry in results.object_list]
    context = {
        "query": query,
        "results": results,
        "rows": rows,
        "count": count,
        "last_updated": local_date(updated),
        "filter_groups": query.filter_groups(),
        "tags": query.tags(),
        "sorts": [(key, label) for key, (label, _) in SORTS.items()],
        "pagination": _pagination(results, query),
        "clear_url": query.querystring_without_filters(),
        "labels": {field.name: field.label for field in PUBLIC_FIELDS},
        "register_url": base_url,
        "csv_url": page.route_url("csv", base_url),
        "json_url": page.route_url("json", base_url),
        "open_data_url": page.route_url("open_data", base_url),
    }
    return page.render(request, template=TEMPLATES + "index.html", context_overrides=context)


def _pagination(results, query):
    """GOV.UK pagination items: first, last, current and its neighbours, with ellipses between."""
    if not results.has_other_pages():
        return None
    current, last = results.number, results.paginator.num_pages
    shown = sorted({1, last, current - 1, current, current + 1} & set(range(1, last + 1)))
    items, previous = [], 0
    for number in shown:
        if number - previous == 2:
            # A gap of one page shows that page rather than an ellipsis.
            items.append({"number": number - 1, "url": query.querystring(page=number - 1), "current": False})
        elif number - previous > 2:
            items.append({"ellipsis": True})
        items.append({"number": number, "url": query.querystring(page=number), "current": number == current})
        previous = number
    return {
        "items": items,
        "previous_url": query.querystring(page=current - 1) if results.has_previous() else None,
        "next_url": query.querystring(page=current + 1) if results.has_next() else None,
    }


def summary_rows(record, leave_out=("name", "slug")):
    """The public fields of one entry as rows of a GOV.UK summary list, in ``PUBLIC_FIELDS`` order."""
    rows = []
    for field in PUBLIC_FIELDS:
        if field.name in leave_out:
            continue
        value = record[field.name]
        if isinstance(value, list):
            kind = "list"
            value = [f"{item['name']} ({item['sector']})" if isinstance(item, dict) else item for item in value]
        elif hasattr(value, "isoformat"):
            kind = "date"
        else:
            kind = "text"
        rows.append({"name": field.name, "label": field.label, "kind": kind, "value": value})
    return rows


def entry(page, request, slug):
    found = fetch_public(public_entries().filter(slug=slug)[:1])
    if not found:
        raise Http404("No public partnership has that address.")
    partnership = found[0]
    record = public_record(partnership)
    context = {
        "entry": record,
        "rows": summary_rows(record),
        "status_class": status_tag_class(partnership.status),
        "register_url": page.get_url(request),
    }
    return page.render(request, template=TEMPLATES + "entry.html", context_overrides=context)


def open_data(page, request):
    totals = public_queryset().aggregate(count=Count("pk"), newest=Max("last_published_at"))
    base_url = page.get_url(request)
    context = {
        "fields": PUBLIC_FIELDS,
        "count": totals["count"],
        "last_updated": local_date(totals["newest"]),
        "register_url": base_url,
        "csv_url": page.route_url("csv", base_url),
        "json_url": page.route_url("json", base_url),
    }
    return page.render(request, template=TEMPLATES + "open_data.html", context_overrides=context)


def search_entries(query, page, limit=5, request=None):
    """Up to ``limit`` public entries matching ``query``, in name order, as rows of the list: for the site search."""
    query = " ".join(query.split())[:MAX_QUERY_LENGTH]
    if not query:
        return []
    entries = public_entries(names=LISTING_FIELDS).filter(search_condition(query)).order_by("name", "pk")[:limit]
    entries = fetch_public(entries, LISTING_FIELDS)
    base_url = page.get_url(request)
    return [listing_row(page, entry, base_url) for entry in entries]
