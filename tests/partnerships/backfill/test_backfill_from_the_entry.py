"""A register manager on an imported draft's own edit page finds the back-fill there, as on the listing."""

import pytest
from django.urls import reverse

from partnerships.models import Status
from portal import roles
from tests.partnerships.backfill.test_backfill import backfill_url, imported_draft

pytestmark = pytest.mark.django_db

EDIT = "wagtailsnippets_partnerships_partnership:edit"


def test_the_edit_page_of_an_imported_draft_offers_the_back_fill_to_a_register_manager(client, register_manager):
    entry = imported_draft()
    client.force_login(register_manager)
    page = client.get(reverse(EDIT, args=(entry.pk,))).content.decode()
    assert f'href="{backfill_url(entry)}"' in page
    assert "Record approval before the portal" in page


def test_the_edit_page_does_not_offer_it_to_others_nor_on_a_proposal(client, register_manager, role_user):
    draft, proposal = imported_draft(), imported_draft(name="A proposal", status=Status.PROPOSED)
    client.force_login(role_user(roles.MODERATORS))
    assert backfill_url(draft) not in client.get(reverse(EDIT, args=(draft.pk,))).content.decode()
    # A proposal is the Board's to decide, not something approved before the portal.
    client.force_login(register_manager)
    assert backfill_url(proposal) not in client.get(reverse(EDIT, args=(proposal.pk,))).content.decode()
