"""Councillors (the Members role): they read the intranet and the internal register, and take the training;
no admin, no proposals."""

import pytest
from django.contrib.auth.models import Group

from partnerships.permissions import proposal_url
from portal import services
from portal.models import TrainingPage
from portal.roles import MEMBERS
from portal.signin.policy import needs_second_factor

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(portal_site, make_user):
    return make_user(MEMBERS, first_name="Carys", last_name="Councillor")


def test_setup_creates_the_members_role_with_no_permissions(portal_site):
    group = Group.objects.get(name=MEMBERS)
    assert list(group.permissions.all()) == []
    assert not group.page_permissions.exists()
    assert not group.collection_permissions.exists()


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("/intranet/", True),
        ("/intranet/training/", True),
        ("/intranet/register/", True),
        ("/intranet/register/mine/", True),
        ("/admin/", False),
        ("/admin/snippets/partnerships/partnership/", False),
        ("/admin/snippets/partnerships/partnership/add/", False),
        ("/admin/reports/training/", False),
    ],
)
def test_what_a_councillor_may_open(client, member, path, allowed):
    client.force_login(member)
    response = client.get(path)
    if allowed:
        assert response.status_code == 200, path
    else:
        assert response.status_code in (302, 403), path
        if response.status_code == 302:
            assert "/admin/" not in response.url or "login" in response.url


def test_a_councillor_takes_the_training_and_proposes_nothing(client, member):
    client.force_login(member)
    module = TrainingPage.objects.live().first()
    assert client.get(module.url + "check/").status_code == 200
    assert proposal_url(member) is None
    assert not needs_second_factor(member)
    register = client.get("/intranet/register/").content.decode()
    assert "Propose a new partnership" not in register


def test_demo_users_include_a_councillor(portal_site):
    logins = services.create_demo_users(services.SetupReport())
    assert ("member", services.DEMO_PASSWORD, MEMBERS) in logins
    assert Group.objects.get(name=MEMBERS).user_set.filter(username="member").exists()
