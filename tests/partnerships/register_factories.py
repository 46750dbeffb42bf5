"""Public register test data: entries published the way the admin publishes them.

``PartnershipFactory`` writes rows directly; these helpers add partners and priorities
and publish through a revision, so ``last_published_at`` is set as in production.
"""

from partnerships.models import Partnership, Sector
from tests.partnerships.factories import (
    CouncilPriorityFactory,
    PartnerOrganisationFactory,
    PartnershipFactory,
    PartnershipPartnerFactory,
)


def published(entry):
    """Publish an entry's current state through a revision, as the admin does; returns it fresh."""
    entry.save_revision().publish()
    return Partnership.objects.get(pk=entry.pk)


def public_entry(partners=(), priorities=(), publish=True, **fields):
    """A public entry with partner organisations (names, or (name, sector) pairs) and priorities (names)."""
    entry = PartnershipFactory(**fields)
    for position, partner in enumerate(partners):
        name, sector = partner if isinstance(partner, tuple) else (partner, Sector.PUBLIC)
        organisation = PartnerOrganisationFactory(name=name, sector=sector)
        PartnershipPartnerFactory(partnership=entry, organisation=organisation, sort_order=position)
    if priorities:
        entry.council_priorities.set([CouncilPriorityFactory(name=name) for name in priorities])
        entry.save()
    elif partners:
        entry.save()  # index the partner names
    return published(entry) if publish else entry


def many_public_entries(count, prefix="Entry"):
    """``count`` public entries, each with two partners and two priorities (shared across entries)."""
    priorities = [CouncilPriorityFactory(name=f"{prefix} priority {n}") for n in range(2)]
    entries = []
    for n in range(count):
        entry = PartnershipFactory(name=f"{prefix} {n:03d}")
        for position in range(2):
            organisation = PartnerOrganisationFactory(name=f"{prefix} {n:03d} partner {position}")
            PartnershipPartnerFactory(partnership=entry, organisation=organisation, sort_order=position)
        entry.council_priorities.set(priorities)
        entry.save()
        entries.append(entry)
    return entries
