"""Staff pages are never cached, colleagues' training is for register managers, and choosers need a permission."""

import pytest

from portal import roles
from portal.models import TrainingCompletion, TrainingPage
from tests.partnerships.factories import PartnershipFactory

pytestmark = pytest.mark.django_db


def _private(response):
    directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    return {"private", "no-store"} <= directives


# --- Cache-Control on staff pages ------------------------------------------------------------------------


@pytest.fixture
def entry(portal_site, lead_officer):
    return PartnershipFactory(name="Community Safety Partnership", lead_officer=lead_officer)


def test_every_staff_page_says_private_no_store(client, lead_officer, entry):
    client.force_login(lead_officer)
    paths = [
        "/intranet/",
        "/intranet/guidance/",
        "/intranet/guidance/roles-and-responsibilities/",
        "/intranet/toolkit/partnership-checklist/",
        "/intranet/register/",
        "/intranet/register/mine/",
        "/intranet/register/progress/",
        f"/intranet/register/{entry.pk}/progress-report/",
        f"/intranet/register/{entry.pk}/annual-review/",
        "/admin/",
    ]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        assert _private(response), (path, response.get("Cache-Control"))


def test_a_public_page_read_while_signed_in_is_not_cached_either(client, plain_staff):
    client.force_login(plain_staff)
    assert _private(client.get("/framework/"))


def test_the_intranet_redirect_to_sign_in_is_private_and_public_pages_are_not(client, portal_site):
    redirect = client.get("/intranet/register/")
    assert redirect.status_code == 302
    assert _private(redirect)

    public = client.get("/framework/")
    assert public.status_code == 200
    assert not _private(public)
    assert "private" not in public.get("Cache-Control", "")


# --- Training status of colleagues ---------------------------------------------------------------------


@pytest.fixture
def untrained_lead(portal_site, role_user):
    """One entry whose lead officer has confirmed no module, one whose lead has confirmed every module."""
    untrained = role_user(roles.LEAD_OFFICERS, first_name="Una", last_name="Untrained")
    trained = role_user(roles.LEAD_OFFICERS, first_name="Tia", last_name="Trained")
    for page in TrainingPage.objects.live():
        TrainingCompletion.objects.confirm(trained, page)
    PartnershipFactory(name="Untrained lead's partnership", lead_officer=untrained)
    PartnershipFactory(name="Trained lead's partnership", lead_officer=trained)
    return untrained


@pytest.mark.parametrize(
    ("groups", "sees_training"),
    [
        ((), False),
        ((roles.LEAD_OFFICERS,), False),
        ((roles.HEADS_OF_SERVICE,), False),
        ((roles.MANAGEMENT_BOARD,), False),
        ((roles.EDITORS,), False),
        ((roles.REGISTER_MANAGERS,), True),
    ],
)
def test_only_register_managers_see_which_colleagues_have_not_finished_training(
    client, role_user, untrained_lead, groups, sees_training
):
    client.force_login(role_user(*groups))
    response = client.get("/intranet/register/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Untrained lead&#x27;s partnership" in html
    assert ("Training not completed" in html) is sees_training
    assert html.count("Training not completed") == (1 if sees_training else 0)


def test_the_training_report_follows_the_same_permission(client, role_user, untrained_lead):
    client.force_login(role_user(roles.MANAGEMENT_BOARD))
    assert client.get("/admin/reports/training/").status_code == 403
    client.force_login(role_user(roles.REGISTER_MANAGERS))
    response = client.get("/admin/reports/training/")
    assert response.status_code == 200
    assert "Una Untrained" in response.content.decode()


# --- Choosers ----------------------------------------------------------------------------------------------

CHOOSERS = [
    "/admin/snippets/choose/partnerships/partnership/",
    "/admin/snippets/choose/partnerships/partnerorganisation/",
    "/admin/snippets/choose/partnerships/councilpriority/",
    "/admin/snippets/choose/partnerships/servicearea/",
    "/admin/snippets/choose/partnerships/progressreport/",
    "/admin/snippets/choose/partnerships/annualreview/",
]


@pytest.fixture
def proposal(portal_site):
    return PartnershipFactory(name="Confidential youth proposal", draft=True)


def test_page_editors_cannot_open_the_register_choosers(client, role_user, proposal):
    client.force_login(role_user(roles.EDITORS))
    assert client.get("/admin/").status_code == 200  # they are in the admin, to edit pages
    partnership_chooser = CHOOSERS[0]
    for path in [
        *CHOOSERS,
        f"{partnership_chooser}results/?q=youth",
        f"{partnership_chooser}chosen/{proposal.pk}/",
    ]:
        response = client.get(path, headers={"x-requested-with": "XMLHttpRequest"})
        assert response.status_code == 403, path
        assert "Confidential youth proposal" not in response.content.decode()


@pytest.mark.parametrize("group", [roles.REGISTER_MANAGERS, roles.LEAD_OFFICERS, roles.HEADS_OF_SERVICE])
def test_register_roles_still_use_the_partnership_chooser(client, role_user, proposal, group):
    client.force_login(role_user(group))
    response = client.get(CHOOSERS[0])
    assert response.status_code == 200
    chosen = client.get(f"{CHOOSERS[0]}chosen/{proposal.pk}/")
    assert chosen.status_code == 200
    assert chosen.json()["result"]["id"] == str(proposal.pk)


def test_register_managers_find_a_proposal_in_the_chooser(client, register_manager, proposal):
    client.force_login(register_manager)
    response = client.get(f"{CHOOSERS[0]}results/", {"q": "youth"})
    assert response.status_code == 200
    assert "Confidential youth proposal" in response.content.decode()
