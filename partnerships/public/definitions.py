"""What each classification on the register means, in the Framework's own words.

Taken from the Framework page "Types of partnership" (the 4 spectrums, and the council's
roles), which comes from the council's partnership strategy: the public register shows
them as hint text under each filter and beside each classification on an entry's page.
"""

from ..models import Basis, CouncilRole, Geography, Level, Membership

# Public field (and filter) name → one sentence on what the classification tells you.
HINTS = {
    "level": "Whether the partnership sets direction and aligns agendas (strategic), "
    "or delivers services and projects (operational).",
    "basis": "Whether the law requires the partnership (statutory), or the partners chose to form it (voluntary).",
    "membership": "Whether the council works with one other organisation or with several.",
    "geography": "The area the partnership covers: national, regional, county, sub-regional, district or sub-district.",
    "council_role": "The part the council plays in the partnership, agreed with the other partners.",
    "band": "The money the council puts in each year, as recorded. Officer time is not counted.",
    "area": "The wards and places in the council's area that the partnership works in.",
}

# Field name → {stored value: what that option means}, for the GOV.UK details beside each classification.
OPTIONS = {
    "level": {
        Level.STRATEGIC: "sets direction and aligns the partners' agendas",
        Level.OPERATIONAL: "delivers services and projects",
    },
    "basis": {
        Basis.STATUTORY: "the law requires the partnership; the community safety partnership is an example",
        Basis.VOLUNTARY: "the partners chose to form it; most partnerships are voluntary",
    },
    "membership": {
        Membership.SINGLE: "the council works with one other organisation",
        Membership.MULTI: "the council works with several organisations",
    },
    "geography": {
        Geography.NATIONAL: "the whole country",
        Geography.REGIONAL: "a region of England",
        Geography.COUNTY: "the whole county",
        Geography.SUB_REGIONAL: "more than the district but less than the county",
        Geography.DISTRICT: "the whole district",
        Geography.SUB_DISTRICT: "part of the district, such as a town, village or ward",
    },
    "council_role": {
        CouncilRole.LEAD: "the council leads the partnership, for example by chairing it or running its programme",
        CouncilRole.ACCOUNTABLE_BODY: "the council holds and accounts for money on the partnership's behalf",
        CouncilRole.ACTIVE_MEMBER: "the council is a full and active partner and carries out practical work "
        "on behalf of the partnership",
        CouncilRole.SUPPORTING: "the council supports the partnership, but others lead it",
        CouncilRole.FUNDER_ONLY: "the council funds the partnership and has little other involvement",
    },
}


def explained(name):
    """(label, meaning) of each option of classification ``name``, for a GOV.UK details list."""
    field_choices = {
        "level": Level,
        "basis": Basis,
        "membership": Membership,
        "geography": Geography,
        "council_role": CouncilRole,
    }[name]
    return [(str(label), OPTIONS[name][value]) for value, label in field_choices.choices]
