"""The register as open data: the public entries as CSV and as JSON, streamed.

Both files have the columns of ``PUBLIC_FIELDS`` and nothing else. Rows are read in
chunks (a fixed number of queries a chunk), so the queries stay bounded however large the register
grows. The whole register is built once per change of the register into a file on
disk that every process sends (``prebuilt``), with an ETag and Last-Modified so a
client holding the current file gets 304; a download of a search or
filter (the register page's query string) holds exactly the entries that page lists,
in its order, and is built for each request.
"""

import csv
import json
from decimal import Decimal
from itertools import islice

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from ..spreadsheet import neutralise
from . import prebuilt
from .facets import stored_options
from .fields import (
    PUBLIC_FIELD_NAMES,
    PUBLIC_FIELDS,
    attach_public_relations,
    local_date,
    public_entries,
    public_record,
    public_records_in_bulk,
    public_row,
)
from .filters import RegisterFilterSet

CHUNK_SIZE = 1000
LICENCE = "Open Government Licence v3.0"
LICENCE_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
BOM = "\ufeff"


def _entries():
    return public_records_in_bulk(chunk_size=CHUNK_SIZE)


def _chosen_entries(filters):
    """The entries the register page lists for ``filters``, all pages of them, in its order, chunk by chunk."""
    entries = filters.filtered(public_entries()).iterator(chunk_size=CHUNK_SIZE)
    while chunk := list(islice(entries, CHUNK_SIZE)):
        yield from attach_public_relations(chunk, PUBLIC_FIELD_NAMES)


def requested_query(request):
    """The search, filters and sort order a download link carries, or None for the whole register."""
    if request is None or not request.GET:
        return None  # the whole register, without reading the filter options
    filters = RegisterFilterSet(request.GET, stored_options())
    return filters if filters.params() else None


def filename(extension, last_updated=None, selection=False):
    """``partnership-register-YYYY-MM-DD.csv``, dated when the register last changed (else today).

    A download of a search or filter says so in its name, so it is not mistaken for the whole register.
    """
    day = last_updated or timezone.localdate()
    part = "-selection" if selection else ""
    return f"partnership-register{part}-{day.isoformat()}.{extension}"


class NumbersEncoder(DjangoJSONEncoder):
    """Dates as ISO text (as Django's encoder writes them), money and hours as JSON numbers.

    ``datapackage.json`` types those columns ``number`` (pounds, hours), in the JSON as in the CSV.
    """

    def default(self, o):
        if isinstance(o, Decimal):
            return float(o)
        return super().default(o)


class _Line:
    """A file-like object that hands back what csv.writer writes, so rows stream one by one."""

    def write(self, value):
        return value


def csv_rows(entries=None):
    """The CSV file as text chunks: a byte-order mark (for Excel), the labels, then one line per entry."""
    writer = csv.writer(_Line())
    yield BOM + writer.writerow([field.label for field in PUBLIC_FIELDS])
    for partnership in _entries() if entries is None else entries:
        yield writer.writerow([neutralise(cell) for cell in public_row(partnership)])


def json_chunks(publisher, last_updated, entries=None, selection=""):
    """The JSON document as text chunks: the description of the data, then the entries one by one.

    ``selection`` is the query string of a search or filter the entries were chosen by.
    """
    head = {
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
        "last_updated": last_updated.isoformat() if last_updated else None,
        "publisher": publisher,
        "fields": [
            {"name": field.name, "label": field.label, "description": field.description} for field in PUBLIC_FIELDS
        ],
    }
    if selection:
        head["selection"] = selection
    # Everything but the closing brace, then the list written out entry by entry.
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "partnerships": ['
    separator = ""
    for partnership in _entries() if entries is None else entries:
        yield separator + json.dumps(public_record(partnership), cls=NumbersEncoder, ensure_ascii=False)
        separator = ", "
    yield "]}"


def _encoded(chunks):
    for chunk in chunks:
        yield chunk.encode("utf-8")


def _download(chunks, content_type, name):
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _prebuilt_download(request, kind, build, state, content_type, name):
    """The whole register's file from disk (``prebuilt``), answering a conditional request with 304.

    A FileResponse: gunicorn hands its file to the kernel (sendfile) and the page cache
    leaves it alone. Built for this request only when there is no generation to trust.
    """
    built = prebuilt.open_prebuilt(kind, build, state)
    if built is None:
        return _download(build(), content_type, name)
    etag = f'"{built.tag}"'
    modified = int(built.modified.timestamp())
    unchanged = get_conditional_response(request, etag=etag, last_modified=modified) if request else None
    if unchanged is not None:
        built.file.close()
        return unchanged
    response = FileResponse(built.file, content_type=content_type, as_attachment=True, filename=name)
    response["ETag"] = etag
    response["Last-Modified"] = http_date(modified)
    return response


def csv_response(request=None):
    state = prebuilt.fingerprint()
    last_updated = local_date(state[1])
    query = requested_query(request)
    if query:
        chunks = _encoded(csv_rows(_chosen_entries(query)))
        return _download(chunks, "text/csv; charset=utf-8", filename("csv", last_updated, selection=True))
    build = lambda: _encoded(csv_rows())  # noqa: E731
    return _prebuilt_download(request, "csv", build, state, "text/csv; charset=utf-8", filename("csv", last_updated))


def json_response(request=None):
    state = prebuilt.fingerprint()
    last_updated = local_date(state[1])
    query = requested_query(request)
    content_type = "application/json; charset=utf-8"
    if query:
        selection = query.querystring().removeprefix("?")
        chunks = _encoded(json_chunks(settings.COUNCIL_NAME, last_updated, _chosen_entries(query), selection))
        return _download(chunks, content_type, filename("json", last_updated, selection=True))
    build = lambda: _encoded(json_chunks(settings.COUNCIL_NAME, last_updated))  # noqa: E731
    return _prebuilt_download(request, "json", build, state, content_type, filename("json", last_updated))
