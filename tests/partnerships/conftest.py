"""Fixtures for the register: groups granted exactly what setup_portal grants, one user per role."""

import pytest
from django.contrib.auth.models import Group, Permission

from portal import roles as portal_roles
from portal import services
from tests.partnerships.factories import PartnershipFactory


def _permission(dotted):
    app_label, codename = dotted.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


@pytest.fixture
def role_groups(db):
    """The portal's groups with the permissions setup_portal merges from every app's roles.py."""
    groups = {}
    for name, perms in services.declared_role_permissions().items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set([_permission(p) for p in perms])
        groups[name] = group
    return groups


@pytest.fixture
def role_user(role_groups, make_user):
    """make a user in the named portal groups (always Staff too, as in production)."""

    def make(*group_names, **fields):
        return make_user(portal_roles.STAFF, *group_names, **fields)

    return make


@pytest.fixture
def register_manager(role_user):
    return role_user(portal_roles.REGISTER_MANAGERS)


@pytest.fixture
def lead_officer(role_user):
    return role_user(portal_roles.LEAD_OFFICERS)


@pytest.fixture
def other_lead_officer(role_user):
    return role_user(portal_roles.LEAD_OFFICERS)


@pytest.fixture
def head_of_service(role_user):
    return role_user(portal_roles.HEADS_OF_SERVICE)


@pytest.fixture
def board_member(role_user):
    return role_user(portal_roles.MANAGEMENT_BOARD)


@pytest.fixture
def plain_staff(role_user):
    return role_user()


@pytest.fixture
def own_entry(lead_officer):
    return PartnershipFactory(name="Community Safety Partnership", lead_officer=lead_officer)


@pytest.fixture
def others_entry(other_lead_officer):
    return PartnershipFactory(name="Health and Wellbeing Board", lead_officer=other_lead_officer)


@pytest.fixture(autouse=True)
def _empty_register(db):
    """These tests describe the register they build; whatever the seeded site holds is set aside."""
    from partnerships.models import Partnership

    Partnership.objects.all().delete()


# The page cache switched on, and a recording CDN (tests/page_cache_support.py).
from tests.page_cache_support import cdn, committed, page_cache  # noqa: E402, F401
