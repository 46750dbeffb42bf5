"""Nothing unapproved and no internal field reaches the public.

One register holds a published public entry and every kind of entry the public must
not see; every internal field of every entry carries a unique marker. Then every
public output — the register's list (plain, searched, filtered), entry pages, the
CSV and JSON files, the open-data page, site search, the sitemap and the API — is
read as an anonymous visitor would, and searched for what must not be there.
"""

import datetime
import html
import itertools
import json
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import models
from wagtail.documents import get_document_model
from wagtail.models import GroupApprovalTask, Workflow, WorkflowContentType, WorkflowState, WorkflowTask

from partnerships.models import (
    ActivitySummary,
    CouncilRepresentative,
    MeetingNote,
    Partnership,
    RiskRegisterEntry,
    Sector,
    Status,
)
from partnerships.public.fields import PUBLIC_FIELD_NAMES, public_queryset
from partnerships.public.filters import search_condition
from partnerships.public.pages import RegisterPage
from tests.partnerships.factories import PartnershipFactory, ServiceAreaFactory, UserFactory, public_entry, published

pytestmark = pytest.mark.django_db

SECRET_NEW_NAME = "Secret new name"
SECRET_NEW_PURPOSE = "Secretnewpurposeqx"
# In an edit awaiting approval: a new annual summary and newly published notes, not yet public.
DRAFT_SUMMARY = "Draftsummaryqx"
DRAFT_NOTES = "Draftnotesqx"
PUBLISHED_SUMMARY = "What the partners did this year."
PUBLISHED_NOTES = "The partners agreed the year's plan."
# Money values no public output may show (in any format); the first is the annual contribution.
MONEY_MARKERS = ["12345.67", "23456.78", "34567.89", "45678.91", "56789.12"]
_numbers = itertools.count(1)


def _marker(kind):
    return f"Zq{kind.replace('_', '')}{next(_numbers)}x"


def fill_internal_fields(entry, markers):
    """Put a unique marker in every field of the entry that is not public, and in its child records.

    Found from the model rather than listed, so a field added later is covered too.
    """
    money = iter(MONEY_MARKERS)
    day = itertools.count(1)
    for field in Partnership._meta.concrete_fields:
        if field.name in PUBLIC_FIELD_NAMES or field.name in ("id", "reference") or field.auto_created:
            continue
        if isinstance(field, models.DecimalField):
            value = Decimal(next(money)).quantize(Decimal(1).scaleb(-field.decimal_places))
            setattr(entry, field.name, value)
            markers.append(str(value))
            markers.append(f"{value:,}")
        elif isinstance(field, (models.CharField, models.TextField)) and not field.choices:
            if field.name in ("slug", "locked_by", "latest_revision"):
                continue
            value = _marker(field.name)[: field.max_length or None]
            setattr(entry, field.name, value)
            markers.append(value)
        elif isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
            value = datetime.date(1999, 12, next(day))
            setattr(entry, field.name, value)
            markers.extend([value.isoformat(), f"{value:%-d %B %Y}"])

    lead = UserFactory(first_name=_marker("leadfirst"), last_name=_marker("leadlast"), email="zqlead@example.org")
    head = UserFactory(first_name=_marker("headfirst"), last_name=_marker("headlast"))
    entry.lead_officer, entry.head_of_service = lead, head
    markers.extend([lead.first_name, lead.last_name, lead.email, head.first_name, head.last_name])

    Document = get_document_model()
    for name in ("business_case", "terms_of_reference", "constitution", "data_sharing_agreement"):
        title = _marker(name)
        setattr(entry, name, Document.objects.create(title=title, file=f"documents/{title}.pdf"))
        markers.append(title)

    # Meeting notes stay internal unless a register manager marks them public (never by default);
    # the annual activity summaries of a published entry are public (see the drafts below).
    meeting = _marker("meeting")
    councillor = _marker("councillor")
    risk, mitigation, owner = _marker("risk"), _marker("mitigation"), _marker("owner")
    entry.meeting_notes = [
        MeetingNote(date=datetime.date(1999, 11, 1), notes=meeting),
        MeetingNote(date=datetime.date(1999, 11, 2), notes=PUBLISHED_NOTES, publish_notes=True),
    ]
    entry.activity_summaries = [ActivitySummary(year=1999, summary=PUBLISHED_SUMMARY)]
    entry.representatives = [CouncilRepresentative(councillor_name=councillor, role=_marker("reprole"))]
    entry.risks = [RiskRegisterEntry(description=risk, likelihood=5, impact=5, mitigation=mitigation, owner=owner)]
    markers.extend([meeting, councillor, risk, mitigation, owner])
    entry.save()
    return entry


@pytest.fixture
def board_workflow(db):
    """A one-step approval workflow for register entries, as the admin's workflow would hold them."""
    workflow = Workflow.objects.create(name="Leak test approval")
    task = GroupApprovalTask.objects.create(name="Leak test board")
    task.groups.set([Group.objects.get_or_create(name="Leak test board")[0]])
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowContentType.objects.update_or_create(
        content_type=ContentType.objects.get_for_model(Partnership), defaults={"workflow": workflow}
    )
    return workflow


@pytest.fixture
def register(portal_site, board_workflow):
    """The register: two public entries and every kind the public must not see, with markers everywhere."""
    submitter = UserFactory()
    internal = []  # internal values: must never appear anywhere public
    secret_area = ServiceAreaFactory(name=_marker("secretarea"))

    visible = public_entry(
        name="Visible Partnership",
        partners=[("Visible Partner Body", Sector.PUBLIC)],
        priorities=["Visible priority"],
    )
    visible = published(fill_internal_fields(visible, internal))

    # A live entry with edits awaiting approval: the public sees the published version.
    edited = public_entry(name="Foxtrot Published Name", purpose="The published purpose.")
    edited = published(fill_internal_fields(edited, internal))
    edited.name = SECRET_NEW_NAME
    edited.purpose = SECRET_NEW_PURPOSE
    edited.activity_summaries.add(ActivitySummary(year=2000, summary=DRAFT_SUMMARY))
    edited.meeting_notes.add(MeetingNote(date=datetime.date(2000, 1, 5), notes=DRAFT_NOTES, publish_notes=True))
    for note in edited.meeting_notes.all():
        note.publish_notes = True  # the edit would publish every note, the internal one too
    edited.save_revision(user=submitter)
    board_workflow.start(edited, submitter)

    hidden = {}
    hidden["draft"] = PartnershipFactory(name="Hidden draft alpha", draft=True)
    hidden["pending"] = PartnershipFactory(
        name="Hidden pending bravo", live=False, status=Status.AWAITING_APPROVAL, service_area=secret_area
    )
    hidden["rejected"] = PartnershipFactory(name="Hidden rejected charlie", status=Status.REJECTED)
    hidden["closed"] = PartnershipFactory(name="Hidden closed delta", status=Status.CLOSED)
    hidden["not_public"] = PartnershipFactory(name="Hidden private echo", is_public=False)
    hidden["proposed_live"] = PartnershipFactory(name="Hidden proposed golf", status=Status.PROPOSED)
    for entry in hidden.values():
        fill_internal_fields(entry, internal)
    hidden["pending"].save_revision(user=submitter)
    board_workflow.start(hidden["pending"], submitter)
    hidden = {key: Partnership.objects.get(pk=entry.pk) for key, entry in hidden.items()}

    assert WorkflowState.objects.filter(status=WorkflowState.STATUS_IN_PROGRESS).count() == 2
    return {
        "visible": visible,
        "edited": Partnership.objects.get(pk=edited.pk),
        "hidden": hidden,
        "internal": internal,
        "page": RegisterPage.objects.get(),
    }


def hidden_strings(register):
    """What identifies an entry the public must not see: its name, slug and reference."""
    strings = [SECRET_NEW_NAME, SECRET_NEW_PURPOSE, DRAFT_SUMMARY, DRAFT_NOTES]
    for entry in register["hidden"].values():
        strings.extend([entry.name, entry.slug, entry.reference])
    return strings


def body(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8")
    return response.content.decode("utf-8")


def public_bodies(client, register):
    """Every public output that could show an entry, as an anonymous visitor reads them."""
    visible, edited = register["visible"], register["edited"]
    bodies = {}

    def read(url, params=None, status=200):
        response = client.get(url, params or {})
        assert response.status_code == status, url
        bodies[f"{url} {params or ''}"] = body(response)

    read("/partnerships/")
    read("/partnerships/", {"sort": "start"})
    read("/partnerships/", {"q": "hidden"})
    read("/partnerships/", {"q": "secret"})
    read(
        "/partnerships/",
        {
            "level": ["strategic", "operational"],
            "basis": ["statutory", "voluntary"],
            "geography": ["district", "county"],
            "council_role": ["active_member", "lead"],
            "sector": ["public", "voluntary"],
        },
    )
    read(f"/partnerships/{visible.slug}/")
    read(f"/partnerships/{edited.slug}/")
    read("/partnerships/open-data/")
    read("/partnerships/register.csv")
    read("/partnerships/register.json")
    read("/sitemap.xml")
    read("/api/v2/pages/", {"limit": 100})
    read(f"/api/v2/pages/{register['page'].pk}/")
    read("/api/v2/pages/", {"type": "partnerships.RegisterPage", "fields": "*"})
    for query in ("hidden", "secret", "partnership", "visible", "foxtrot"):
        read("/search/", {"q": query})
    return bodies


def test_the_published_entries_are_public(client, register):
    bodies = public_bodies(client, register)
    for name in ("/partnerships/ ", "/partnerships/register.csv ", "/partnerships/register.json "):
        assert "Visible Partnership" in bodies[name]
        assert "Foxtrot Published Name" in bodies[name]
    assert "Visible Partner Body" in bodies["/partnerships/ "]
    # What the published entry says in public: its summaries and the notes marked public.
    for name in (
        f"/partnerships/{register['visible'].slug}/ ",
        "/partnerships/register.csv ",
        "/partnerships/register.json ",
    ):
        assert PUBLISHED_SUMMARY in bodies[name], name
        assert html.escape(PUBLISHED_NOTES) in bodies[name] or PUBLISHED_NOTES in bodies[name], name


@pytest.mark.parametrize("kind", ["draft", "pending", "rejected", "closed", "not_public", "proposed_live"])
def test_an_entry_the_public_must_not_see_has_no_page(client, register, kind):
    entry = register["hidden"][kind]
    response = client.get(f"/partnerships/{entry.slug}/")
    assert response.status_code == 404
    leaked = [value for value in register["internal"] if value in body(response)]
    assert not leaked


def test_entries_the_public_must_not_see_appear_nowhere(client, register):
    bodies = public_bodies(client, register)
    for where, text in bodies.items():
        leaked = [value for value in hidden_strings(register) if value in text]
        assert not leaked, f"{where} shows {leaked}"


def test_internal_fields_appear_nowhere(client, register):
    assert len(register["internal"]) > 40
    for where, text in public_bodies(client, register).items():
        leaked = [value for value in register["internal"] if value in text]
        assert not leaked, f"{where} shows {leaked}"


def test_unapproved_edits_stay_unpublished(client, register):
    edited = register["edited"]
    assert edited.has_unpublished_changes
    assert edited.name == "Foxtrot Published Name"
    response = client.get(f"/partnerships/{edited.slug}/")
    text = body(response)
    assert "Foxtrot Published Name" in text
    assert "The published purpose." in text
    assert SECRET_NEW_NAME not in text
    document = json.loads(body(client.get("/partnerships/register.json")))
    names = sorted(item["name"] for item in document["partnerships"])
    assert names == ["Foxtrot Published Name", "Visible Partnership"]


def test_the_register_search_cannot_find_unpublished_or_internal_words(client, register):
    def found(query):
        return [row["record"]["name"] for row in client.get("/partnerships/", {"q": query}).context["rows"]]

    assert found("foxtrot") == ["Foxtrot Published Name"]
    assert found("visible partner body") == ["Visible Partnership"]
    assert found("secret") == []
    assert found(SECRET_NEW_PURPOSE) == []
    assert found("hidden") == []
    # The search index holds public fields only, so no internal word finds anything:
    # the search cannot be used to guess what an entry's internal fields say.
    for value in register["internal"]:
        assert not public_queryset().filter(search_condition(value)).exists(), value


def test_filters_offer_nothing_from_hidden_entries(client, register):
    query = client.get("/partnerships/").context["query"]
    offered = [label for options in query.options.values() for _, label in options]
    assert not [value for value in register["internal"] if value in offered]
    assert "Visible priority" in offered


def test_the_sitemap_lists_only_public_entries(client, register):
    text = body(client.get("/sitemap.xml"))
    assert f"/partnerships/{register['visible'].slug}/</loc>" in text
    assert f"/partnerships/{register['edited'].slug}/</loc>" in text
    for entry in register["hidden"].values():
        assert f"/partnerships/{entry.slug}/" not in text


def test_the_declaration_of_public_fields_leaves_out_the_internal_ones():
    # The leak tests above trust PUBLIC_FIELDS to say what is public; this holds it to the
    # design: officers, money, risk, governance documents, reviews and meetings stay internal.
    internal = {
        "lead_officer",
        "head_of_service",
        "representatives",
        "external_funding",
        "in_kind_notes",
        "accountable_body_for_funds",
        "terms_of_reference_status",
        "terms_of_reference",
        "business_case",
        "constitution",
        "data_sharing_agreement",
        "equality_impact",
        "equality_impact_reason",
        "performance_management",
        "risk_rating",
        "risks",
        "exit_strategy",
        "approval_date",
        "next_progress_report_due",
        "next_review_due",
        "is_public",
    }
    assert not internal & set(PUBLIC_FIELD_NAMES)
