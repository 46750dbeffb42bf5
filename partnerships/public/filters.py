"""What a visitor asks of the public register, declared once: search words, checkbox filters and sort order.

``RegisterFilterSet`` is a django-filter FilterSet over the public entries. The same
filter set narrows the page of entries, the summary above it and the filtered
downloads, so they always hold the same entries; and it draws the filter panel,
the removable tags and the links that keep a search (``filter_groups``, ``tags``,
``params``). Filters and search narrow the public entries and never widen them, and
they only look at public fields, so no choice of filters can tell a visitor anything
about an entry they cannot see.

Values not on offer (an old link, a typo) are dropped, never an error. The lists kept
in the database (service areas, priorities, areas covered) offer only what some public
entry uses, which the register reads in the same query as its summary (``facets``);
so their filters check that in the query itself: checked values that no public entry
uses select nothing, and a list of only such values is not applied, exactly as if
they had been dropped.
"""

import copy
import re
from urllib.parse import urlencode

import django_filters
from django import forms
from django.db.models import Exists, F, OuterRef, Q
from wagtail.search.backends import get_search_backend

from ..models import Basis, CouncilRole, Geography, Level, Partnership, PartnershipPartner, Sector
from ..models.references import REFERENCE_PATTERN
from .definitions import HINTS, OPTIONS, explained
from .fields import public_queryset
from .markup import checkboxes

MAX_QUERY_LENGTH = 200
WORD = re.compile(r"\w+")
# A row's id as a link writes it: no sign, no leading zero, within a 64-bit key.
STORED_ID = re.compile(r"[1-9][0-9]{0,17}")

# Bands of the council's annual cash contribution: (value, label, lowest, highest) in pounds.
BANDS = (
    ("none", "No cash contribution", None, 0),
    ("up-to-10000", "£1 to £10,000", 0, 10_000),
    ("10001-to-50000", "£10,001 to £50,000", 10_000, 50_000),
    ("over-50000", "More than £50,000", 50_000, None),
)

SORTS = {
    "name": ("Name (A to Z)", ("name", "pk")),
    "start": ("Newest start date", (F("start_date").desc(nulls_last=True), "name", "pk")),
    "reference": ("Reference", ("reference",)),
    "contribution": ("Largest contribution first", ("-annual_contribution", "name", "pk")),
    "contribution-asc": ("Smallest contribution first", ("annual_contribution", "name", "pk")),
}
DEFAULT_SORT = "name"


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


def _in(field):
    return lambda values: Q(**{f"{field}__in": values})


def _with_priority(ids):
    through = Partnership.council_priorities.through
    return Q(Exists(through.objects.filter(partnership_id=OuterRef("pk"), councilpriority_id__in=ids)))


def _with_area(ids):
    through = Partnership.areas.through
    return Q(Exists(through.objects.filter(partnership_id=OuterRef("pk"), area_id__in=ids)))


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


def search_words(text):
    """What a visitor typed as a search: spaces tidied, cut to ``MAX_QUERY_LENGTH``, and without NUL
    characters, which no database text can hold (PostgreSQL refuses the whole query)."""
    return " ".join(str(text or "").replace("\x00", " ").split())[:MAX_QUERY_LENGTH]


class SearchWordsField(forms.Field):
    """The search words (``search_words``): any text is a search, never an error."""

    def to_python(self, value):
        return search_words(value)


class CheckedValuesField(forms.MultipleChoiceField):
    """The checked values on offer, each once, in the order given; any other value is dropped."""

    def keeps(self, value):
        return value in {str(key) for key, _ in self.choices}

    def validate(self, value):
        pass  # what is not on offer was dropped in clean()

    def clean(self, value):
        kept = [value for value in self.to_python(value) if self.keeps(value)]
        return list(dict.fromkeys(kept))


class StoredIdsField(CheckedValuesField):
    """Checked ids of rows kept in the database; whether some public entry uses them is asked in the query."""

    def keeps(self, value):
        return STORED_ID.fullmatch(value) is not None


class SortField(forms.ChoiceField):
    """One of ``SORTS``; anything else is the default order."""

    def clean(self, value):
        return value if value in SORTS else DEFAULT_SORT


class DeclaredFilter(django_filters.Filter):
    """A filter whose only state is its declaration: each request's filter set shares it, copied shallow.

    django-filter deep-copies every filter for every filter set; here that copied the
    choices and labels of all eleven filters on each request, for nothing.
    """

    def __deepcopy__(self, memo):
        return copy.copy(self)


class SearchFilter(DeclaredFilter):
    field_class = SearchWordsField

    def filter(self, qs, value):
        return qs.filter(search_condition(value)) if value else qs


class AnyOf(DeclaredFilter):
    """Entries with any of the checked values: within one filter, ticking more boxes widens the choice."""

    field_class = CheckedValuesField

    def __init__(self, condition, legend, choices=(), hint=""):
        self.condition = condition
        self.hint = hint
        super().__init__(label=legend, choices=tuple((str(value), str(label)) for value, label in choices))

    def filter(self, qs, value):
        return qs.filter(self.condition(value)) if value else qs


class AnyOfStored(AnyOf):
    """``AnyOf`` for rows kept in the database, offered when some public entry uses them."""

    field_class = StoredIdsField

    def filter(self, qs, value):
        if not value:
            return qs
        chosen = self.condition([int(pk) for pk in value])
        # No public entry uses any of them: they are not on offer, so the filter is left out.
        return qs.filter(chosen | ~Exists(public_queryset().filter(chosen)))


class SortFilter(DeclaredFilter):
    field_class = SortField

    def filter(self, qs, value):
        return qs.order_by(*SORTS[value or DEFAULT_SORT][1])


class RegisterFilterSet(django_filters.FilterSet):
    """The register's search, filters (in the panel's order) and sort order, read from a query string."""

    q = SearchFilter(label="Search the register")
    area = AnyOfStored(_with_area, "Area covered", hint=HINTS["area"])
    band = AnyOf(_in_bands, "Council's contribution a year", [band[:2] for band in BANDS], HINTS["band"])
    level = AnyOf(_in("level"), "Level", Level.choices, HINTS["level"])
    basis = AnyOf(_in("basis"), "Basis", Basis.choices, HINTS["basis"])
    geography = AnyOf(_in("geography"), "Geography", Geography.choices, HINTS["geography"])
    council_role = AnyOf(_in("council_role"), "Council's role", CouncilRole.choices, HINTS["council_role"])
    service_area = AnyOfStored(_in("service_area_id"), "Service area")
    priority = AnyOfStored(_with_priority, "Council priority")
    sector = AnyOf(_with_partner_sector, "Partner sector", Sector.choices)
    sort = SortFilter(choices=[(key, label) for key, (label, _) in SORTS.items()])

    class Meta:
        model = Partnership
        fields = []

    def __init__(self, data, options=None):
        # Never read: every use narrows a queryset of its own (``filtered``). None, so ``.qs`` can list nothing.
        super().__init__(data, queryset=Partnership.objects.none())
        self.errors  # noqa: B018 -- cleans the form: every field takes any input, so it is always valid
        self.q = self.form.cleaned_data["q"]
        self.sort = self.form.cleaned_data["sort"]
        self.offer(options or {})

    def get_form_class(self):
        # The same form on every request, so made once; each form still copies its own fields.
        cls = type(self)
        if "_form_class" not in cls.__dict__:
            cls._form_class = super().get_form_class()
        return cls._form_class

    def facets(self):
        """(name, filter) of each checkbox filter, in the panel's order."""
        return [(name, item) for name, item in self.filters.items() if isinstance(item, AnyOf)]

    def offer(self, options):
        """Takes what the database lists offer, ``{name: [(id, label)]}``, and keeps the checked values among them."""
        self.options, self.selected = {}, {}
        for name, item in self.facets():
            if isinstance(item, AnyOfStored):
                self.options[name] = list(options.get(name, []))
            else:
                self.options[name] = list(self.form.fields[name].choices)
            offered = dict(self.options[name])
            self.selected[name] = [value for value in self.form.cleaned_data[name] if value in offered]

    def filtered(self, queryset):
        """``queryset`` narrowed to the entries asked for, in the order asked for."""
        return self.filter_queryset(queryset)

    def params(self, without=None, page=None):
        """The query as URL parameters, optionally less one (param, value) and with a page number."""
        pairs = [("q", self.q)] if self.q else []
        for name, _ in self.facets():
            pairs.extend((name, value) for value in self.selected[name] if (name, value) != without)
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
        """Checkbox groups for the filter panel, in declaration order; groups with no options are left out."""
        groups = []
        for name, item in self.facets():
            selected = set(self.selected[name])
            options = [
                {"value": value, "label": label, "checked": value in selected, "id": f"filter-{name}-{value}"}
                for value, label in self.options[name]
            ]
            if options:
                groups.append(
                    {
                        "param": name,
                        "legend": item.label,
                        "hint": item.hint,
                        "explained": explained(name) if name in OPTIONS else [],
                        "options": options,
                        "checkboxes": checkboxes(name, options),
                    }
                )
        return groups

    def tags(self):
        """One removable tag for each checked filter: its label and the URL without it."""
        tags = []
        for name, item in self.facets():
            labels = dict(self.options[name])
            for value in self.selected[name]:
                tags.append(
                    {
                        "legend": item.label,
                        "label": labels[value],
                        "remove_url": self.querystring(without=(name, value)),
                    }
                )
        return tags

    def sorts(self):
        return list(self.form.fields["sort"].choices)
