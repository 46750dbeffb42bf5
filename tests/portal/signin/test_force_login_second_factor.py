"""The test suite's force_login gives roles that need a second factor a verified session."""

import pytest

from portal import roles


@pytest.fixture
def editor(portal_site, make_user):
    return make_user(roles.STAFF, roles.EDITORS)


def test_force_login_reaches_the_admin_as_a_role_with_its_code_given(client, editor):
    client.force_login(editor)

    assert client.get("/admin/").status_code == 200


@pytest.mark.real_second_factor
def test_without_the_shortcut_force_login_is_held_at_the_second_step(client, editor):
    client.force_login(editor)

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/set-up/")
