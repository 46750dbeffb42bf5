"""Wagtail's index upkeep, once per object per request instead of once per save.

Wagtail (and modelsearch) enqueue a reference-index task for every saved object,
including every child row of a ClusterableModel, and a search-index task for every
save: submitting a proposal saved ~40 rows and re-indexed the whole proposal each
time (~2 s). While a request runs, ``BatchingImmediateBackend`` keeps the tasks
instead, drops repeats, moves a child's reference-index task up to its parent, and
runs what is left once the view has answered (and its transaction has committed).
Outside a request (commands, Celery tasks) tasks run at once, as Django's
ImmediateBackend does.
"""

import contextvars

from django.apps import apps
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks.base import TaskResult, TaskResultStatus
from django_tasks.utils import get_random_id
from modelcluster.fields import ParentalKey

_batch = contextvars.ContextVar("wagtail_task_batch", default=None)

REFERENCE_INDEX_TASK = "wagtail.tasks.update_reference_index_task"


class BatchingImmediateBackend(ImmediateBackend):
    def enqueue(self, task, args, kwargs):
        batch = _batch.get()
        if batch is None:
            return super().enqueue(task, args, kwargs)
        self.validate_task(task)
        key = (task.module_path, repr(args), repr(sorted(kwargs.items())))
        batch.setdefault(key, (task, list(args), dict(kwargs)))
        return TaskResult(
            task=task,
            id=get_random_id(),
            status=TaskResultStatus.READY,
            enqueued_at=None,
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )


def _parental_key(model):
    return next((field for field in model._meta.get_fields() if isinstance(field, ParentalKey)), None)


def _reference_roots(calls):
    """Child rows' reference-index tasks become one task per parent: one query per child model."""
    by_model = {}
    for _task, args, _kwargs in calls:
        app_label, model_name, pk = args
        by_model.setdefault((app_label, model_name), set()).add(pk)
    roots = set()
    while by_model:
        (app_label, model_name), pks = by_model.popitem()
        model = apps.get_model(app_label, model_name)
        key = _parental_key(model)
        if key is None:
            roots.update((app_label, model_name, pk) for pk in pks)
            continue
        parent = key.related_model._meta
        parent_pks = model._default_manager.filter(pk__in=pks).values_list(key.attname, flat=True)
        found = {str(pk) for pk in parent_pks if pk is not None}
        if found:
            by_model.setdefault((parent.app_label, parent.model_name), set()).update(found)
    return sorted(roots)


def run_batch(batch):
    references = [call for key, call in batch.items() if key[0] == REFERENCE_INDEX_TASK]
    rest = [call for key, call in batch.items() if key[0] != REFERENCE_INDEX_TASK]
    calls = list(rest)
    if references:
        roots = _reference_roots(references)
        task = references[0][0]
        calls += [(task, list(root), {}) for root in roots]
    for task, args, kwargs in calls:
        # The immediate backend records a failure rather than raising, as before.
        task.enqueue(*args, **kwargs)


class WagtailTaskBatchMiddleware:
    """Collects Wagtail's index tasks during a request and runs each once after the view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        batch = {}
        token = _batch.set(batch)
        try:
            return self.get_response(request)
        finally:
            _batch.reset(token)
            if batch:
                run_batch(batch)
