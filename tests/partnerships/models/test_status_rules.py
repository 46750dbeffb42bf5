"""Which entries are public, and which version of them."""

import datetime

import pytest

from partnerships.models import MeetingNote, Partnership, PartnershipPartner, Status
from partnerships.public.fields import PUBLIC_FIELD_NAMES, fetch_public, public_entries, public_record
from tests.partnerships.factories import PartnerOrganisationFactory, PartnershipFactory, RiskRegisterEntryFactory

pytestmark = pytest.mark.django_db


def test_public_shows_only_live_public_entries_in_a_public_status():
    shown = {
        PartnershipFactory(status=Status.ACTIVE),
        PartnershipFactory(status=Status.UNDER_REVIEW),
        PartnershipFactory(status=Status.EXITING),
    }
    hidden = [
        PartnershipFactory(draft=True),
        PartnershipFactory(status=Status.AWAITING_APPROVAL, live=False),
        PartnershipFactory(status=Status.PROPOSED),
        PartnershipFactory(status=Status.REJECTED),
        PartnershipFactory(status=Status.CLOSED),
        PartnershipFactory(status=Status.ACTIVE, is_public=False),
        PartnershipFactory(status=Status.ACTIVE, live=False),
    ]
    ours = Partnership.objects.filter(pk__in=[p.pk for p in (*shown, *hidden)])
    assert set(ours.public()) == shown


def test_a_live_entry_with_a_pending_revision_shows_its_published_values(lead_officer, register_manager):
    entry = PartnershipFactory(name="Town Centre Partnership", purpose="Published purpose")
    PartnershipPartner.objects.create(partnership=entry, organisation=PartnerOrganisationFactory(name="Police"))

    # An officer edits the live entry; as in the admin, only a revision is saved.
    entry.name = "Secret new name"
    entry.purpose = "Unapproved purpose"
    entry.partners = [PartnershipPartner(organisation=PartnerOrganisationFactory(name="Unapproved partner"))]
    revision = entry.save_revision(user=lead_officer)

    published = public_entries().get(pk=entry.pk)
    record = public_record(published)
    assert record["name"] == "Town Centre Partnership"
    assert record["purpose"] == "Published purpose"
    assert [p["name"] for p in record["partners"]] == ["Police"]
    assert published.has_unpublished_changes
    assert revision.as_object().name == "Secret new name"

    revision.publish(user=register_manager)
    assert public_record(public_entries().get(pk=entry.pk))["name"] == "Secret new name"


def test_public_search_finds_published_words_only(lead_officer):
    entry = PartnershipFactory(name="Rural Transport Forum")
    entry.name = "Zanzibar Consortium"
    entry.save_revision(user=lead_officer)
    assert list(Partnership.objects.public().search("Transport")) == [entry]
    assert list(Partnership.objects.public().search("Zanzibar")) == []


def test_public_search_never_matches_internal_fields():
    lead = PartnershipFactory().lead_officer
    lead.last_name = "Quigglesworth"
    lead.save()
    RiskRegisterEntryFactory(partnership=Partnership.objects.get(), description="Embezzlement worry")
    assert list(Partnership.objects.public().search("Quigglesworth")) == []
    assert list(Partnership.objects.public().search("Embezzlement")) == []


def test_search_index_holds_public_fields_only():
    from wagtail.search import index

    text_fields = (index.RelatedFields, index.SearchField, index.AutocompleteField)
    indexed_text = {field.field_name for field in Partnership.search_fields if isinstance(field, text_fields)}
    # A choice is indexed by its label (get_<field>_display), which is as public as the field.
    indexed_fields = {name.removeprefix("get_").removesuffix("_display") for name in indexed_text}
    assert indexed_fields <= set(PUBLIC_FIELD_NAMES)


INTERNAL = [
    "lead_officer",
    "head_of_service",
    "representatives",
    "external_funding",
    "in_kind_notes",
    "risk_rating",
    "risks",
    "business_case",
    "equality_impact",
    "next_review_due",
    "next_progress_report_due",
    "performance_management",
    "exit_strategy",
]


def test_internal_fields_are_not_declared_public():
    assert not set(INTERNAL) & set(PUBLIC_FIELD_NAMES)


def test_a_public_record_carries_no_internal_value():
    entry = PartnershipFactory(external_funding=123456, risk_rating="very_high", in_kind_notes="Timesheet sums")
    entry.lead_officer.first_name = "Ophelia"
    entry.lead_officer.save()
    # Meeting notes are internal until a register manager marks them public.
    MeetingNote.objects.create(partnership=entry, date=datetime.date(2024, 1, 1), notes="Confidential minute")
    text = repr(public_record(public_entries().get(pk=entry.pk)))
    for secret in ("Ophelia", "123456", "Very high", "Confidential minute", "Timesheet sums"):
        assert secret not in text
    assert list(public_record(entry)) == PUBLIC_FIELD_NAMES


def test_public_records_take_a_fixed_number_of_queries(django_assert_max_num_queries):
    for _ in range(5):
        entry = PartnershipFactory()
        PartnershipPartner.objects.create(partnership=entry, organisation=PartnerOrganisationFactory())
    # The entries (with approval and contact), then partners, priorities, areas, summaries, public notes.
    with django_assert_max_num_queries(6):
        records = [public_record(p) for p in fetch_public(public_entries())]
    assert len(records) == 5


def test_lists_of_entries_for_one_lead_officer(lead_officer):
    mine = {PartnershipFactory(lead_officer=lead_officer), PartnershipFactory(lead_officer=lead_officer, draft=True)}
    PartnershipFactory()
    assert set(Partnership.objects.for_lead_officer(lead_officer)) == mine


def test_overdue_review_counts_only_entries_in_force():
    past = datetime.date(2020, 1, 1)
    overdue = PartnershipFactory(next_review_due=past)
    PartnershipFactory(next_review_due=past, status=Status.CLOSED)
    PartnershipFactory(next_review_due=datetime.date(2999, 1, 1))
    PartnershipFactory(next_review_due=None)
    assert list(Partnership.objects.overdue_review(on=datetime.date(2024, 1, 1))) == [overdue]


def test_missing_governance_documents():
    from partnerships.models import EqualityImpact, TermsOfReferenceStatus

    complete = PartnershipFactory(
        terms_of_reference_status=TermsOfReferenceStatus.AGREED,
        equality_impact=EqualityImpact.DONE,
    )
    RiskRegisterEntryFactory(partnership=complete)
    from wagtail.documents.models import Document

    complete.business_case = Document.objects.create(title="Business case")
    complete.save()
    gappy = PartnershipFactory()
    assert list(Partnership.objects.missing_governance_documents()) == [gappy]
    assert list(Partnership.objects.complete_governance()) == [complete]
    assert complete.governance_gaps() == []
    assert gappy.governance_gaps() == [
        "Terms of reference not agreed",
        "No business case",
        "No risk assessment",
        "No equality impact answer",
    ]


def test_governance_gaps_of_a_draft_held_in_a_revision(lead_officer):
    from partnerships.models import EqualityImpact, RiskRegisterEntry, TermsOfReferenceStatus

    entry = PartnershipFactory(draft=True)
    entry.terms_of_reference_status = TermsOfReferenceStatus.AGREED
    entry.equality_impact = EqualityImpact.PLANNED
    entry.risks = [RiskRegisterEntry(description="Partner withdraws", likelihood=2, impact=3)]
    draft = entry.save_revision(user=lead_officer).as_object()
    assert draft.governance_gaps() == ["No business case"]
    annotated = Partnership.objects.annotate_governance_gaps().get(pk=entry.pk)
    assert len(annotated.governance_gaps()) == 4  # the row has none of the draft's answers yet
