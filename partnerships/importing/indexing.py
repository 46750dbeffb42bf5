"""The search index and reference index of imported entries, brought up to date after the import commits.

Saving an entry one by one, Wagtail refreshes both indexes from ``post_save``, as
background tasks (``django_tasks``). New entries written in bulk send no signals, so
the import asks for this instead: once its transaction has committed, a Celery task
(``partnerships.tasks.index_register_entries``) indexes them in batches. Running it
twice gives the same result, so a redelivered task does no harm.
"""

from itertools import islice

from django.db import transaction
from modelcluster.models import get_all_child_relations
from wagtail.models import ReferenceIndex
from wagtail.search.backends import get_search_backends

from partnerships.models import Partnership

BATCH = 500


def index_entries(pks):
    """Search-index and reference-index the entries with these primary keys."""
    pks = list(pks)
    for start in range(0, len(pks), BATCH):
        chunk = pks[start : start + BATCH]
        entries = list(
            Partnership.get_indexed_objects()
            .filter(pk__in=chunk)
            .select_related("service_area")
            .prefetch_related("partners__organisation", "council_priorities", *_child_relations())
        )
        for backend in get_search_backends(with_auto_update=True):
            backend.add_bulk(Partnership, entries)
        with transaction.atomic():
            _index_references(entries)


def _child_relations():
    return [relation.get_accessor_name() for relation in get_all_child_relations(Partnership)]


def _index_references(entries):
    """``ReferenceIndex.create_or_update_for_object`` for a batch: one delete and one insert, not queries per entry.

    The rows are built as that method builds them. Should Wagtail rename the helpers
    it uses, fall back to the method itself.
    """
    try:
        extract = ReferenceIndex._extract_references_from_object
        content_path_hash = ReferenceIndex._get_content_path_hash
    except AttributeError:  # pragma: no cover - depends on Wagtail's internals
        for entry in entries:
            ReferenceIndex.create_or_update_for_object(entry)
        return
    content_type = Partnership().get_base_content_type()
    ReferenceIndex.objects.filter(
        base_content_type=content_type, object_id__in=[str(entry.pk) for entry in entries]
    ).delete()
    rows = (
        ReferenceIndex(
            content_type=content_type,
            base_content_type=content_type,
            object_id=entry.pk,
            to_content_type_id=to_content_type_id,
            to_object_id=to_object_id,
            model_path=model_path,
            content_path=content_path,
            content_path_hash=content_path_hash(content_path),
        )
        for entry in entries
        for to_content_type_id, to_object_id, model_path, content_path in set(extract(entry))
    )
    while batch := list(islice(rows, 1000)):
        ReferenceIndex.objects.bulk_create(batch)
