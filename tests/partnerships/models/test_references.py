"""References are handed out once, in order, and never reused."""

import pytest
from django.db import IntegrityError

from partnerships.models import Partnership, ReferenceCounter, format_reference
from tests.partnerships.factories import PartnershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ref():
    """The reference the n-th new entry of this test gets (whatever the seeded site already used)."""
    counter = ReferenceCounter.objects.filter(name="partnership").first()
    start = counter.last_value if counter else 0
    return lambda n: format_reference(start + n)


def test_references_are_sequential(ref):
    refs = [PartnershipFactory().reference for _ in range(3)]
    assert refs == [ref(1), ref(2), ref(3)]


def test_references_look_like_p_0042():
    assert format_reference(42) == "P-0042"
    assert format_reference(12345) == "P-12345"


def test_a_deleted_entrys_reference_is_never_given_again(ref):
    PartnershipFactory()
    newest = PartnershipFactory()
    assert newest.reference == ref(2)
    newest.delete()
    assert PartnershipFactory().reference == ref(3)


def test_even_deleting_every_entry_does_not_restart_the_sequence(ref):
    PartnershipFactory()
    Partnership.objects.all().delete()
    assert PartnershipFactory().reference == ref(2)


def test_reference_is_assigned_once_and_stable_on_edit_revision_and_publish(lead_officer, register_manager):
    entry = PartnershipFactory()
    counter = ReferenceCounter.objects.get().last_value
    reference = entry.reference
    entry.name = "Renamed"
    entry.save()
    revision = entry.save_revision(user=lead_officer)
    revision.publish(user=register_manager)
    entry.refresh_from_db()
    assert entry.reference == reference
    assert revision.as_object().reference == reference
    assert ReferenceCounter.objects.get().last_value == counter


def test_reference_is_not_a_form_field():
    # editable=False keeps it out of every ModelForm, including the admin's.
    assert not Partnership._meta.get_field("reference").editable


def test_references_are_unique_in_the_database():
    entry = PartnershipFactory()
    other = PartnershipFactory()
    with pytest.raises(IntegrityError):
        Partnership.objects.filter(pk=other.pk).update(reference=entry.reference)


def test_an_imported_reference_moves_the_counter_past_it():
    imported = PartnershipFactory(reference="P-9100")
    assert imported.reference == "P-9100"
    assert PartnershipFactory().reference == "P-9101"


def test_an_imported_lower_or_odd_reference_does_not_move_the_counter(ref):
    for _ in range(3):
        PartnershipFactory()
    PartnershipFactory(reference=format_reference(1) + "-OLD")
    PartnershipFactory(reference="P-0001X")
    assert PartnershipFactory().reference == ref(4)
