"""Child records are part of the entry: they travel in its revisions."""

import datetime

import pytest

from partnerships.models import ActivitySummary, ApprovalRecord, CouncilRepresentative, MeetingNote, RiskRegisterEntry
from tests.partnerships.factories import PartnershipFactory

pytestmark = pytest.mark.django_db


def test_child_records_are_kept_in_revisions_and_written_on_publish(lead_officer, register_manager):
    entry = PartnershipFactory(draft=True)
    # Approved (here, recorded as approved before the portal), so its revision may be published.
    ApprovalRecord.objects.create(
        partnership=entry,
        route=ApprovalRecord.Route.BACKFILL,
        approved_on=datetime.date(2024, 1, 1),
        approved_by="Cabinet",
    )
    entry.meeting_notes = [MeetingNote(date=datetime.date(2024, 3, 1), notes="Agreed the plan")]
    entry.activity_summaries = [ActivitySummary(year=2023, summary="A good year")]
    entry.risks = [RiskRegisterEntry(description="Funding ends", likelihood=2, impact=5)]
    entry.representatives = [CouncilRepresentative(councillor_name="A. Member", role="Board member")]
    revision = entry.save_revision(user=lead_officer)

    # Nothing is written to the child tables until the revision is published…
    assert not MeetingNote.objects.filter(partnership=entry).exists()
    restored = revision.as_object()
    assert [n.notes for n in restored.meeting_notes.all()] == ["Agreed the plan"]
    assert [s.year for s in restored.activity_summaries.all()] == [2023]
    assert [r.score for r in restored.risks.all()] == [10]
    assert [str(r) for r in restored.representatives.all()] == ["Cllr A. Member"]

    revision.publish(user=register_manager)
    assert MeetingNote.objects.get(partnership=entry).notes == "Agreed the plan"
    assert RiskRegisterEntry.objects.get(partnership=entry).score == 10


def test_an_older_revision_still_has_the_records_it_had(lead_officer):
    entry = PartnershipFactory(draft=True)
    entry.activity_summaries = [ActivitySummary(year=2022, summary="First")]
    first = entry.save_revision(user=lead_officer)
    entry.activity_summaries = [ActivitySummary(year=2022, summary="First"), ActivitySummary(year=2023, summary="Next")]
    entry.save_revision(user=lead_officer)
    assert [s.year for s in first.as_object().activity_summaries.all()] == [2022]


def test_risk_score_is_likelihood_times_impact():
    assert RiskRegisterEntry(likelihood=4, impact=5).score == 20
    assert RiskRegisterEntry(likelihood=None, impact=5).score is None
