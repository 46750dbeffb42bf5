"""The register as open data: every public entry as CSV and as JSON, streamed.

Both files have the columns of ``PUBLIC_FIELDS`` and nothing else. Rows are read in
chunks (``public_records_in_bulk``: three queries a chunk), so the queries stay bounded
however large the register grows. Each process builds a file once per change of the
register and serves repeat downloads from that copy (``prebuilt``).
"""

import csv
import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import StreamingHttpResponse
from django.utils import timezone

from ..spreadsheet import neutralise
from . import prebuilt
from .fields import PUBLIC_FIELDS, local_date, public_record, public_records_in_bulk, public_row

CHUNK_SIZE = 1000
LICENCE = "Open Government Licence v3.0"
LICENCE_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
BOM = "\ufeff"


def _entries():
    return public_records_in_bulk(chunk_size=CHUNK_SIZE)


def filename(extension, last_updated=None):
    """``partnership-register-YYYY-MM-DD.csv``, dated when the register last changed (else today)."""
    day = last_updated or timezone.localdate()
    return f"partnership-register-{day.isoformat()}.{extension}"


class _Line:
    """A file-like object that hands back what csv.writer writes, so rows stream one by one."""

    def write(self, value):
        return value


def csv_rows():
    """The CSV file as text chunks: a byte-order mark (for Excel), the labels, then one line per entry."""
    writer = csv.writer(_Line())
    yield BOM + writer.writerow([field.label for field in PUBLIC_FIELDS])
    for partnership in _entries():
        yield writer.writerow([neutralise(cell) for cell in public_row(partnership)])


def json_chunks(publisher, last_updated):
    """The JSON document as text chunks: the description of the data, then the entries one by one."""
    head = {
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
        "last_updated": last_updated.isoformat() if last_updated else None,
        "publisher": publisher,
        "fields": [
            {"name": field.name, "label": field.label, "description": field.description} for field in PUBLIC_FIELDS
        ],
    }
    # Everything but the closing brace, then the list written out entry by entry.
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "partnerships": ['
    separator = ""
    for partnership in _entries():
        yield separator + json.dumps(public_record(partnership), cls=DjangoJSONEncoder, ensure_ascii=False)
        separator = ", "
    yield "]}"


def _encoded(chunks):
    for chunk in chunks:
        yield chunk.encode("utf-8")


def _download(chunks, content_type, name):
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def csv_response():
    state = prebuilt.fingerprint()
    last_updated = local_date(state[1])
    chunks = prebuilt.get_or_build("csv", lambda: _encoded(csv_rows()), state)
    return _download(chunks, "text/csv; charset=utf-8", filename("csv", last_updated))


def json_response():
    state = prebuilt.fingerprint()
    last_updated = local_date(state[1])
    chunks = prebuilt.get_or_build("json", lambda: _encoded(json_chunks(settings.COUNCIL_NAME, last_updated)), state)
    return _download(chunks, "application/json; charset=utf-8", filename("json", last_updated))
