"""Adding a demonstration register written in bulk to the search index."""

import multiprocessing
import os

from django.db import connection, connections
from django.db.models import Prefetch
from wagtail.documents import get_document_model
from wagtail.search.backends import get_search_backends

from ..models import Partnership, PartnershipPartner

BATCH = 500


def _indexed(model_label):
    """What the index reads, fetched in a few queries per batch.

    Wagtail's own ``get_indexed_objects()`` leaves nested and parental many-to-many
    relations to one query per row.
    """
    if model_label == "partnership":
        partners = Prefetch("partners", PartnershipPartner.objects.select_related("organisation"))
        return Partnership.objects.select_related("service_area").prefetch_related(partners, "council_priorities")
    return get_document_model().objects.prefetch_related("tags")


def _index_batch(job):
    model_label, pks = job
    queryset = _indexed(model_label)
    try:
        for backend in get_search_backends(with_auto_update=True):
            backend.add_bulk(queryset.model, list(queryset.filter(pk__in=pks)))
    finally:
        if multiprocessing.parent_process() is not None:
            connections.close_all()


def index_register(partnerships, documents):
    """Add the rows bulk_create made to the search index, as saving each would have.

    Indexing is most of the cost of a large seed on PostgreSQL (the backend builds
    each entry's search vectors in Python), so there, once the rows are committed,
    it is shared between processes. Inside a transaction (a test) or on SQLite it
    runs here, in order.
    """
    jobs = [
        (label, [obj.pk for obj in objects[start : start + BATCH]])
        for label, objects in (("partnership", partnerships), ("document", documents))
        for start in range(0, len(objects), BATCH)
    ]
    in_parallel = (
        len(jobs) > 2
        and connection.vendor == "postgresql"
        and not connection.in_atomic_block
        and (os.cpu_count() or 1) > 1
    )
    if not in_parallel:
        for job in jobs:
            _index_batch(job)
        return
    connections.close_all()  # children must open their own connections, not share these
    with multiprocessing.get_context("fork").Pool(min(os.cpu_count(), 4)) as pool:
        pool.map(_index_batch, jobs, chunksize=1)
