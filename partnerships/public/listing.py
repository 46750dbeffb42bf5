"""Entries as a list of them shows them: the register's results and site search.

A list reads only the public fields it shows (``LISTING_FIELDS``), as values rather
than model instances (``fetch_listed``), and gives each entry as a row: its public
record, its URL and its status colour (``listing_row``).
"""

from ..templatetags.register_tags import status_tag_class
from .fields import public_columns, public_record
from .relations import attach_public_relations

# What a list of entries shows (index.html, site search); the entry's own page shows the rest.
# Only these are read: the other columns, getters and relations would cost every row for nothing.
LISTING_FIELDS = (
    "reference",
    "name",
    "slug",
    "status",
    "purpose",
    "geography",
    "council_role",
    "areas",
    "service_area",
    "annual_contribution",
    "partners",
)


class ListedEntry:
    """An entry as a list of entries reads it: its columns' values as attributes, not a model instance.

    The public fields' getters read either. A Partnership has 61 columns and Wagtail's
    mixins to set up, which cost a page of 25 entries three times what reading them does.
    """

    def __init__(self, values):
        self.__dict__.update(values)


def fetch_listed(entries, names, *annotations):
    """The entries of ``entries`` (public ones, filtered, ordered and sliced) as ``ListedEntry`` objects,
    ready for ``public_record(entry, names)``, with the named ``annotations`` of the queryset as attributes.

    Each related list named (partners, areas) comes in one query for all the entries.
    """
    listed = [ListedEntry(values) for values in entries.values(*public_columns(names), *annotations)]
    return attach_public_relations(listed, names)


def listing_row(page, entry, base_url=None):
    """An entry as the list and site search show it: its public record, URL and status colour."""
    record = public_record(entry, LISTING_FIELDS)
    return {
        "record": record,
        "url": page.entry_url(record["slug"], base_url),
        "status_class": status_tag_class(entry.status),
    }
