"""Areas covered are reference data register managers keep in the admin, and entries are linked to them there."""

import pytest
from django.urls import reverse

from partnerships.models import Area

pytestmark = pytest.mark.django_db

AREAS = "wagtailsnippets_partnerships_area"


def test_a_register_manager_adds_a_ward_or_place(client, register_manager):
    client.force_login(register_manager)
    assert client.get(reverse(f"{AREAS}:list")).status_code == 200
    response = client.post(reverse(f"{AREAS}:add"), {"name": "Bewdley", "description": "The town and its wards."})
    assert response.status_code == 302
    assert Area.objects.get().name == "Bewdley"


def test_a_lead_officer_may_see_but_not_change_the_places(client, lead_officer):
    Area.objects.create(name="Kidderminster")
    client.force_login(lead_officer)
    assert client.post(reverse(f"{AREAS}:add"), {"name": "Nowhere"}).status_code in (302, 403)
    assert list(Area.objects.values_list("name", flat=True)) == ["Kidderminster"]


def test_the_entry_form_offers_the_places_and_the_public_contact(client, register_manager, own_entry):
    Area.objects.create(name="Stourport-on-Severn")
    client.force_login(register_manager)
    text = client.get(reverse("wagtailsnippets_partnerships_partnership:edit", args=[own_entry.pk])).content.decode()
    assert "Stourport-on-Severn" in text
    assert 'name="public_contact"' in text
    assert 'name="in_kind_notes"' in text
