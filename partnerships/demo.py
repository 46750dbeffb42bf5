"""A plausible register for demonstrations and benchmarks: the same register for the same seed.

Two steps. ``plan_register(n, seed)`` draws every name, amount and date from one
``random.Random(seed)`` against a fixed reference date, touching no database, so
the same ``n`` and ``seed`` always give the same plan. ``write_register(plan)``
then writes it in bulk (``bulk_create`` throughout) so that 10,000 entries load in
well under two minutes: each entry gets the row Wagtail would have published, one
revision holding the same content (children included), its "created" and
"published" log entries, and its search index entry. Drafts (proposed, rejected)
are not live and have only their revision; none is awaiting approval, which only
the workflow can make an entry (``workflows.demo`` submits two proposals).

The place is Wyre Forest and its county, as in seed 000, and the mix of geography
levels follows that report's Table 1: district and sub-district partnerships most
common, then county, then sub-regional and regional. People: Heads of Service and
lead officers are the demo accounts ``head``, ``head2``, ``lead`` and ``lead2``
when ``setup_portal --demo-users`` has made them, otherwise generated accounts
with no usable password; either way the plan is the same.
"""

import datetime
import hashlib
import multiprocessing
import os
import random
import zoneinfo
from dataclasses import dataclass, field, fields

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, connections, transaction
from django.db.models import CharField, F, OuterRef, Prefetch, Subquery
from django.db.models.functions import Cast
from django.utils.text import slugify
from modelcluster.models import get_all_child_relations
from wagtail.documents import get_document_model
from wagtail.models import ModelLogEntry, Revision
from wagtail.search.backends import get_search_backends

from portal import roles

from .backfill.services import Approval, approve_in_bulk
from .documents import register_collection
from .models import (
    PUBLIC_STATUSES,
    ActivitySummary,
    Basis,
    CouncilPriority,
    CouncilRepresentative,
    CouncilRole,
    EqualityImpact,
    Geography,
    LegalStatus,
    Level,
    MeetingNote,
    Membership,
    PartnerOrganisation,
    Partnership,
    PartnershipPartner,
    ReferenceCounter,
    RegisterSettings,
    RiskKind,
    RiskRating,
    RiskRegisterEntry,
    Sector,
    ServiceArea,
    Status,
    format_reference,
)
from .models.references import PARTNERSHIP_COUNTER

# Dates are drawn around this day, not today, so a seed means the same register next year.
REFERENCE_DATE = datetime.date(2026, 10, 1)
LONDON = zoneinfo.ZoneInfo("Europe/London")
BATCH = 500

# --- Vocabulary --------------------------------------------------------------------------------

SERVICE_AREAS = [
    "Community Safety",
    "Economic Development and Regeneration",
    "Environmental Services",
    "Health and Wellbeing",
    "Housing",
    "Leisure and Culture",
    "Planning and Transport",
    "Resources and Corporate Policy",
]
PRIORITIES = [
    ("A safe, clean and green district", "Less crime and disorder; cleaner streets; a lower carbon footprint."),
    ("A successful local economy", "Jobs, skills, thriving town centres and investment in the district."),
    ("Homes people can afford", "Enough good homes, fewer people homeless, warmer homes."),
    ("Healthier lives", "Better health and wellbeing, and narrower health inequalities."),
    ("Strong, engaged communities", "Active communities and voluntary groups, and a say in local services."),
    ("An efficient, modern council", "Value for money, shared services and digital access."),
]


@dataclass(frozen=True)
class Kind:
    """A kind of partnership a district council joins, with what usually goes with it."""

    name: str
    area: int  # index into SERVICE_AREAS
    level: str
    basis: str
    geographies: tuple
    priorities: tuple  # indexes into PRIORITIES; the first is always chosen
    aim: str


# name | service area (index) | level (Strategic/Operational) | basis | geography levels | priorities | aim
KINDS_TABLE = """
Community Safety Partnership           | 0 | S | stat | dist         | 0 4 | reduce crime and anti-social behaviour
Neighbourhood Action Group             | 0 | O | vol  | subdist      | 0 4 | tackle the issues residents raise
Youth Offending Service Partnership    | 0 | O | stat | cty          | 0 3 | prevent offending by young people
Drug and Alcohol Action Team           | 0 | O | stat | cty          | 0 3 | reduce the harm drugs and alcohol cause
Road Safety Partnership                | 0 | O | vol  | cty subreg   | 0   | reduce deaths and injuries on the roads
Night-time Economy Forum               | 0 | O | vol  | subdist      | 0 1 | keep the town centre safe at night
Local Enterprise Partnership           | 1 | S | vol  | cty subreg   | 1   | lead economic growth and job creation
Town Centre Partnership                | 1 | O | vol  | subdist      | 1 4 | bring people and money to the town centre
Business Improvement District Board    | 1 | O | stat | subdist      | 1   | deliver projects businesses vote for
Tourism Partnership                    | 1 | O | vol  | dist cty     | 1   | promote the area to visitors
Skills and Employment Board            | 1 | S | vol  | subreg cty   | 1   | match local skills to local jobs
Regional Development Partnership       | 1 | S | vol  | reg          | 1   | coordinate regeneration funding
Waste Partnership                      | 2 | S | stat | cty          | 0 5 | manage household waste and raise recycling
Local Nature Partnership               | 2 | S | vol  | cty          | 0   | protect and improve the natural environment
Climate Change Partnership             | 2 | S | vol  | cty dist     | 0   | cut carbon and adapt to climate change
Flood Risk Management Partnership      | 2 | O | stat | cty subreg   | 0   | reduce the risk of flooding
Air Quality Steering Group             | 2 | O | vol  | dist         | 0 3 | improve air quality in the management areas
Health and Wellbeing Board             | 3 | S | stat | cty          | 3   | improve health and narrow inequalities
Older People's Partnership             | 3 | O | vol  | dist         | 3 4 | help older people live independently
Safeguarding Adults Board              | 3 | S | stat | cty          | 3   | protect adults at risk of abuse
Healthy Communities Network            | 3 | O | vol  | dist subdist | 3 4 | encourage active and healthy lifestyles
Strategic Housing Partnership          | 4 | S | vol  | subreg dist  | 2   | plan and deliver the homes the area needs
Homelessness Forum                     | 4 | O | vol  | dist         | 2 3 | prevent homelessness, help rough sleepers
Supporting People Partnership          | 4 | O | stat | cty          | 2 3 | commission housing-related support
Affordable Warmth Partnership          | 4 | O | vol  | cty dist     | 2 3 | tackle fuel poverty and cold homes
Regional Housing Board                 | 4 | S | vol  | reg          | 2   | set housing investment priorities
Arts Partnership                       | 5 | O | vol  | dist         | 4   | widen access to the arts
Sports Partnership                     | 5 | O | vol  | cty dist     | 3 4 | get more people active in sport
Heritage and Museums Forum             | 5 | O | vol  | dist subdist | 4   | care for and share local heritage
Play Partnership                       | 5 | O | vol  | dist subdist | 3 4 | give children good places to play
Transport Partnership                  | 6 | S | vol  | cty subreg   | 1 0 | improve transport links
Community Transport Scheme             | 6 | O | vol  | dist subdist | 3 4 | help people without a car reach services
Canal and Riverside Partnership        | 6 | O | vol  | subreg       | 0 1 | restore and promote the waterways
Planning Liaison Group                 | 6 | O | vol  | cty          | 2 5 | align planning policy across the county
Local Strategic Partnership            | 7 | S | vol  | dist cty     | 4 5 | agree and deliver the community strategy
Local Resilience Forum                 | 7 | S | stat | cty reg      | 0 5 | plan for and respond to emergencies
Shared Revenues and Benefits Service   | 7 | O | vol  | subreg       | 5   | share revenues and benefits services
Improvement and Efficiency Partnership | 7 | S | vol  | reg          | 5   | share improvement work between councils
Equalities Forum                       | 7 | O | vol  | dist         | 4 5 | make services fair and accessible to all
Rural Services Network                 | 7 | S | vol  | nat          | 4 5 | speak up for services in rural areas
"""
LEVELS = {"S": Level.STRATEGIC, "O": Level.OPERATIONAL}
BASES = {"stat": Basis.STATUTORY, "vol": Basis.VOLUNTARY}
GEOGRAPHIES = {
    "nat": Geography.NATIONAL,
    "reg": Geography.REGIONAL,
    "cty": Geography.COUNTY,
    "subreg": Geography.SUB_REGIONAL,
    "dist": Geography.DISTRICT,
    "subdist": Geography.SUB_DISTRICT,
}


def _kinds(table):
    kinds = []
    for line in table.strip().splitlines():
        name, area, level, basis, geographies, priorities, aim = (cell.strip() for cell in line.split("|"))
        places = tuple(GEOGRAPHIES[g] for g in geographies.split())
        priorities = tuple(int(p) for p in priorities.split())
        kinds.append(Kind(name, int(area), LEVELS[level], BASES[basis], places, priorities, aim))
    return kinds


KINDS = _kinds(KINDS_TABLE)
G = Geography

PLACES = {
    G.NATIONAL: ("",),
    G.REGIONAL: ("West Midlands",),
    G.COUNTY: ("Worcestershire", "County"),
    G.SUB_REGIONAL: ("North Worcestershire", "Wyre Forest and Bromsgrove"),
    G.DISTRICT: ("Wyre Forest",),
    G.SUB_DISTRICT: (
        "Kidderminster",
        "Stourport-on-Severn",
        "Bewdley",
        "Habberley",
        "Areley Kings",
        "Franche",
        "Offmore and Comberton",
        "Blakedown and Chaddesley",
    ),
}
# Seed 000's Table 1 in 2007: 28 district or below, 3 North Worcestershire, 18 county, 3 regional.
GEOGRAPHY_WEIGHTS = {
    G.NATIONAL: 1,
    G.REGIONAL: 6,
    G.COUNTY: 32,
    G.SUB_REGIONAL: 7,
    G.DISTRICT: 39,
    G.SUB_DISTRICT: 15,
}
SUBGROUPS = ("Executive Group", "Delivery Group", "Steering Group", "Task Group", "Officer Group")

STATUS_WEIGHTS = {
    Status.ACTIVE: 55,
    Status.UNDER_REVIEW: 7,
    Status.EXITING: 4,
    Status.CLOSED: 22,
    # Not AWAITING_APPROVAL: only the workflow puts an entry there (see workflows.demo).
    Status.PROPOSED: 10,
    Status.REJECTED: 2,
}
ROLE_WEIGHTS = {
    CouncilRole.LEAD: 14,
    CouncilRole.ACCOUNTABLE_BODY: 8,
    CouncilRole.ACTIVE_MEMBER: 50,
    CouncilRole.SUPPORTING: 20,
    CouncilRole.FUNDER_ONLY: 8,
}
RULES = {
    CouncilRole.LEAD: "The council chairs the partnership, provides its secretariat and leads its delivery plan.",
    CouncilRole.ACCOUNTABLE_BODY: "The council holds and accounts for the partnership's funds and employs its staff.",
    CouncilRole.ACTIVE_MEMBER: "The council is a full member, contributes to decisions and leads agreed actions.",
    CouncilRole.SUPPORTING: "The council attends, shares information and supports partners' work.",
    CouncilRole.FUNDER_ONLY: "The council grant-funds the partnership and monitors outcomes; it does not run it.",
}
LEGAL_WEIGHTS = {
    LegalStatus.UNINCORPORATED: 45,
    LegalStatus.AGREEMENT: 20,
    LegalStatus.STATUTORY_BODY: 12,
    LegalStatus.JOINT_COMMITTEE: 8,
    LegalStatus.COMPANY_LIMITED_BY_GUARANTEE: 8,
    LegalStatus.CHARITABLE_INCORPORATED: 5,
    LegalStatus.OTHER: 2,
}
PARTNERS = [
    # name, sector
    ("Worcestershire County Council", Sector.PUBLIC),
    ("Bromsgrove District Council", Sector.PUBLIC),
    ("Redditch Borough Council", Sector.PUBLIC),
    ("Malvern Hills District Council", Sector.PUBLIC),
    ("Wychavon District Council", Sector.PUBLIC),
    ("Worcester City Council", Sector.PUBLIC),
    ("Kidderminster Town Council", Sector.PUBLIC),
    ("Stourport-on-Severn Town Council", Sector.PUBLIC),
    ("Bewdley Town Council", Sector.PUBLIC),
    ("West Mercia Police", Sector.PUBLIC),
    ("West Mercia Police and Crime Commissioner", Sector.PUBLIC),
    ("Hereford and Worcester Fire and Rescue Service", Sector.PUBLIC),
    ("Probation Service (West Mercia)", Sector.PUBLIC),
    ("Environment Agency", Sector.PUBLIC),
    ("Natural England", Sector.PUBLIC),
    ("Homes England", Sector.PUBLIC),
    ("Jobcentre Plus", Sector.PUBLIC),
    ("Worcestershire Acute Hospitals NHS Trust", Sector.HEALTH),
    ("Herefordshire and Worcestershire Health and Care NHS Trust", Sector.HEALTH),
    ("NHS Herefordshire and Worcestershire Integrated Care Board", Sector.HEALTH),
    ("West Midlands Ambulance Service NHS Foundation Trust", Sector.HEALTH),
    ("Wyre Forest Primary Care Network", Sector.HEALTH),
    ("Citizens Advice Wyre Forest", Sector.VOLUNTARY),
    ("Age UK Herefordshire and Worcestershire", Sector.VOLUNTARY),
    ("Worcestershire Wildlife Trust", Sector.VOLUNTARY),
    ("Community Housing Group", Sector.VOLUNTARY),
    ("St Basils", Sector.VOLUNTARY),
    ("YMCA Worcestershire", Sector.VOLUNTARY),
    ("Healthwatch Worcestershire", Sector.VOLUNTARY),
    ("Wyre Forest Food Bank", Sector.VOLUNTARY),
    ("Kidderminster Rotary Club", Sector.VOLUNTARY),
    ("Canal and River Trust", Sector.VOLUNTARY),
    ("Severn Valley Railway Trust", Sector.VOLUNTARY),
    ("Worcestershire Association of Carers", Sector.VOLUNTARY),
    ("Wyre Forest Voluntary and Community Services", Sector.VOLUNTARY),
    ("Sport Worcestershire", Sector.VOLUNTARY),
    ("Herefordshire and Worcestershire Chamber of Commerce", Sector.PRIVATE),
    ("Federation of Small Businesses (Worcestershire)", Sector.PRIVATE),
    ("Kidderminster Chamber of Trade", Sector.PRIVATE),
    ("Severn Trent Water", Sector.PRIVATE),
    ("Mercia Waste Management", Sector.PRIVATE),
    ("Diamond Bus Midlands", Sector.PRIVATE),
    ("Weavers Wharf Traders' Association", Sector.PRIVATE),
    ("Stourport Marina", Sector.PRIVATE),
    ("University of Worcester", Sector.ACADEMIC),
    ("Heart of Worcestershire College", Sector.ACADEMIC),
    ("Kidderminster College", Sector.ACADEMIC),
    ("University of Birmingham", Sector.ACADEMIC),
    ("Worcestershire Local Enterprise Partnership", Sector.OTHER),
    ("West Midlands Employers", Sector.OTHER),
]
PARTNER_ROLES = ("", "", "", "Chair", "Vice-chair", "Secretariat", "Funder", "Board member", "Accountable body")
FIRST_NAMES = (  # noqa: SIM905 - a list of names reads best as one string
    "Alison Andrew Anita Ben Bridget Callum Carol Daniel Deborah Emma Faisal Fiona Gareth Hannah Ian "
    "Jasmine Karen Kevin Laura Liam Mandeep Mark Nadia Neil Olivia Paul Priya Rachel Richard Sarah Simon "
    "Tariq Tom Victoria Wendy Yusuf Zoe"
).split()
LAST_NAMES = (  # noqa: SIM905 - a list of names reads best as one string
    "Ahmed Baker Bennett Braithwaite Brown Clarke Davies Edwards Evans Green Hall Harris Hughes Jackson "
    "James Jones Khan Lewis Marsh Morgan Morris Patel Price Roberts Shah Smith Taylor Thomas Turner "
    "Walker Ward Watkins Williams Wilson Wright"
).split()
REPRESENTATIVE_ROLES = ("Board member", "Substitute", "Observer", "Officer lead", "Board member")
MEETING_NOTES = (
    "Agreed the annual delivery plan and the partners' contributions.",
    "Reviewed performance against targets; two actions off track, owners named.",
    "Discussed the funding position for next year; partners to confirm contributions by the next meeting.",
    "Received the annual report and agreed the priorities for the coming year.",
    "Reviewed the terms of reference; minor changes to be brought back for agreement.",
    "Heard from residents' representatives; agreed a task group to look at their concerns.",
    "Considered the risk register; the funding risk raised to amber.",
    "Agreed a joint communications plan and a shared data-sharing protocol.",
)
SUMMARIES = (
    "Met {meetings} times. Delivered most of the action plan; {highlight}.",
    "A year of steady progress: {highlight}. Attendance by partners was good.",
    "Partners agreed a new three-year plan; {highlight}.",
)
HIGHLIGHTS = (
    "a joint bid brought in external funding",
    "the shared project finished on time and within budget",
    "two new partners joined",
    "performance improved on four of six measures",
    "the partnership consulted over 500 residents",
    "membership was reviewed and streamlined",
)
RISKS = (
    (
        RiskKind.RISK,
        "Partners withdraw funding before the end of the agreement.",
        "Early warning through the finance sub-group; exit plan agreed.",
    ),
    (
        RiskKind.RISK,
        "The council's reputation suffers if the partnership fails to deliver.",
        "Regular performance reports to the board and Cabinet.",
    ),
    (
        RiskKind.RISK,
        "Unclear accountability for decisions and spending.",
        "Terms of reference set out who decides what.",
    ),
    (
        RiskKind.RISK,
        "Personal data is shared without a lawful basis.",
        "A data-sharing agreement signed by every partner.",
    ),
    (RiskKind.RISK, "Key officers leave and knowledge is lost.", "Named deputies; records kept on the shared site."),
    (
        RiskKind.OPPORTUNITY,
        "Joint bids attract external funding no partner could win alone.",
        "Bid-writing capacity shared between partners.",
    ),
    (
        RiskKind.OPPORTUNITY,
        "Shared services reduce each partner's costs.",
        "Options appraisal of shared back-office services.",
    ),
)
PERFORMANCE = (
    "Quarterly performance report to the board against the delivery plan.",
    "Annual report to Cabinet; six-monthly progress reports to the lead officer's Head of Service.",
    "Key indicators in the council's performance management system, reviewed quarterly.",
    "Outcomes framework agreed by partners; independent evaluation every three years.",
)
EXIT_STRATEGIES = (
    "Six months' notice to partners; assets and liabilities shared as the agreement sets out.",
    "The council withdraws at the end of the funding period; services pass to the lead partner.",
    "Succession to the county-wide partnership if the district group is wound up.",
    "",
)
EIA_REASONS = (
    "The partnership shares information only; it makes no decisions about services.",
    "Covered by the lead partner's own equality impact assessment.",
)
COUNCILLORS = (
    "Cllr J. Baker",
    "Cllr M. Hart",
    "Cllr S. Clee",
    "Cllr P. Dyke",
    "Cllr H. Dyke",
    "Cllr N. Knowles",
    "Cllr F. Oborski",
)


# --- The plan ----------------------------------------------------------------------------------


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


def _entry(rng, on, officers, used_names):
    name, geography, kind, place = _name(rng, used_names)
    status = _weighted(rng, STATUS_WEIGHTS)
    joined = status not in (Status.PROPOSED, Status.AWAITING_APPROVAL, Status.REJECTED)
    in_force = status in (Status.ACTIVE, Status.UNDER_REVIEW, Status.EXITING)
    start = _start_date(rng, status, on)
    end = _end_date(rng, status, start, on) if joined else None
    role = _weighted(rng, ROLE_WEIGHTS)
    membership = Membership.SINGLE if rng.random() < 0.15 else Membership.MULTI
    partner_count = 1 if membership == Membership.SINGLE else rng.randint(2, 8)
    partners = tuple(
        (index, rng.choice(PARTNER_ROLES)) for index in sorted(rng.sample(range(len(PARTNERS)), partner_count))
    )
    legal = _weighted(rng, LEGAL_WEIGHTS)

    # Money: a third put no money in; most of the rest under £30,000; one in ten above it.
    draw = rng.random()
    contribution = (
        0 if draw < 0.33 else _money(rng, 250, 29_500, 50) if draw < 0.9 else _money(rng, 30_500, 250_000, 500)
    )
    hours = _money(rng, 10, 600, 5)
    rate = rng.randint(28, 45)
    external = 0 if rng.random() < 0.55 else _money(rng, 1_000, 750_000, 100)

    tor = _weighted(rng, {"agreed": 72, "draft": 14, "none": 14} if joined else {"agreed": 20, "draft": 50, "none": 30})
    has_case = rng.random() < (0.86 if joined else 0.5)
    eia = _weighted(rng, {EqualityImpact.DONE: 55, EqualityImpact.PLANNED: 15, EqualityImpact.NOT_NEEDED: 15, "": 15})
    approval = _day(rng, start - datetime.timedelta(days=60), start) if joined else None
    last_day = min(end, on) if end else on

    meetings = ()
    summaries = ()
    if joined:
        meetings = tuple(
            sorted(
                (_day(rng, max(start, last_day - datetime.timedelta(days=730)), last_day), rng.choice(MEETING_NOTES))
                for _ in range(rng.randint(0, 4))
            )
        )
        # Summaries for up to the last three whole years in force.
        years = [y for y in range(last_day.year - 3, last_day.year) if y >= start.year]
        kept = rng.randint(0, len(years))
        summaries = tuple(
            (year, rng.choice(SUMMARIES).format(meetings=rng.randint(3, 10), highlight=rng.choice(HIGHLIGHTS)))
            for year in years[len(years) - kept :]
        )
    risk_count = 0 if rng.random() < 0.15 else rng.randint(1, 4)
    risks = tuple(
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
    representatives = tuple(
        (rng.randrange(len(officers)), "", rng.choice(REPRESENTATIVE_ROLES))
        if rng.random() < 0.7
        else (None, rng.choice(COUNCILLORS), rng.choice(REPRESENTATIVE_ROLES))
        for _ in range(rng.randint(1, 3))
    )
    where = f"in {place}" if place and place != "County" else "across the county" if place else "nationally"
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
        lead_officer=rng.randrange(len(officers)),
        priorities=tuple(
            sorted(set(kind.priorities[:1] + tuple(rng.sample(range(len(PRIORITIES)), rng.randint(0, 2)))))
        ),
        partners=partners,
        representatives=representatives,
        annual_contribution=contribution,
        in_kind_hours=hours,
        in_kind_value=int(round(hours * rate, -1)),
        external_funding=external,
        accountable_body_for_funds=role == CouncilRole.ACCOUNTABLE_BODY or rng.random() < 0.05,
        terms_of_reference_status=tor,
        terms_of_reference_renewal_date=_day(rng, on, on + datetime.timedelta(days=1095)) if tor == "agreed" else None,
        has_business_case=has_case,
        business_case_approved_on=(approval or on) if has_case and joined else None,
        equality_impact=eia,
        equality_impact_reason=rng.choice(EIA_REASONS) if eia == EqualityImpact.NOT_NEEDED else "",
        performance_management=rng.choice(PERFORMANCE),
        risk_rating=_weighted(
            rng, {RiskRating.LOW: 40, RiskRating.MEDIUM: 40, RiskRating.HIGH: 15, RiskRating.VERY_HIGH: 5}
        ),
        exit_strategy=rng.choice(EXIT_STRATEGIES),
        start_date=start,
        end_date=end,
        approval_date=approval,
        next_progress_report_due=_day(rng, on - datetime.timedelta(days=30), on + datetime.timedelta(days=182))
        if in_force
        else None,
        next_review_due=_day(rng, on - datetime.timedelta(days=60), on + datetime.timedelta(days=365))
        if in_force
        else None,
        is_public=rng.random() < 0.95,
        published_on=_day(rng, max(approval, last_day - datetime.timedelta(days=365)), last_day) if joined else None,
        meetings=meetings,
        summaries=summaries,
        risks=risks,
    )


def plan_register(n, seed, reference_date=REFERENCE_DATE):
    """The whole register as plain data, from ``n``, ``seed`` and the reference date alone."""
    rng = random.Random(seed)
    officers = _people(rng, max(12, min(200, n // 25)), "", {"lead", "lead2", "head", "head2"})
    heads = _people(rng, len(SERVICE_AREAS), "hos-", {p.username for p in officers})
    used_names = set()
    entries = tuple(_entry(rng, reference_date, officers, used_names) for _ in range(n))
    return RegisterPlan(seed, reference_date, officers, heads, entries)


# --- Writing it --------------------------------------------------------------------------------

DEMO_OFFICERS = ("lead", "lead2")  # take officer slots 0 and 1 when the demo accounts exist
DEMO_HEADS = ("head", "head2")  # Heads of Service for the first two service areas


def _accounts(people, demo_usernames, group_names):
    """One user per planned person: a demo account in its slot when present, else a generated one."""
    User = get_user_model()
    demo = {u.username: u for u in User.objects.filter(username__in=demo_usernames)}
    wanted = {}
    for person in people:
        stand_in = demo_usernames[person.slot] if person.slot < len(demo_usernames) else None
        wanted[person.slot] = demo.get(stand_in) or person
    missing = [p for p in wanted.values() if isinstance(p, PersonPlan)]
    existing = {u.username: u for u in User.objects.filter(username__in=[p.username for p in missing])}
    new_users = []
    for person in missing:
        if person.username not in existing:
            user = User(
                username=person.username,
                first_name=person.first_name,
                last_name=person.last_name,
                email=f"{person.username}@council.example",
            )
            user.set_unusable_password()
            new_users.append(user)
    User.objects.bulk_create(new_users, batch_size=BATCH)
    existing.update({u.username: u for u in User.objects.filter(username__in=[u.username for u in new_users])})
    groups = list(Group.objects.filter(name__in=group_names))
    User.groups.through.objects.bulk_create(
        [User.groups.through(user_id=existing[u.username].pk, group_id=g.pk) for u in new_users for g in groups],
        batch_size=BATCH,
    )
    return {slot: (p if not isinstance(p, PersonPlan) else existing[p.username]) for slot, p in wanted.items()}


def _by_name(model, names, defaults):
    """Existing rows by name, creating the missing ones in one insert."""
    found = {obj.name: obj for obj in model.objects.filter(name__in=names)}
    model.objects.bulk_create([model(name=name, **defaults(name)) for name in names if name not in found])
    return {obj.name: obj for obj in model.objects.filter(name__in=names)}


def _at(day, hour=10):
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=LONDON)


def _allocate_references(n):
    """A block of ``n`` references from the counter, taken under its lock as ``allocate_reference`` does."""
    ReferenceCounter.objects.get_or_create(name=PARTNERSHIP_COUNTER)
    counter = ReferenceCounter.objects.select_for_update().get(name=PARTNERSHIP_COUNTER)
    first = counter.last_value + 1
    counter.last_value += n
    counter.save(update_fields=["last_value"])
    return [format_reference(number) for number in range(first, first + n)]


def _slugs(names):
    taken = set(Partnership.objects.values_list("slug", flat=True))
    slugs = []
    for name in names:
        slug = base = slugify(name)[:240]
        n = 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug)
        slugs.append(slug)
    return slugs


def _business_cases(plan, references):
    """A short business-case document for each entry that has one (files are real, so links work)."""
    Document = get_document_model()
    collection = register_collection()
    if collection is None:
        raise RuntimeError("Run setup_portal first: business cases go in its private collection.")
    documents = {}
    for entry, reference in zip(plan.entries, references, strict=True):
        if not entry.has_business_case:
            continue
        text = (
            f"Business case: {entry.name} ({reference})\n\n{entry.purpose}\n\n"
            "Demonstration data made by manage.py seed_demo.\n"
        ).encode()
        path = default_storage.save(f"documents/demo/business-case-{reference.lower()}.txt", ContentFile(text))
        documents[reference] = Document(
            title=f"Business case: {entry.name}",
            file=path,
            collection=collection,
            file_size=len(text),
            file_hash=hashlib.sha1(text, usedforsecurity=False).hexdigest(),
        )
    Document.objects.bulk_create(documents.values(), batch_size=BATCH)
    return documents


# EntryPlan fields that are Partnership fields of the same name and value.
COPIED_FIELDS = [
    f.name
    for f in fields(EntryPlan)
    if f.name not in {"service_area", "lead_officer", "priorities", "partners", "representatives"}
    and f.name not in {"has_business_case", "published_on", "meetings", "summaries", "risks"}
]


def _partnership(entry, reference, slug, areas, officers, heads, business_case):
    live = entry.published_on is not None
    return Partnership(
        **{name: getattr(entry, name) for name in COPIED_FIELDS},
        reference=reference,
        slug=slug,
        lead_officer=officers[entry.lead_officer],
        head_of_service=heads[entry.service_area],
        service_area=areas[entry.service_area],
        business_case=business_case,
        # Written as a draft: it goes live only with its approval record (_approve).
        live=False,
        has_unpublished_changes=not live,
        first_published_at=_at(entry.approval_date) if live else None,
        last_published_at=_at(entry.published_on) if live else None,
    )


# The demonstration register stands for one kept before the portal: its published entries
# come in by the same recorded back-fill a register manager uses for the real one.
DEMO_APPROVER = "Management Board (demonstration data)"


def _approve(plan, partnerships):
    approved = [
        (partnership, Approval(entry.approval_date or entry.start_date, DEMO_APPROVER))
        for entry, partnership in zip(plan.entries, partnerships, strict=True)
        if entry.published_on is not None
    ]
    approve_in_bulk([p for p, _ in approved], [a for _, a in approved])


def _children(entry, partnership, partners, officers, priorities):
    return {
        "partners": [
            PartnershipPartner(partnership=partnership, organisation=partners[index], role=role, sort_order=order)
            for order, (index, role) in enumerate(entry.partners)
        ],
        "representatives": [
            CouncilRepresentative(
                partnership=partnership,
                officer=officers[slot] if slot is not None else None,
                councillor_name=councillor,
                role=role,
                sort_order=order,
            )
            for order, (slot, councillor, role) in enumerate(entry.representatives)
        ],
        "meeting_notes": [MeetingNote(partnership=partnership, date=day, notes=notes) for day, notes in entry.meetings],
        "activity_summaries": [
            ActivitySummary(partnership=partnership, year=year, summary=text) for year, text in entry.summaries
        ],
        "risks": [
            RiskRegisterEntry(
                partnership=partnership,
                kind=kind,
                description=description,
                likelihood=likelihood,
                impact=impact,
                mitigation=mitigation,
                owner=owner,
                review_date=review,
            )
            for kind, description, likelihood, impact, mitigation, owner, review in entry.risks
        ],
        "council_priorities": [priorities[i] for i in entry.priorities],
    }


def _indexed(model_label):
    """What the index reads, fetched in a few queries per batch.

    Wagtail's own ``get_indexed_objects()`` leaves nested and parental many-to-many
    relations to one query per row.
    """
    if model_label == "partnership":
        partners = Prefetch("partners", PartnershipPartner.objects.select_related("organisation"))
        return Partnership.objects.select_related("service_area").prefetch_related(partners, "council_priorities")
    return get_document_model().objects.prefetch_related("tags")


def _index_batch(job):
    model_label, pks = job
    queryset = _indexed(model_label)
    try:
        for backend in get_search_backends(with_auto_update=True):
            backend.add_bulk(queryset.model, list(queryset.filter(pk__in=pks)))
    finally:
        if multiprocessing.parent_process() is not None:
            connections.close_all()


def _index(partnerships, documents):
    """Add the rows bulk_create made to the search index, as saving each would have.

    Indexing is most of the cost of a large seed on PostgreSQL (the backend builds
    each entry's search vectors in Python), so there, once the rows are committed,
    it is shared between processes. Inside a transaction (a test) or on SQLite it
    runs here, in order.
    """
    jobs = [
        (label, [obj.pk for obj in objects[start : start + BATCH]])
        for label, objects in (("partnership", partnerships), ("document", documents))
        for start in range(0, len(objects), BATCH)
    ]
    in_parallel = (
        len(jobs) > 2
        and connection.vendor == "postgresql"
        and not connection.in_atomic_block
        and (os.cpu_count() or 1) > 1
    )
    if not in_parallel:
        for job in jobs:
            _index_batch(job)
        return
    connections.close_all()  # children must open their own connections, not share these
    with multiprocessing.get_context("fork").Pool(min(os.cpu_count(), 4)) as pool:
        pool.map(_index_batch, jobs, chunksize=1)


@dataclass
class SeedReport:
    created: int
    public: int
    drafts: int
    significant: int
    references: tuple


@transaction.atomic
def _write_rows(plan):
    heads = _accounts(plan.heads, DEMO_HEADS, [roles.STAFF, roles.HEADS_OF_SERVICE])
    officers = _accounts(plan.officers, DEMO_OFFICERS, [roles.STAFF, roles.LEAD_OFFICERS])
    areas_by_name = _by_name(
        ServiceArea, SERVICE_AREAS, lambda name: {"head_of_service": heads[SERVICE_AREAS.index(name)]}
    )
    areas = [areas_by_name[name] for name in SERVICE_AREAS]
    area_heads = [area.head_of_service for area in areas]
    descriptions = dict(PRIORITIES)
    priorities_by_name = _by_name(CouncilPriority, list(descriptions), lambda name: {"description": descriptions[name]})
    priorities = [priorities_by_name[name] for name, _ in PRIORITIES]
    sectors = dict(PARTNERS)
    partners_by_name = _by_name(
        PartnerOrganisation,
        list(sectors),
        lambda name: {"sector": sectors[name], "website": f"https://{slugify(name)}.example.org/"},
    )
    partners = [partners_by_name[name] for name, _ in PARTNERS]

    references = _allocate_references(len(plan.entries))
    slugs = _slugs([entry.name for entry in plan.entries])
    cases = _business_cases(plan, references)
    partnerships = [
        _partnership(entry, reference, slug, areas, officers, area_heads, cases.get(reference))
        for entry, reference, slug in zip(plan.entries, references, slugs, strict=True)
    ]
    Partnership.objects.bulk_create(partnerships, batch_size=BATCH)
    _approve(plan, partnerships)

    children = [
        _children(entry, partnership, partners, officers, priorities)
        for entry, partnership in zip(plan.entries, partnerships, strict=True)
    ]
    for model, name in (
        (PartnershipPartner, "partners"),
        (CouncilRepresentative, "representatives"),
        (MeetingNote, "meeting_notes"),
        (ActivitySummary, "activity_summaries"),
        (RiskRegisterEntry, "risks"),
    ):
        model.objects.bulk_create([child for group in children for child in group[name]], batch_size=BATCH)
    through = Partnership.council_priorities.through
    through.objects.bulk_create(
        [
            through(partnership_id=p.pk, councilpriority_id=priority.pk)
            for p, group in zip(partnerships, children, strict=True)
            for priority in group["council_priorities"]
        ],
        batch_size=BATCH,
    )

    # One revision each, holding the entry as published (or as drafted), children and all.
    content_type = ContentType.objects.get_for_model(Partnership)
    revisions = []
    child_relations = [rel.get_accessor_name() for rel in get_all_child_relations(Partnership)]
    for entry, partnership, group in zip(plan.entries, partnerships, children, strict=True):
        # modelcluster keeps these in memory for serialising; relations the demo does not
        # fill (checklist answers, say) are set empty rather than read back one by one.
        for name in child_relations:
            setattr(partnership, name, group.get(name, []))
        partnership.council_priorities = group["council_priorities"]
        drafted = min(entry.start_date - datetime.timedelta(days=30), plan.reference_date)
        created = _at(entry.approval_date or drafted, hour=9)
        revisions.append(
            Revision(
                content_type=content_type,
                base_content_type=content_type,
                object_id=str(partnership.pk),
                created_at=_at(entry.published_on) if entry.published_on else created,
                user=officers[entry.lead_officer],
                object_str=partnership.name,
                content=partnership.serializable_data(),
            )
        )
    Revision.objects.bulk_create(revisions, batch_size=BATCH)
    # Point each entry at its revision in two statements rather than a bulk_update's
    # CASE per row: the revision is found by the entry's id.
    seeded = Partnership.objects.filter(pk__in=[p.pk for p in partnerships])
    own_revision = Revision.objects.filter(base_content_type=content_type, object_id=Cast(OuterRef("pk"), CharField()))
    seeded.update(latest_revision=Subquery(own_revision.order_by("-pk").values("pk")[:1]))
    seeded.filter(live=True).update(live_revision=F("latest_revision"))
    for partnership, revision in zip(partnerships, revisions, strict=True):
        partnership.latest_revision = revision
        partnership.live_revision = revision if partnership.live else None

    logs = []
    for entry, partnership, revision in zip(plan.entries, partnerships, revisions, strict=True):
        logged = {"content_type": content_type, "label": partnership.name, "object_id": str(partnership.pk)}
        user = officers[entry.lead_officer]
        logs.append(ModelLogEntry(action="wagtail.create", timestamp=revision.created_at, user=user, **logged))
        if partnership.live:
            logs.append(
                ModelLogEntry(
                    action="wagtail.publish",
                    timestamp=revision.created_at,
                    revision=revision,
                    content_changed=True,
                    **logged,
                )
            )
    ModelLogEntry.objects.bulk_create(logs, batch_size=BATCH)

    public = [p for p in partnerships if p.live and p.is_public and p.status in PUBLIC_STATUSES]
    threshold = RegisterSettings.load().significant_threshold
    report = SeedReport(
        created=len(partnerships),
        public=len(public),
        drafts=sum(1 for p in partnerships if not p.live),
        significant=sum(1 for p in partnerships if p.annual_contribution > threshold),
        references=(references[0], references[-1]) if references else (),
    )
    return report, partnerships, list(cases.values())


def write_register(plan):
    """Write a plan to the database, beside whatever is there, and index it; returns a ``SeedReport``."""
    report, partnerships, documents = _write_rows(plan)
    _index(partnerships, documents)
    return report


def seed(n, seed, reference_date=REFERENCE_DATE):
    return write_register(plan_register(n, seed, reference_date))
