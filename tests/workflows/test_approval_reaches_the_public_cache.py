"""An entry the Management Board approves is on the public register at the next request, cached or not."""

import pytest
from django.test import Client
from django.utils.html import escape

from partnerships.models import Partnership
from tests.portal.factories import was_cached
from tests.workflows.factories import act, endorsed, login

pytestmark = pytest.mark.django_db

INDEX = "/partnerships/"


def test_a_board_approval_shows_on_the_cached_register_at_once(client, people, service_area, page_cache, committed):
    visitor = Client()
    entry = endorsed(client, people, service_area)
    visitor.get(INDEX)
    before = visitor.get(INDEX)
    assert was_cached(before)
    assert escape(entry.name) not in before.content.decode()

    login(client, people.board)
    with committed():
        act(client, entry, "approve", minute_reference="MB/1")
    entry = Partnership.objects.get(pk=entry.pk)
    assert entry.live
    after = visitor.get(INDEX)
    assert not was_cached(after)
    assert escape(entry.name) in after.content.decode()
    assert visitor.get(f"{INDEX}{entry.slug}/").status_code == 200
