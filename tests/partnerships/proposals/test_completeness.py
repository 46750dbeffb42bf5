"""What a proposal still lacks, said in plain English (partnerships.proposals.completeness.check)."""

import pytest
from django.contrib.auth.models import Group

from partnerships.models import ChecklistAnswer, EqualityImpact, ScreeningAnswer, Status
from partnerships.proposals import completeness as proposals
from portal import roles
from portal.models import QuestionSet
from tests.partnerships.factories import PartnershipFactory, RiskRegisterEntryFactory

pytestmark = pytest.mark.django_db

BUSINESS_CASE = {
    "objectives": "Fewer young people out of work.",
    "priorities_served": "Thriving communities.",
    "added_value": "Reach the council does not have.",
    "costs_and_resources": "£10,000 and 50 hours a year.",
    "funding": "Youth service budget.",
    "exit_strategy": "Six months' notice.",
}


def questions(kind):
    return list(QuestionSet.objects.get(kind=kind).questions.all())


@pytest.fixture
def complete(portal_site):
    entry = PartnershipFactory(draft=True, equality_impact=EqualityImpact.DONE, **BUSINESS_CASE)
    # The Head of Service it names endorses only as a member of the Heads of Service group.
    entry.head_of_service.groups.add(Group.objects.get(name=roles.HEADS_OF_SERVICE))
    RiskRegisterEntryFactory(partnership=entry)
    for question in questions(QuestionSet.Kind.DECISION_TREE):
        ScreeningAnswer.objects.create(
            partnership=entry, question=question, answer="no" if question.stops_when == "yes" else "yes"
        )
    for question in questions(QuestionSet.Kind.CHECKLIST):
        ChecklistAnswer.objects.create(partnership=entry, question=question, answer="An answer.")
    return entry


def test_a_complete_proposal_lacks_nothing(complete):
    result = proposals.check(complete)
    assert result.missing == []
    assert result.complete
    assert result.screening_passed
    assert (result.checklist_answered, result.checklist_total) == (30, 30)


def test_each_gap_is_named(complete):
    question_3b = QuestionSet.objects.get(kind="checklist").questions.get(code="3b")
    complete.checklist_answers.filter(question=question_3b).delete()
    complete.risks.all().delete()
    complete.equality_impact = ""
    complete.head_of_service = None
    complete.funding = " "
    result = proposals.check(complete)
    assert result.missing == [
        f"Answer checklist question 3b: {question_3b.text}",
        "Business case: say how it is funded",
        "Add at least one risk to the risk register",
        "Give the equality impact answer",
        "Name the Head of Service",
    ]
    assert result.checklist_answered == 29


def test_a_screening_answer_that_stops_names_the_route_to_take(complete):
    contract = QuestionSet.objects.get(kind="decision_tree").questions.get(code="D5")
    complete.screening_answers.filter(question=contract).update(answer="yes")
    result = proposals.check(complete)
    assert not result.screening_passed
    (stop,) = result.stops
    assert stop.question == contract
    assert result.missing == [
        'Screening stops this proposal: you answered "yes" to D5 "Is it a contract for the delivery of a service?" '
        + contract.stop_explanation
    ]
    assert "procurement" in result.missing[0]


def test_not_needed_needs_a_reason_and_a_declined_proposal_is_closed(complete):
    complete.equality_impact = EqualityImpact.NOT_NEEDED
    complete.status = Status.REJECTED
    result = proposals.check(complete)
    assert result.declined
    assert result.missing == [
        "Management Board declined this proposal: it cannot be submitted again.",
        "Say why an equality impact assessment is not needed",
    ]


def test_a_draft_held_in_a_revision_is_judged_as_it_stands(complete):
    """The answers of a revision are in memory, not in the database: the check reads them there."""
    complete.save_revision()
    complete.checklist_answers.all().delete()  # the rows go; the revision keeps them
    draft = complete.get_latest_revision_as_object()
    assert proposals.check(draft).complete
    assert not proposals.check(type(complete).objects.get(pk=complete.pk)).complete


def test_a_head_of_service_who_cannot_endorse_is_a_gap_on_the_people_tab(complete):
    complete.head_of_service.groups.clear()
    name = complete.head_of_service.get_full_name()
    (gap,) = proposals.check(complete).gaps
    assert (
        str(gap) == f"Head of Service: {name} is not in the Heads of Service group: choose a Head of Service from it."
    )
    assert (gap.tab, gap.anchor) == ("People", "id_head_of_service")

    complete.head_of_service.groups.add(Group.objects.get(name=roles.HEADS_OF_SERVICE))
    (gap,) = proposals.check(complete, proposer=complete.head_of_service).gaps
    assert (
        str(gap)
        == f"Head of Service: {name} is making this proposal: the Head of Service who endorses must be someone else."
    )
