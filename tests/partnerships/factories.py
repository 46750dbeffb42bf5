"""Register test data. Entries default to published and active; use the ``draft`` trait for proposals.

The import's spreadsheets are built here too, in memory: ``row`` changes cells of ``GOOD_ROW``.
"""

import csv
import datetime
import io
import re
import zoneinfo
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone
from factory.django import DjangoModelFactory
from openpyxl import Workbook

from partnerships import models
from partnerships.importing.columns import COLUMNS
from portal.models import QuestionSet


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"officer{n}")
    first_name = factory.Sequence(lambda n: f"Officer{n}")
    last_name = "Example"
    email = factory.LazyAttribute(lambda u: f"{u.username}@council.example")


class ServiceAreaFactory(DjangoModelFactory):
    class Meta:
        model = models.ServiceArea

    name = factory.Sequence(lambda n: f"Service area {n}")
    head_of_service = factory.SubFactory(UserFactory)


class PartnerOrganisationFactory(DjangoModelFactory):
    class Meta:
        model = models.PartnerOrganisation

    name = factory.Sequence(lambda n: f"Partner body {n}")
    sector = models.Sector.PUBLIC


class CouncilPriorityFactory(DjangoModelFactory):
    class Meta:
        model = models.CouncilPriority

    name = factory.Sequence(lambda n: f"Priority {n}")


class PartnershipFactory(DjangoModelFactory):
    class Meta:
        model = models.Partnership

    name = factory.Sequence(lambda n: f"Partnership number {n}")
    purpose = "To work together for the district."
    shared_objective = "Safer streets."
    status = models.Status.ACTIVE
    live = True
    is_public = True
    level = models.Level.STRATEGIC
    basis = models.Basis.VOLUNTARY
    membership = models.Membership.MULTI
    geography = models.Geography.DISTRICT
    council_role = models.CouncilRole.ACTIVE_MEMBER
    lead_officer = factory.SubFactory(UserFactory)
    service_area = factory.SubFactory(ServiceAreaFactory)
    annual_contribution = Decimal("1000")
    start_date = datetime.date(2020, 4, 1)

    class Params:
        draft = factory.Trait(live=False, status=models.Status.PROPOSED)

    @classmethod
    def _create(cls, model_class, *args, live=True, **kwargs):
        """A published entry is saved as a draft, recorded as approved before the portal, then made live.

        The same rule as the portal's: nothing is live without an approval record.
        """
        entry = super()._create(model_class, *args, live=False, **kwargs)
        if live:
            models.ApprovalRecord.objects.create(
                partnership=entry,
                route=models.ApprovalRecord.Route.BACKFILL,
                approved_on=entry.start_date or datetime.date(2020, 1, 1),
                approved_by="Cabinet (test data)",
            )
            entry.live = True
            entry.save(update_fields=["live"])
        return entry


class PartnershipPartnerFactory(DjangoModelFactory):
    class Meta:
        model = models.PartnershipPartner

    partnership = factory.SubFactory(PartnershipFactory)
    organisation = factory.SubFactory(PartnerOrganisationFactory)


class RiskRegisterEntryFactory(DjangoModelFactory):
    class Meta:
        model = models.RiskRegisterEntry

    partnership = factory.SubFactory(PartnershipFactory)
    description = "Partners' priorities drift apart."
    likelihood = 3
    impact = 4


# --- Published entries, as the admin publishes them -------------------------------------------
# ``PartnershipFactory`` writes rows directly; these add partners and priorities and publish
# through a revision, so ``last_published_at`` is set as in production.


def published(entry):
    """Publish an entry's current state through a revision, as the admin does; returns it fresh."""
    entry.save_revision().publish()
    return models.Partnership.objects.get(pk=entry.pk)


def public_entry(partners=(), priorities=(), publish=True, **fields):
    """A public entry with partner organisations (names, or (name, sector) pairs) and priorities (names)."""
    entry = PartnershipFactory(**fields)
    for position, partner in enumerate(partners):
        name, sector = partner if isinstance(partner, tuple) else (partner, models.Sector.PUBLIC)
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


def progress_report(partnership, on, rating, sufficient=True, due=None, issues=""):
    """A progress report submitted at noon on ``on`` (London); one not green, or not sufficient, says what is wrong."""
    return models.ProgressReport.objects.create(
        partnership=partnership,
        period_start=on - datetime.timedelta(days=180),
        period_end=on - datetime.timedelta(days=5),
        rating=rating,
        sufficient_progress=sufficient,
        achievements="Things happened.",
        issues=issues or ("" if rating == "green" and sufficient else f"{partnership.name} lost a partner."),
        next_steps=f"{partnership.name} will recruit.",
        due_date=due,
        submitted_at=datetime.datetime(on.year, on.month, on.day, 12, tzinfo=zoneinfo.ZoneInfo("Europe/London")),
    )


# --- Spreadsheets for the import ------------------------------------------------------------------

GOOD_ROW = {
    "Name": "Community Safety Partnership",
    "Purpose and aims": "To cut crime and the fear of crime.",
    "Shared objective": "Safer streets",
    "Status": "Proposed",
    "Level": "Strategic",
    "Basis": "statutory",
    "Membership": "Multi-organisation",
    "Geography": "District",
    "Council role": "Lead partner",
    "Partners": "Anytown Police; Anytown Fire and Rescue Service",
    "Council priorities": "Safer communities",
    "Lead officer": "jane.smith@council.example",
    "Service area": "Community Safety",
    "Annual council contribution (£)": "£30,000",
    "In-kind officer time (hours a year)": "120",
    "External funding (£ a year)": "£12,500.50",
    "Accountable body for funds": "No",
    "Terms of reference": "Agreed",
    "Equality impact assessment": "Done",
    "Overall risk rating": "Medium",
    "Start date": "01/04/2024",
    "Next annual review due": "31/03/2025",
    "Publish publicly": "Yes",
}


def row(**cells):
    """GOOD_ROW with some cells changed: ``row(Name="X")`` or ``row(**{"Start date": "31/02/2024"})``."""
    unknown = set(cells) - {column.header for column in COLUMNS}
    assert not unknown, unknown
    return {**GOOD_ROW, **cells}


def csv_bytes(rows, encoding="utf-8", headers=None):
    headers = headers or list(dict.fromkeys(key for data in rows for key in data))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=headers, lineterminator="\r\n")
    writer.writeheader()
    for data in rows:
        writer.writerow({key: data.get(key, "") for key in headers})
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows, headers=None):
    headers = headers or list(dict.fromkeys(key for data in rows for key in data))
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Register"
    sheet.append(headers)
    for data in rows:
        sheet.append([data.get(key) for key in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def form_action(response, label):
    """The action URL of the form whose button says ``label``."""
    html = response.content.decode()
    for action, body in re.findall(r'<form action="([^"]+)" method="post">(.*?)</form>', html, re.S):
        if label in body:
            return action
    raise AssertionError(f"no form with a {label!r} button")


# --- Progress reports and annual reviews, as the intranet's forms post them ------------------------


def report_url(entry):
    return f"/intranet/register/{entry.pk}/progress-report/"


def review_url(entry):
    return f"/intranet/register/{entry.pk}/annual-review/"


def dated(name, day):
    return {f"{name}_day": str(day.day), f"{name}_month": str(day.month), f"{name}_year": str(day.year)}


def good_report(**changes):
    data = {
        **dated("period_start", datetime.date(2025, 10, 1)),
        **dated("period_end", datetime.date(2026, 3, 31)),
        "rating": "amber",
        "sufficient_progress": "yes",
        "achievements": "Joint patrols started.",
        "issues": "One partner left the board.",
        "next_steps": "Recruit a new partner.",
        "spend_to_date": "£1,250.50",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def question_codes():
    return {
        kind: list(QuestionSet.objects.get(kind=kind).questions.values_list("code", flat=True))
        for kind in ("improvement", "five_minute")
    }


def good_review(**changes):
    data = {**dated("review_date", timezone.localdate()), "outcome": "continue"}
    for kind, codes in question_codes().items():
        for code in codes:
            data[f"{kind}_{code}"] = "yes"
            data[f"{kind}_{code}_action"] = ""
    data |= {"improvements": "", "exit_plan": "", "activity_year": "2025", "activity_summary": "Met quarterly."}
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}
