"""A submit, an endorsement and the Board's approval cost a bounded number of queries.

Before, each child row of a proposal (answers, risks) re-indexed the whole proposal
and every read of its latest revision checked each row's foreign keys one by one: a
submit took ~1,100 queries, an approval ~1,000. The reads must not grow with the
number of child rows; only writing the rows themselves may.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnerships.models import Partnership
from tests.workflows.factories import act, complete_proposal, form_data, login, url

# Measured on PostgreSQL with one risk: submit ~240, endorse ~115, approve ~215 queries.
CEILINGS = {"submit": 300, "endorse": 150, "approve": 270}


def with_risks(data, count):
    data = {key: value for key, value in data.items() if not key.startswith("risks-0-")}
    data["risks-TOTAL_FORMS"] = str(count)
    for n in range(count):
        data.update(
            {
                f"risks-{n}-kind": "risk",
                f"risks-{n}-description": f"Risk number {n}.",
                f"risks-{n}-likelihood": "3",
                f"risks-{n}-impact": "3",
                f"risks-{n}-mitigation": "Reviewed yearly.",
                f"risks-{n}-owner": "Lead officer",
                f"risks-{n}-id": "",
            }
        )
    return data


def counted(call):
    with CaptureQueriesContext(connection) as queries:
        response = call()
    assert response.status_code == 302, response.content.decode()[:2000]
    sql = [query["sql"] for query in queries.captured_queries]
    return len(sql), sum(1 for statement in sql if statement.lstrip().upper().startswith("SELECT"))


def decide(client, people, service_area, name, risks):
    login(client, people.lead)
    data = form_data(client.get(url("add")))
    data.update(with_risks(complete_proposal(service_area, name=name), risks), **{"action-submit": "1"})
    steps = {"submit": counted(lambda: client.post(url("add"), data))}
    entry = Partnership.objects.get(name=name)
    assert entry.risks.count() == risks
    login(client, people.head)
    steps["endorse"] = counted(lambda: act(client, entry, "approve", comment="Endorsed."))
    login(client, people.board)
    steps["approve"] = counted(lambda: act(client, entry, "approve", minute_reference="MB/7"))
    entry.refresh_from_db()
    assert entry.live and entry.status == "active"
    return steps


@pytest.mark.django_db
def test_decisions_read_the_same_whatever_the_number_of_risks(client, people, service_area):
    # The first decision fills per-process caches (content types, settings): not counted.
    decide(client, people, service_area, "First partnership", risks=1)
    few = decide(client, people, service_area, "Few risks partnership", risks=1)
    many = decide(client, people, service_area, "Many risks partnership", risks=8)
    print({step: (few[step], many[step]) for step in few})

    for step, ceiling in CEILINGS.items():
        assert few[step][0] <= ceiling, (step, few[step])
        # Reads do not grow with the child rows; writing each row is one statement.
        assert many[step][1] == few[step][1], (step, few[step], many[step])
        assert many[step][0] - few[step][0] <= 3 * (8 - 1), (step, few[step], many[step])
