"""The public register's pages: the searchable list, one entry, and the notes on the open data.

Everything shown comes from ``partnerships.public.fields``: entries from ``public_entries()``
read with ``fetch_public()`` (the list's from ``listing.fetch_listed()``, ``public_queryset()``
for counts), their fields from ``public_record()``. What a visitor searches, filters and sorts
by is ``filters.RegisterFilterSet``; the list's results and checkboxes are drawn by ``markup``.

Each page runs a fixed number of queries whatever the register's size. The index
runs three: the filter options kept in the database and the summary above the results
share one UNION (``facets``), and the number matching is the summary's; the page of
entries carries the date the register last changed as a scalar subquery, which the
database computes once; and the partners and areas of the listed entries come in one query.
An entry's page reads the entry with its approval and contact, its partners, priorities
and areas in one query, then its summaries and its public notes.
"""

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Count, DateTimeField, F, Func, Max, Subquery
from django.http import Http404, JsonResponse

from ..templatetags.register_tags import status_tag_class
from .datapackage import descriptor, json_schema_type, schema_type
from .definitions import OPTIONS, explained
from .facets import options_and_summary
from .fields import (
    PUBLIC_FIELDS,
    fetch_public,
    local_date,
    public_entries,
    public_queryset,
    public_record,
)
from .filters import RegisterFilterSet
from .listing import LISTING_FIELDS, fetch_listed, listing_row
from .markup import result_list

PAGE_SIZE = 25
MAX_PAGE = 100_000
# Shown in their own sections of the entry's page rather than in its summary list.
OWN_SECTIONS = ("name", "slug", "activity_summaries", "meeting_notes")
TEMPLATES = "partnerships/register/"
LABELS = {field.name: field.label for field in PUBLIC_FIELDS}


class KnownCountPaginator(Paginator):
    """A paginator given its count, which the register already has from the summary above the results."""

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


def results_page(filters, number, count):
    """The page of entries ``filters`` selects (``count`` of them, from the summary), and when the register
    last changed.

    Usually one query: each row carries the date. A page past the end has no rows to
    carry it, so it is read on its own and the last page is shown instead, as Django's
    ``Paginator.get_page`` would.
    """
    entries = filters.filtered(public_queryset()).annotate(
        register_updated=_scalar("MAX", "last_published_at", public_queryset(), DateTimeField()),
    )

    def rows_of(number):
        start = (number - 1) * PAGE_SIZE
        return fetch_listed(entries[start : start + PAGE_SIZE], LISTING_FIELDS, "register_updated")

    rows = rows_of(number)
    paginator = KnownCountPaginator(entries, PAGE_SIZE, count)
    if not rows and count and number > paginator.num_pages:
        number = paginator.num_pages
        rows = rows_of(number)
    if rows:
        updated = rows[0].register_updated
    else:
        updated = public_queryset().aggregate(newest=Max("last_published_at"))["newest"]
    return Page(rows, number, paginator), updated


def index(page, request):
    filters = RegisterFilterSet(request.GET)
    options, summary = options_and_summary(filters.filtered(public_queryset()))
    filters.offer(options)
    count = summary.count
    results, updated = results_page(filters, _page_number(request.GET.get("page")), count)
    base_url = page.get_url(request)
    rows = [listing_row(page, entry, base_url) for entry in results.object_list]
    # The download links carry the search, filters and sort: the files hold what the page lists.
    chosen = filters.querystring() if filters.params() else ""
    context = {
        "query": filters,
        "results": results,
        "rows": rows,
        "count": count,
        "summary": summary,
        "last_updated": local_date(updated),
        "filter_groups": filters.filter_groups(),
        "tags": filters.tags(),
        "sorts": filters.sorts(),
        "clear_url": filters.querystring_without_filters(),
        "results_html": result_list(rows, LABELS),
        "register_url": base_url,
        "csv_url": page.route_url("csv", base_url) + chosen,
        "json_url": page.route_url("json", base_url) + chosen,
        "selection": bool(chosen),
        "open_data_url": page.route_url("open_data", base_url),
        "feed_url": page.route_url("feed", base_url),
    }
    return page.render(request, template=TEMPLATES + "index.html", context_overrides=context)


def summary_rows(record, leave_out=OWN_SECTIONS):
    """The public fields of one entry as rows of a GOV.UK summary list, in ``PUBLIC_FIELDS`` order.

    A classification carries what its value means, in the Framework's words.
    """
    rows = []
    for field in PUBLIC_FIELDS:
        if field.name in leave_out:
            continue
        value = record[field.name]
        if field.kind == "list":
            value = [f"{item['name']} ({item['sector']})" if isinstance(item, dict) else item for item in value]
        meaning = dict(explained(field.name)).get(value, "") if field.name in OPTIONS else ""
        rows.append({"name": field.name, "label": field.label, "kind": field.kind, "value": value, "meaning": meaning})
    return rows


def entry(page, request, slug):
    found = fetch_public(public_entries().filter(slug=slug)[:1])
    if not found:
        raise Http404("No public partnership has that address.")
    partnership = found[0]
    record = public_record(partnership)
    context = {
        "entry": record,
        "labels": LABELS,
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
        "columns": [
            {"field": field, "type": schema_type(field), "json_type": json_schema_type(field)}
            for field in PUBLIC_FIELDS
        ],
        "count": totals["count"],
        "last_updated": local_date(totals["newest"]),
        "register_url": base_url,
        "csv_url": page.route_url("csv", base_url),
        "json_url": page.route_url("json", base_url),
        "datapackage_url": page.route_url("datapackage", base_url),
        "feed_url": page.route_url("feed", base_url),
    }
    return page.render(request, template=TEMPLATES + "open_data.html", context_overrides=context)


def datapackage(page, request):
    """``datapackage.json``: the files beside it, their columns, licence, publisher and last change."""
    newest = public_queryset().aggregate(newest=Max("last_published_at"))["newest"]
    package = descriptor(
        PUBLIC_FIELDS,
        publisher=settings.COUNCIL_NAME,
        last_modified=newest,
        homepage=request.build_absolute_uri(page.route_url("open_data", page.get_url(request))),
    )
    return JsonResponse(package, json_dumps_params={"indent": 2, "ensure_ascii": False})
