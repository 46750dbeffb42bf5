"""Who may do what in the admin, over real URLs."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.test.utils.form_data import querydict_from_html

from partnerships.models import Partnership
from portal import roles as portal_roles
from tests.partnerships.factories import PartnershipFactory

pytestmark = pytest.mark.django_db

NS = "wagtailsnippets_partnerships_partnership"


def url(name, entry=None):
    return reverse(f"{NS}:{name}", args=[entry.pk] if entry else [])


def get_as(client, user, path):
    client.force_login(user)
    return client.get(path)


def test_anonymous_visitors_are_sent_to_the_admin_sign_in(client, own_entry):
    for path in (url("list"), url("edit", own_entry), url("inspect", own_entry), url("add")):
        response = client.get(path)
        assert response.status_code == 302
        assert response.url.startswith(reverse("wagtailadmin_login"))


def test_staff_without_admin_access_are_turned_away(client, plain_staff, own_entry):
    for path in (url("list"), url("edit", own_entry)):
        response = get_as(client, plain_staff, path)
        assert response.status_code in (302, 403)
        if response.status_code == 302:
            assert response.url.startswith(reverse("wagtailadmin_login"))


def test_a_lead_officer_edits_their_own_entry(client, lead_officer, own_entry):
    assert get_as(client, lead_officer, url("edit", own_entry)).status_code == 200


def test_a_lead_officer_gets_403_on_another_officers_entry(client, lead_officer, others_entry):
    response = get_as(client, lead_officer, url("edit", others_entry))
    assert response.status_code == 403
    assert b"You cannot do that" in response.content


def test_a_lead_officer_cannot_post_changes_to_another_officers_entry(client, lead_officer, others_entry, own_entry):
    client.force_login(lead_officer)
    form = querydict_from_html(client.get(url("edit", own_entry)).content.decode(), form_id="w-editor-form")
    form["name"] = "Hijacked"
    response = client.post(url("edit", others_entry), form)
    assert response.status_code == 403
    others_entry.refresh_from_db()
    assert others_entry.name == "Health and Wellbeing Board"
    assert others_entry.latest_revision is None


def test_a_lead_officer_may_view_others_entries_and_add_new_ones(client, lead_officer, others_entry):
    assert get_as(client, lead_officer, url("list")).status_code == 200
    assert get_as(client, lead_officer, url("inspect", others_entry)).status_code == 200
    assert get_as(client, lead_officer, url("add")).status_code == 200


def test_the_listing_offers_a_lead_officer_edit_links_to_their_own_entries_only(
    client, lead_officer, own_entry, others_entry
):
    html = get_as(client, lead_officer, url("list")).content.decode()
    assert url("edit", own_entry) in html
    assert url("edit", others_entry) not in html
    assert url("inspect", others_entry) in html


@pytest.mark.parametrize("view", ["delete", "unpublish"])
def test_a_lead_officer_cannot_delete_or_unpublish(client, lead_officer, own_entry, view):
    assert get_as(client, lead_officer, url(view, own_entry)).status_code == 403


def test_a_register_manager_manages_every_entry(client, register_manager, others_entry):
    for path in (url("list"), url("add"), url("edit", others_entry), url("inspect", others_entry)):
        assert get_as(client, register_manager, path).status_code == 200, path
    assert get_as(client, register_manager, url("delete", others_entry)).status_code == 200


@pytest.mark.parametrize("role", ["head_of_service", "board_member"])
def test_heads_of_service_and_the_board_view_but_do_not_change(client, request, role, others_entry):
    user = request.getfixturevalue(role)
    assert get_as(client, user, url("list")).status_code == 200
    assert get_as(client, user, url("inspect", others_entry)).status_code == 200
    assert get_as(client, user, url("history", others_entry)).status_code == 200
    assert get_as(client, user, url("edit", others_entry)).status_code == 403
    assert get_as(client, user, url("add")).status_code == 403


def _edit_form(client, entry):
    return querydict_from_html(client.get(url("edit", entry)).content.decode(), form_id="w-editor-form")


def test_a_lead_officers_edit_of_a_live_entry_waits_as_a_revision(client, lead_officer, own_entry):
    client.force_login(lead_officer)
    form = _edit_form(client, own_entry)
    form["name"] = "Community Safety Partnership (renamed)"
    response = client.post(url("edit", own_entry), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    own_entry.refresh_from_db()
    assert own_entry.name == "Community Safety Partnership"  # the published row is untouched
    assert own_entry.has_unpublished_changes
    assert own_entry.latest_revision.as_object().name == "Community Safety Partnership (renamed)"
    assert Partnership.objects.public().get().name == "Community Safety Partnership"


def test_one_activity_summary_per_year(client, lead_officer, own_entry):
    client.force_login(lead_officer)
    form = _edit_form(client, own_entry)
    form.update(
        {
            "activity_summaries-TOTAL_FORMS": "2",
            "activity_summaries-0-year": "2024",
            "activity_summaries-0-summary": "First",
            "activity_summaries-1-year": "2024",
            "activity_summaries-1-summary": "Again",
        }
    )
    response = client.post(url("edit", own_entry), form)
    assert response.status_code == 200
    assert b"There is already a summary for 2024" in response.content
    own_entry.refresh_from_db()
    assert own_entry.latest_revision is None


def test_a_partner_is_listed_once(client, lead_officer, own_entry):
    from tests.partnerships.factories import PartnerOrganisationFactory

    partner = PartnerOrganisationFactory(name="Fire and Rescue")
    client.force_login(lead_officer)
    form = _edit_form(client, own_entry)
    form.update(
        {
            "partners-TOTAL_FORMS": "2",
            "partners-0-organisation": str(partner.pk),
            "partners-0-ORDER": "1",
            "partners-1-organisation": str(partner.pk),
            "partners-1-ORDER": "2",
        }
    )
    response = client.post(url("edit", own_entry), form)
    assert response.status_code == 200
    assert b"Fire and Rescue is already a partner" in response.content


def test_register_settings_are_for_register_managers(client, register_manager, lead_officer):
    from partnerships.models import RegisterSettings

    settings_pk = RegisterSettings.load().pk
    path = reverse("wagtailsettings:edit", args=["partnerships", "registersettings", settings_pk])
    assert get_as(client, register_manager, path).status_code == 200
    response = get_as(client, lead_officer, path)  # Wagtail's own view: refused with a redirect home
    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_home")


def test_a_lead_officer_always_leads_what_they_propose(client, lead_officer, other_lead_officer):
    client.force_login(lead_officer)
    form = querydict_from_html(client.get(url("add")).content.decode(), form_id="w-editor-form")
    service_area = PartnershipFactory().service_area
    # The area's Head of Service, whom the entry defaults to, must be one to be named.
    service_area.head_of_service.groups.add(Group.objects.get(name=portal_roles.HEADS_OF_SERVICE))
    form.update(
        {
            "name": "Youth Forum",
            "purpose": "Young people's voice",
            "level": "operational",
            "basis": "voluntary",
            "membership": "multi",
            "geography": "district",
            "council_role": "supporting",
            "service_area": str(service_area.pk),
            "lead_officer": str(other_lead_officer.pk),  # ignored: the field is disabled for them
        }
    )
    response = client.post(url("add"), form)
    assert response.status_code == 302, response.content.decode()[:3000]
    created = Partnership.objects.get(name="Youth Forum")
    assert created.lead_officer == lead_officer
    assert created.status == "proposed"
    assert not created.live
    assert created.reference
    assert get_as(client, lead_officer, url("edit", created)).status_code == 200
