"""Celery tasks of the register: thin wrappers around its services."""

from celery import shared_task

from .importing import indexing, jobs


@shared_task(acks_late=True)
def check_register_import(token):
    """Read and check an uploaded register spreadsheet for its preview (``partnerships.importing.jobs.check``).

    In a worker, not the web request, because reading a hostile file is bounded only
    by the import's limits. Not retried: a file that cannot be read will not be read
    on a second try. Safe if redelivered: it saves nothing.
    """
    jobs.check(token)


@shared_task(acks_late=True)
def run_register_import(token):
    """Import an uploaded register spreadsheet (``partnerships.importing.jobs.run``).

    Not retried: a file that failed its check will fail again, and an unexpected
    error is recorded for the register manager to see. Safe if redelivered.
    """
    jobs.run(token)


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def index_register_entries(pks):
    """Search- and reference-index imported entries after their import commits (idempotent)."""
    indexing.index_entries(pks)
