"""The demonstration register as plain data: the same plan for the same size and seed.

``plan_register(n, seed)`` draws every name, amount and date from one
``random.Random(seed)`` against a fixed reference date, from the vocabulary in
``portal/content/demo/register.yaml``, touching no database.
"""

import datetime
import random
from dataclasses import dataclass, field

from ..models import CouncilRole, EqualityImpact, Geography, LegalStatus, Membership, RiskRating, Status
from .vocabulary import (
    COUNCILLORS,
    EIA_REASONS,
    EXIT_STRATEGIES,
    FIRST_NAMES,
    GEOGRAPHY_WEIGHTS,
    HIGHLIGHTS,
    KINDS,
    LAST_NAMES,
    LEGAL_WEIGHTS,
    MEETING_NOTES,
    PARTNER_ROLES,
    PARTNERS,
    PERFORMANCE,
    PLACES,
    PRIORITIES,
    REPRESENTATIVE_ROLES,
    RISKS,
    ROLE_WEIGHTS,
    RULES,
    SERVICE_AREAS,
    STATUS_WEIGHTS,
    SUBGROUPS,
    SUMMARIES,
)

# Dates are drawn around this day, not today, so a seed means the same register next year.
REFERENCE_DATE = datetime.date(2026, 10, 1)


@dataclass(frozen=True)
class PersonPlan:
    slot: int
    username: str
    first_name: str
    last_name: str


@dataclass(frozen=True)
class EntryPlan:
    name: str
    purpose: str
    shared_objective: str
    status: str
    level: str
    basis: str
    membership: str
    geography: str
    council_role: str
    rules_of_engagement: str
    legal_status: str
    legal_status_detail: str
    service_area: int
    lead_officer: int
    priorities: tuple
    partners: tuple  # (index into PARTNERS, role)
    representatives: tuple  # (officer slot or None, councillor name, role)
    annual_contribution: int
    in_kind_hours: int
    in_kind_value: int
    external_funding: int
    accountable_body_for_funds: bool
    terms_of_reference_status: str
    terms_of_reference_renewal_date: datetime.date | None
    has_business_case: bool
    business_case_approved_on: datetime.date | None
    equality_impact: str
    equality_impact_reason: str
    performance_management: str
    risk_rating: str
    exit_strategy: str
    start_date: datetime.date | None
    end_date: datetime.date | None
    approval_date: datetime.date | None
    next_progress_report_due: datetime.date | None
    next_review_due: datetime.date | None
    is_public: bool
    published_on: datetime.date | None
    meetings: tuple  # (date, notes)
    summaries: tuple  # (year, text)
    risks: tuple  # (kind, description, likelihood, impact, mitigation, owner, review date)
    places: tuple = ()  # the council's places it covers: its own town, or all of them when district-wide


@dataclass(frozen=True)
class RegisterPlan:
    seed: int
    reference_date: datetime.date
    officers: tuple  # PersonPlan; slots 0 and 1 are the demo "lead" and "lead2" when present
    heads: tuple  # PersonPlan per service area; slots 0 and 1 are "head" and "head2" when present
    entries: tuple = field(repr=False)


def _weighted(rng, weights):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _day(rng, first, last):
    if last <= first:
        return first
    return first + datetime.timedelta(days=rng.randint(0, (last - first).days))


def _money(rng, low, high, step):
    """Log-uniform between low and high, rounded to ``step``: most amounts small, a few large."""
    value = low * (high / low) ** rng.random()
    return max(step, int(round(value / step)) * step)


def _people(rng, count, prefix, reserved):
    people, taken = [], set(reserved)
    for slot in range(count):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        username = base = f"{prefix}{first[0]}{last}".lower()
        n = 1
        while username in taken:
            n += 1
            username = f"{base}{n}"
        taken.add(username)
        people.append(PersonPlan(slot, username, first, last))
    return tuple(people)


def _start_date(rng, status, on):
    if status in (Status.PROPOSED, Status.AWAITING_APPROVAL):
        return _day(rng, on + datetime.timedelta(days=14), on + datetime.timedelta(days=88))
    # Many partnerships date from the early 2000s, as in seed 000; the rest spread to today.
    year = rng.choices(range(2001, on.year + 1), weights=[24, 8, 8, 9, 5] + [2] * (on.year - 2005))[0]
    latest = min(datetime.date(year, 12, 31), on - datetime.timedelta(days=30))
    return _day(rng, datetime.date(year, 1, 1), latest)


def _end_date(rng, status, start, on):
    if status == Status.CLOSED:
        latest = max(start, min(start + datetime.timedelta(days=8 * 365), on - datetime.timedelta(days=1)))
        return _day(rng, min(start + datetime.timedelta(days=300), latest), latest)
    if status == Status.EXITING:
        return _day(rng, on + datetime.timedelta(days=30), on + datetime.timedelta(days=270))
    if status in (Status.ACTIVE, Status.UNDER_REVIEW) and rng.random() < 0.2:
        return _day(rng, on + datetime.timedelta(days=180), on + datetime.timedelta(days=5 * 365))
    return None


def _name(rng, used):
    """A place and a kind of partnership that fit a geography level, a new pairing while any is left."""
    geography = _weighted(rng, GEOGRAPHY_WEIGHTS)
    pairs = [(kind, place) for kind in KINDS if geography in kind.geographies for place in PLACES[geography]]
    fresh = [(kind, place) for kind, place in pairs if f"{place} {kind.name}".strip() not in used]
    kind, place = rng.choice(fresh or pairs)
    name = f"{place} {kind.name}".strip()
    if name in used:
        name = f"{name} {rng.choice(SUBGROUPS)}"
    base, n = name, 1
    while name in used:
        n += 1
        name = f"{base} ({n})"
    used.add(name)
    return name, geography, kind, place


def _partners(rng):
    membership = Membership.SINGLE if rng.random() < 0.15 else Membership.MULTI
    partner_count = 1 if membership == Membership.SINGLE else rng.randint(2, 8)
    partners = tuple(
        (index, rng.choice(PARTNER_ROLES)) for index in sorted(rng.sample(range(len(PARTNERS)), partner_count))
    )
    return membership, partners


def _money_drawn(rng):
    # Money: a third put no money in; most of the rest under £30,000; one in ten above it.
    draw = rng.random()
    contribution = (
        0 if draw < 0.33 else _money(rng, 250, 29_500, 50) if draw < 0.9 else _money(rng, 30_500, 250_000, 500)
    )
    hours = _money(rng, 10, 600, 5)
    rate = rng.randint(28, 45)
    external = 0 if rng.random() < 0.55 else _money(rng, 1_000, 750_000, 100)
    return {
        "annual_contribution": contribution,
        "in_kind_hours": hours,
        "in_kind_value": int(round(hours * rate, -1)),
        "external_funding": external,
    }


def _history(rng, start, last_day):
    """Meetings in the last two years, and summaries for up to the last three whole years in force."""
    meetings = tuple(
        sorted(
            (_day(rng, max(start, last_day - datetime.timedelta(days=730)), last_day), rng.choice(MEETING_NOTES))
            for _ in range(rng.randint(0, 4))
        )
    )
    years = [y for y in range(last_day.year - 3, last_day.year) if y >= start.year]
    kept = rng.randint(0, len(years))
    summaries = tuple(
        (year, rng.choice(SUMMARIES).format(meetings=rng.randint(3, 10), highlight=rng.choice(HIGHLIGHTS)))
        for year in years[len(years) - kept :]
    )
    return meetings, summaries


def _risks(rng, on, in_force):
    risk_count = 0 if rng.random() < 0.15 else rng.randint(1, 4)
    return tuple(
        (
            *risk[:2],
            rng.randint(1, 5),
            rng.randint(1, 5),
            risk[2],
            rng.choice(("Lead officer", "Head of Service", "Partnership manager", "Finance sub-group")),
            _day(rng, on, on + datetime.timedelta(days=365)) if in_force else None,
        )
        for risk in rng.sample(RISKS, risk_count)
    )


def _representatives(rng, officers):
    return tuple(
        (rng.randrange(len(officers)), "", rng.choice(REPRESENTATIVE_ROLES))
        if rng.random() < 0.7
        else (None, rng.choice(COUNCILLORS), rng.choice(REPRESENTATIVE_ROLES))
        for _ in range(rng.randint(1, 3))
    )


def _later_draws(rng, on, entry, officers):
    """The rest of an entry's fields, drawn in this order after everything else (the seed's order)."""
    joined, in_force, approval, last_day = entry["joined"], entry["in_force"], entry["approval"], entry["last_day"]
    tor, eia = entry["terms_of_reference_status"], entry["equality_impact"]
    return {
        "lead_officer": rng.randrange(len(officers)),
        "priorities": tuple(
            sorted(set(entry["kind"].priorities[:1] + tuple(rng.sample(range(len(PRIORITIES)), rng.randint(0, 2)))))
        ),
        "accountable_body_for_funds": entry["council_role"] == CouncilRole.ACCOUNTABLE_BODY or rng.random() < 0.05,
        "terms_of_reference_renewal_date": _day(rng, on, on + datetime.timedelta(days=1095))
        if tor == "agreed"
        else None,
        "business_case_approved_on": (approval or on) if entry["has_business_case"] and joined else None,
        "equality_impact_reason": rng.choice(EIA_REASONS) if eia == EqualityImpact.NOT_NEEDED else "",
        "performance_management": rng.choice(PERFORMANCE),
        "risk_rating": _weighted(
            rng, {RiskRating.LOW: 40, RiskRating.MEDIUM: 40, RiskRating.HIGH: 15, RiskRating.VERY_HIGH: 5}
        ),
        "exit_strategy": rng.choice(EXIT_STRATEGIES),
        "next_progress_report_due": _day(rng, on - datetime.timedelta(days=30), on + datetime.timedelta(days=182))
        if in_force
        else None,
        "next_review_due": _day(rng, on - datetime.timedelta(days=60), on + datetime.timedelta(days=365))
        if in_force
        else None,
        "is_public": rng.random() < 0.95,
        "published_on": _day(rng, max(approval, last_day - datetime.timedelta(days=365)), last_day) if joined else None,
    }


def _places_covered(geography, place):
    """A town's partnership covers that town; a district-wide one every place in the district."""
    if geography == Geography.SUB_DISTRICT:
        return (place,)
    if geography == Geography.DISTRICT:
        return PLACES[Geography.SUB_DISTRICT]
    return ()


def _entry(rng, on, officers, used_names):
    name, geography, kind, place = _name(rng, used_names)
    status = _weighted(rng, STATUS_WEIGHTS)
    joined = status not in (Status.PROPOSED, Status.AWAITING_APPROVAL, Status.REJECTED)
    in_force = status in (Status.ACTIVE, Status.UNDER_REVIEW, Status.EXITING)
    start = _start_date(rng, status, on)
    end = _end_date(rng, status, start, on) if joined else None
    role = _weighted(rng, ROLE_WEIGHTS)
    membership, partners = _partners(rng)
    legal = _weighted(rng, LEGAL_WEIGHTS)
    money = _money_drawn(rng)
    tor = _weighted(rng, {"agreed": 72, "draft": 14, "none": 14} if joined else {"agreed": 20, "draft": 50, "none": 30})
    has_case = rng.random() < (0.86 if joined else 0.5)
    eia = _weighted(rng, {EqualityImpact.DONE: 55, EqualityImpact.PLANNED: 15, EqualityImpact.NOT_NEEDED: 15, "": 15})
    approval = _day(rng, start - datetime.timedelta(days=60), start) if joined else None
    last_day = min(end, on) if end else on
    meetings, summaries = _history(rng, start, last_day) if joined else ((), ())
    risks = _risks(rng, on, in_force)
    representatives = _representatives(rng, officers)
    where = f"in {place}" if place and place != "County" else "across the county" if place else "nationally"
    drawn = {
        "kind": kind,
        "joined": joined,
        "in_force": in_force,
        "approval": approval,
        "last_day": last_day,
        "council_role": role,
        "terms_of_reference_status": tor,
        "equality_impact": eia,
        "has_business_case": has_case,
    }
    return EntryPlan(
        name=name,
        purpose=f"To {kind.aim} {where}, working with partners to make better use of shared resources.",
        shared_objective=f"Partners share one aim: to {kind.aim}.",
        status=status,
        level=kind.level,
        basis=kind.basis,
        membership=membership,
        geography=geography,
        council_role=role,
        rules_of_engagement=RULES[role],
        legal_status=legal,
        legal_status_detail="Partnership board hosted by the county council." if legal == LegalStatus.OTHER else "",
        service_area=kind.area,
        partners=partners,
        representatives=representatives,
        **money,
        terms_of_reference_status=tor,
        has_business_case=has_case,
        equality_impact=eia,
        start_date=start,
        end_date=end,
        approval_date=approval,
        meetings=meetings,
        summaries=summaries,
        risks=risks,
        places=_places_covered(geography, place),
        **_later_draws(rng, on, drawn, officers),
    )


def plan_register(n, seed, reference_date=REFERENCE_DATE):
    """The whole register as plain data, from ``n``, ``seed`` and the reference date alone."""
    rng = random.Random(seed)
    officers = _people(rng, max(12, min(200, n // 25)), "", {"lead", "lead2", "head", "head2"})
    heads = _people(rng, len(SERVICE_AREAS), "hos-", {p.username for p in officers})
    used_names = set()
    entries = tuple(_entry(rng, reference_date, officers, used_names) for _ in range(n))
    return RegisterPlan(seed, reference_date, officers, heads, entries)
