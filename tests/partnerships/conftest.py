"""Fixtures for the register: groups granted exactly what setup_portal grants, one user per role, import data."""

import pytest
from django.contrib.auth.models import Group, Permission

from portal import roles as portal_roles
from portal import services
from tests.partnerships.factories import (
    CouncilPriorityFactory,
    PartnerOrganisationFactory,
    PartnershipFactory,
    ServiceAreaFactory,
    UserFactory,
)


def _permission(dotted):
    app_label, codename = dotted.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _granted(name):
    """The group ``name`` holding exactly what setup_portal grants it."""
    group, _ = Group.objects.get_or_create(name=name)
    group.permissions.set([_permission(p) for p in services.declared_role_permissions()[name]])
    return group


@pytest.fixture
def role_groups(db):
    """The portal's groups with the permissions setup_portal merges from every app's roles.py."""
    return {name: _granted(name) for name in services.declared_role_permissions()}


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
def manager_client(client, register_manager):
    """A register manager, signed in."""
    client.force_login(register_manager)
    return client


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


# --- The import's reference data and its users --------------------------------------------------


@pytest.fixture(name="reference_data")
def reference_data_fixture(db):
    """What GOOD_ROW names: an officer, a service area with its Head of Service, a priority, two partners."""
    officer = UserFactory(username="jsmith", first_name="Jane", last_name="Smith", email="jane.smith@council.example")
    head = UserFactory(username="hos", first_name="Harry", last_name="Head", email="harry.head@council.example")
    return {
        "officer": officer,
        "head": head,
        "area": ServiceAreaFactory(name="Community Safety", head_of_service=head),
        "priority": CouncilPriorityFactory(name="Safer communities"),
        "police": PartnerOrganisationFactory(name="Anytown Police"),
        "fire": PartnerOrganisationFactory(name="Anytown Fire and Rescue Service"),
    }


@pytest.fixture(name="manager")
def manager_fixture(db, make_user):
    """A register manager, holding exactly what the role declares."""
    _granted(portal_roles.REGISTER_MANAGERS)
    return make_user(portal_roles.STAFF, portal_roles.REGISTER_MANAGERS, username="manager")


@pytest.fixture(name="officer_user")
def officer_user_fixture(db, make_user):
    """A lead officer: may add entries and edit their own, but not import."""
    _granted(portal_roles.LEAD_OFFICERS)
    return make_user(portal_roles.STAFF, portal_roles.LEAD_OFFICERS, username="leadofficer")


@pytest.fixture
def private_import_dir(settings, tmp_path):
    """Uploaded spreadsheets kept in this test's own folder."""
    settings.PARTNERSHIP_IMPORT_DIR = str(tmp_path / "imports")
    return tmp_path / "imports"
