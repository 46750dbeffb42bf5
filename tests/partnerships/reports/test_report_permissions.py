"""Who sees the register reports is a permission an administrator can grant, not a group's name."""

import importlib
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from portal import roles

pytestmark = pytest.mark.django_db

MONEY = reverse("partnerships_reports:money")
CABINET = reverse("workflows_reports:exception_report")
BOARD_PACK = reverse("workflows:board_pack")
ROOT = Path(__file__).resolve().parents[3]


def _permission(codename):
    return Permission.objects.get(codename=codename)


def _admin_group(name, *codenames):
    group = Group.objects.create(name=name)
    group.permissions.set([_permission("access_admin"), *(_permission(c) for c in codenames)])
    return group


def test_a_group_granted_the_reports_permission_sees_them(client, role_user):
    auditors = _admin_group("Internal audit", "view_register_reports")
    auditor = role_user()
    auditor.groups.add(auditors)
    client.force_login(auditor)
    assert client.get(MONEY).status_code == 200
    assert MONEY in client.get(reverse("wagtailadmin_home")).content.decode()
    assert client.get(CABINET).status_code == 403  # the Cabinet's paper is a permission of its own


def test_a_reporting_group_without_the_permission_sees_none(client, role_user, role_groups):
    board = role_groups[roles.MANAGEMENT_BOARD]
    board.permissions.remove(
        _permission("view_register_reports"),
        _permission("view_cabinet_exception_report"),
        _permission("view_board_pack"),
    )
    client.force_login(role_user(roles.MANAGEMENT_BOARD))
    assert client.get(MONEY).status_code == 403
    assert client.get(CABINET).status_code == 403
    assert client.get(BOARD_PACK).status_code == 403


def _migration(app, suffix):
    (path,) = (ROOT / app / "migrations").glob(f"*_{suffix}.py")
    return importlib.import_module(f"{app}.migrations.{path.stem}")


@pytest.mark.parametrize(
    ("app", "suffix", "function", "expected"),
    [
        (
            "partnerships",
            "report_permissions",
            "grant_report_permissions",
            {
                roles.REGISTER_MANAGERS: {"view_register_reports", "view_cabinet_exception_report"},
                roles.MANAGEMENT_BOARD: {"view_register_reports", "view_cabinet_exception_report"},
                roles.HEADS_OF_SERVICE: {"view_register_reports"},
                roles.LEAD_OFFICERS: set(),
            },
        ),
        (
            "workflows",
            "board_pack_permission",
            "grant_board_pack",
            {
                roles.REGISTER_MANAGERS: {"view_board_pack"},
                roles.MANAGEMENT_BOARD: {"view_board_pack"},
                roles.HEADS_OF_SERVICE: set(),
                roles.LEAD_OFFICERS: set(),
            },
        ),
    ],
)
def test_existing_groups_keep_what_they_saw(app, suffix, function, expected):
    granted = {"view_register_reports", "view_cabinet_exception_report", "view_board_pack"}
    for name in expected:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.remove(*Permission.objects.filter(codename__in=granted))
    getattr(_migration(app, suffix), function)(django_apps, None)
    for name, codenames in expected.items():
        held = set(
            Group.objects.get(name=name).permissions.filter(codename__in=granted).values_list("codename", flat=True)
        )
        assert held == codenames, name
