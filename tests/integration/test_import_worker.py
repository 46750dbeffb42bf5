"""A register import through a real Celery worker on Redis: the check and the import both run there.

The worker is paused (SIGSTOP to its own pid) while each task waits in the queue, so
that the progress page is seen as a register manager sees it while the worker is
busy: refreshing itself, without JavaScript, until the preview and then the result.
"""

import os
import signal
from contextlib import contextmanager

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partnerships.models import Partnership
from tests.partnerships.conftest import manager_fixture, reference_data_fixture  # noqa: F401 - fixtures
from tests.partnerships.factories import csv_bytes, row

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

REFRESH = '<meta http-equiv="refresh" content="2">'


@contextmanager
def paused(worker):
    os.kill(worker.pid, signal.SIGSTOP)
    try:
        yield
    finally:
        os.kill(worker.pid, signal.SIGCONT)


def page(client, url):
    """The page's HTML with its white space collapsed, as a reader sees the text."""
    response = client.get(url)
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def test_a_register_manager_follows_the_check_and_the_import_run_by_a_worker(
    client, manager, reference_data, celery_worker_process, wait_for
):
    celery_worker_process.require_shared_database()
    client.force_login(manager)
    rows = [row(Name=f"Worker partnership {n}") for n in range(40)]

    with paused(celery_worker_process):
        uploaded = client.post(
            reverse("partnerships_import:upload"), {"file": SimpleUploadedFile("register.csv", csv_bytes(rows))}
        )
        assert uploaded.status_code == 302  # the request only stores the file and queues its check
        progress_url = uploaded.url
        waiting = page(client, progress_url)
        assert "Checking register.csv" in waiting
        assert "Waiting to start…" in waiting
        assert REFRESH in waiting

    preview = wait_for(
        lambda: (html := page(client, progress_url)) and "Check what will be imported" in html and html,
        timeout=60,
        message=lambda: f"the worker to check the file; its log:\n{celery_worker_process.log_tail()}",
    )
    assert "register.csv: 40 rows (CSV, UTF-8 text)" in preview
    assert "Worker partnership 39" in preview
    assert REFRESH not in preview
    assert Partnership.objects.count() == 0

    with paused(celery_worker_process):
        confirmed = client.post(progress_url + "confirm/")
        assert confirmed.status_code == 302
        queued = page(client, progress_url)
        assert "Importing register.csv" in queued
        assert "Waiting to start…" in queued
        assert REFRESH in queued

    done = wait_for(
        lambda: (html := page(client, progress_url)) and "Imported register.csv" in html and html,
        timeout=60,
        message=lambda: f"the worker to import the file; its log:\n{celery_worker_process.log_tail()}",
    )
    assert "40 new draft entries created, 0 updated, 0 unchanged." in done
    assert REFRESH not in done
    assert Partnership.objects.filter(live=False, name__startswith="Worker partnership").count() == 40
    log = celery_worker_process.log()
    assert "partnerships.tasks.check_register_import" in log
    assert "partnerships.tasks.run_register_import" in log
