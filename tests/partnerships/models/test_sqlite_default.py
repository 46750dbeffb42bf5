"""The embedded SQLite default holds up under several officers at once, and leaves no nameless drafts."""

import json
import textwrap

import pytest
from django.urls import reverse

from partnerships.models import Partnership, ReferenceCounter
from partnerships.models.references import PARTNERSHIP_COUNTER
from portal import roles
from tests.portal.test_settings import run_python
from tests.workflows.factories import complete_proposal, form_data, url

# Four processes take references at the same moment from one SQLite file, each through its own
# connection, with the settings the portal runs with.
ALLOCATE = textwrap.dedent(
    """
    import json, multiprocessing, sys
    import django

    def work(barrier, queue):
        django.setup()
        from django.db import connection
        from partnerships.models.references import allocate_reference
        barrier.wait()
        refs, errors = [], []
        for _ in range(40):
            try:
                refs.append(allocate_reference())
            except Exception as error:
                errors.append(repr(error))
        queue.put((refs, errors))

    if __name__ == "__main__":
        django.setup()
        from django.db import connection
        from partnerships.models import ReferenceCounter
        with connection.schema_editor() as editor:
            editor.create_model(ReferenceCounter)
        mode = connection.cursor().execute("PRAGMA journal_mode").fetchone()[0]
        connection.close()
        context = multiprocessing.get_context("fork")
        barrier, queue = context.Barrier(4), context.Queue()
        workers = [context.Process(target=work, args=(barrier, queue)) for _ in range(4)]
        for worker in workers:
            worker.start()
        results = [queue.get(timeout=120) for _ in workers]
        for worker in workers:
            worker.join()
        refs = [ref for got, _ in results for ref in got]
        errors = [error for _, got in results for error in got]
        print(json.dumps({"mode": mode, "refs": refs, "errors": errors}))
    """
)


def test_concurrent_officers_on_sqlite_get_distinct_references_and_no_lock_errors(tmp_path):
    result = run_python(
        ["-c", ALLOCATE],
        "portal.settings.test",
        DATABASE_URL=f"sqlite:///{tmp_path / 'portal.sqlite3'}",
        REDIS_URL=None,
    )
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["mode"] == "wal"
    assert outcome["errors"] == []
    assert len(outcome["refs"]) == 160
    assert len(set(outcome["refs"])) == 160
    assert sorted(outcome["refs"]) == [f"P-{n:04d}" for n in range(1, 161)]


@pytest.fixture
def lead(role_user):
    return role_user(roles.LEAD_OFFICERS)


@pytest.fixture
def service_area(head_of_service):
    from tests.partnerships.factories import ServiceAreaFactory

    return ServiceAreaFactory(head_of_service=head_of_service)


def counter_value():
    counter = ReferenceCounter.objects.filter(name=PARTNERSHIP_COUNTER).first()
    return counter.last_value if counter else 0


def test_the_proposal_form_does_not_autosave(client, lead):
    client.force_login(lead)
    for response in (client.get(url("add")), client.get(url("edit", _draft(client, lead).pk))):
        assert response.status_code == 200
        assert response.context["autosave_enabled"] is False
        assert "data-w-autosave-interval-value" not in response.content.decode()


def _draft(client, lead):
    from tests.partnerships.factories import PartnershipFactory

    return PartnershipFactory(live=False, status="proposed", lead_officer=lead)


@pytest.mark.parametrize(
    "action",
    [None, "action-submit"],
    ids=["save draft", "submit"],
)
def test_a_create_form_without_a_name_saves_nothing_and_uses_no_reference(client, lead, service_area, action):
    client.force_login(lead)
    before_entries, before_counter = Partnership.objects.count(), counter_value()
    data = form_data(client.get(url("add")))
    data.update(complete_proposal(service_area, name=""))
    if action:
        data[action] = action
    response = client.post(url("add"), data)
    assert response.status_code == 200  # the form again, with the error on the name
    assert "name" in response.context["form"].errors
    assert Partnership.objects.count() == before_entries
    assert counter_value() == before_counter


def test_a_failed_submit_saves_nothing_and_uses_no_reference(client, lead, service_area):
    client.force_login(lead)
    before_entries, before_counter = Partnership.objects.count(), counter_value()
    data = form_data(client.get(url("add")))
    data.update(complete_proposal(service_area, purpose="", level=""))  # named, but required fields left empty
    data["action-submit"] = "action-submit"
    response = client.post(url("add"), data)
    assert response.status_code == 200
    assert {"purpose", "level"} <= set(response.context["form"].errors)
    assert Partnership.objects.count() == before_entries
    assert counter_value() == before_counter


def test_an_autosave_request_to_the_create_form_makes_no_draft(client, lead, service_area):
    """A page rendered before autosave was switched off may still send one: it is refused."""
    client.force_login(lead)
    before_entries, before_counter = Partnership.objects.count(), counter_value()
    data = form_data(client.get(url("add")))
    data.update({"name": "Half typed", "purpose": "Half"})
    response = client.post(url("add"), data, headers={"accept": "application/json"})
    assert response.status_code == 400
    assert response.json()["success"] is False
    assert Partnership.objects.count() == before_entries
    assert counter_value() == before_counter


def test_an_abandoned_create_form_leaves_nothing_behind(client, lead):
    client.force_login(lead)
    before_entries, before_counter = Partnership.objects.count(), counter_value()
    assert client.get(url("add")).status_code == 200
    assert client.get(reverse("wagtailadmin_home")).status_code == 200  # walks away
    assert Partnership.objects.count() == before_entries
    assert not Partnership.objects.filter(name="").exists()
    assert counter_value() == before_counter
