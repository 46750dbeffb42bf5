"""Writing a demonstration register plan to the database, in bulk.

``write_register(plan)`` uses ``bulk_create`` throughout so that 10,000 entries load in
well under two minutes: each entry gets the row Wagtail would have published, one
revision holding the same content (children included), its "created" and "published"
log entries, and its search index entry. Drafts (proposed, rejected) are not live and
have only their revision; none is awaiting approval, which only the workflow can make
an entry (``seed_demo --submit-proposals`` submits two proposals).

People: Heads of Service and lead officers are the demo accounts ``head``, ``head2``,
``lead`` and ``lead2`` when ``setup_portal --demo-users`` has made them, otherwise
generated accounts with no usable password; either way the plan is the same.
"""

import datetime
import hashlib
import zoneinfo
from dataclasses import dataclass, fields

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import CharField, F, OuterRef, Subquery
from django.db.models.functions import Cast
from django.utils.text import slugify
from modelcluster.models import get_all_child_relations
from wagtail.documents import get_document_model
from wagtail.models import ModelLogEntry, Revision

from portal import roles

from ..backfill.services import Approval, approve_in_bulk
from ..documents import register_collection
from ..models import (
    PUBLIC_STATUSES,
    ActivitySummary,
    Area,
    CouncilPriority,
    CouncilRepresentative,
    Geography,
    MeetingNote,
    PartnerOrganisation,
    Partnership,
    PartnershipPartner,
    ReferenceCounter,
    RegisterSettings,
    RiskRegisterEntry,
    ServiceArea,
    format_reference,
)
from ..models.querysets import is_significant
from ..models.references import PARTNERSHIP_COUNTER
from .indexing import index_register
from .plan import REFERENCE_DATE, EntryPlan, PersonPlan, plan_register
from .vocabulary import PARTNERS, PLACES, PRIORITIES, SERVICE_AREAS

LONDON = zoneinfo.ZoneInfo("Europe/London")
BATCH = 500


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


@transaction.atomic
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
    and f.name not in {"has_business_case", "published_on", "meetings", "summaries", "risks", "places"}
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


def _children(entry, partnership, partners, officers, priorities, places):
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
        # Every other meeting's notes published: the register shows some, the rest stay internal.
        "meeting_notes": [
            MeetingNote(partnership=partnership, date=day, notes=notes, publish_notes=order % 2 == 0)
            for order, (day, notes) in enumerate(entry.meetings)
        ],
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
        "areas": [places[name] for name in entry.places],
    }


@dataclass
class SeedReport:
    created: int
    public: int
    drafts: int
    significant: int
    references: tuple


@transaction.atomic
def _reference_data(plan):
    """Accounts, service areas, priorities and partner organisations, made or found by name."""
    heads = _accounts(plan.heads, DEMO_HEADS, [roles.STAFF, roles.HEADS_OF_SERVICE])
    officers = _accounts(plan.officers, DEMO_OFFICERS, [roles.STAFF, roles.LEAD_OFFICERS])
    areas_by_name = _by_name(
        ServiceArea, SERVICE_AREAS, lambda name: {"head_of_service": heads[SERVICE_AREAS.index(name)]}
    )
    areas = [areas_by_name[name] for name in SERVICE_AREAS]
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
    return officers, areas, priorities, partners


def _write_children(plan, partnerships, partners, officers, priorities):
    places = _by_name(Area, list(PLACES[Geography.SUB_DISTRICT]), lambda name: {})
    children = [
        _children(entry, partnership, partners, officers, priorities, places)
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
    covers = Partnership.areas.through
    pairs = zip(partnerships, children, strict=True)
    rows = [covers(partnership_id=p.pk, area_id=area.pk) for p, group in pairs for area in group["areas"]]
    covers.objects.bulk_create(rows, batch_size=BATCH)
    return children


def _write_revisions(plan, partnerships, children, officers, content_type):
    """One revision each, holding the entry as published (or as drafted), children and all."""
    revisions = []
    child_relations = [rel.get_accessor_name() for rel in get_all_child_relations(Partnership)]
    for entry, partnership, group in zip(plan.entries, partnerships, children, strict=True):
        # modelcluster keeps these in memory for serialising; relations the demo does not
        # fill (checklist answers, say) are set empty rather than read back one by one.
        for name in child_relations:
            setattr(partnership, name, group.get(name, []))
        partnership.council_priorities = group["council_priorities"]
        partnership.areas = group["areas"]
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
    return revisions


def _write_log(plan, partnerships, revisions, officers, content_type):
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


def _write_rows(plan):
    officers, areas, priorities, partners = _reference_data(plan)
    area_heads = [area.head_of_service for area in areas]
    references = _allocate_references(len(plan.entries))
    slugs = _slugs([entry.name for entry in plan.entries])
    cases = _business_cases(plan, references)
    partnerships = [
        _partnership(entry, reference, slug, areas, officers, area_heads, cases.get(reference))
        for entry, reference, slug in zip(plan.entries, references, slugs, strict=True)
    ]
    Partnership.objects.bulk_create(partnerships, batch_size=BATCH)
    _approve(plan, partnerships)
    children = _write_children(plan, partnerships, partners, officers, priorities)
    content_type = ContentType.objects.get_for_model(Partnership)
    revisions = _write_revisions(plan, partnerships, children, officers, content_type)
    _write_log(plan, partnerships, revisions, officers, content_type)

    public = [p for p in partnerships if p.live and p.is_public and p.status in PUBLIC_STATUSES]
    threshold = RegisterSettings.load().significant_threshold
    report = SeedReport(
        created=len(partnerships),
        public=len(public),
        drafts=sum(1 for p in partnerships if not p.live),
        significant=sum(1 for p in partnerships if is_significant(p.annual_contribution, threshold)),
        references=(references[0], references[-1]) if references else (),
    )
    return report, partnerships, list(cases.values())


def write_register(plan):
    """Write a plan to the database, beside whatever is there, and index it; returns a ``SeedReport``."""
    report, partnerships, documents = _write_rows(plan)
    index_register(partnerships, documents)
    return report


def seed(n, seed, reference_date=REFERENCE_DATE):
    return write_register(plan_register(n, seed, reference_date))
