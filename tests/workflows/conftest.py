"""People and a service area for the approval workflow's tests (builders: factories.py)."""

import pytest

from partnerships.models import ServiceArea
from portal import roles
from portal.celery import app as celery_app


@pytest.fixture(autouse=True)
def _tasks_in_process():
    """Notifications are sent in this process, as without a broker, even when REDIS_URL is set.

    tests/integration/test_workflow_notifications.py covers the real worker.
    """
    saved = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = saved


@pytest.fixture
def people(portal_site, make_user):
    """One user per part in the story, each in the groups setup_portal gives that role."""

    def user(first, last, *groups):
        return make_user(
            roles.STAFF, *groups, first_name=first, last_name=last, email=f"{first.lower()}@council.example"
        )

    class People:
        lead = user("Lee", "Lead", roles.LEAD_OFFICERS)
        head = user("Hannah", "Head", roles.HEADS_OF_SERVICE)
        other_head = user("Harry", "Otherhead", roles.HEADS_OF_SERVICE)
        deputy = user("Dee", "Deputy", roles.HEADS_OF_SERVICE)
        board = user("Bola", "Board", roles.MANAGEMENT_BOARD)
        board2 = user("Ben", "Boardtwo", roles.MANAGEMENT_BOARD)
        # A Board member who also leads partnerships: never decides on their own.
        board_lead = user("Bea", "Boardlead", roles.MANAGEMENT_BOARD, roles.LEAD_OFFICERS)
        manager = user("Rita", "Register", roles.REGISTER_MANAGERS)
        staff = user("Sam", "Staff")

    return People


@pytest.fixture
def service_area(people):
    return ServiceArea.objects.create(name="Communities and Housing", head_of_service=people.head)
