"""Two proposals for the demo, in the approval workflow as their people would have put them.

``make run`` calls ``submit_proposals`` (``seed_demo --submit-proposals``) after the
demo register is written. The demo lead officers ``lead`` and ``lead2`` each propose
one complete partnership in a service area of the demo Head of Service ``head`` and
submit it; ``head`` has endorsed the second. So ``head`` finds one proposal awaiting
endorsement and ``board`` one awaiting Management Board's approval, and every email
the workflow sends is written where the other demo mail goes.
"""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from partnerships.models import (
    ChecklistAnswer,
    CouncilPriority,
    EqualityImpact,
    Partnership,
    RiskRegisterEntry,
    ScreeningAnswer,
    ServiceArea,
    Status,
)
from partnerships.models.proposal import YesNo
from portal.models import Question, QuestionSet

from . import proposals, services

PROPOSALS = (
    {
        "lead": "lead",
        "endorsed": False,
        "name": "Wyre Forest Youth Employment Partnership",
        "purpose": "To help young people in the district into work, training and apprenticeships.",
        "shared_objective": "Fewer young people not in education, employment or training.",
        "level": "operational",
        "basis": "voluntary",
        "membership": "multi",
        "geography": "district",
        "council_role": "active_member",
        "rules_of_engagement": "The council provides officer time and a share of the funding.",
        "annual_contribution": Decimal("12000"),
        "in_kind_hours": 120,
        "in_kind_value": Decimal("3600"),
        "external_funding": Decimal("40000"),
        "risk_rating": "medium",
        "equality_impact": EqualityImpact.PLANNED,
        "objectives": "Halve the number of 16 to 18 year olds not in education, employment or training in three years.",
        "priorities_served": "A thriving local economy; young people.",
        "added_value": "Employers and colleges reach young people the council alone cannot.",
        "costs_and_resources": "£12,000 a year and 120 hours of officer time.",
        "funding": "Economic development budget; partners match-fund.",
        "exit_strategy": "Six months' notice to the partners; the careers service takes back the work.",
        "risk": "Employers drop out once the first funding ends.",
    },
    {
        "lead": "lead2",
        "endorsed": True,
        "name": "Stourport Riverside Regeneration Partnership",
        "purpose": "To bring the riverside back into use for homes, shops and leisure.",
        "shared_objective": "A regenerated riverside that draws visitors and investment.",
        "level": "strategic",
        "basis": "voluntary",
        "membership": "multi",
        "geography": "sub_district",
        "council_role": "accountable_body",
        "rules_of_engagement": "The council is accountable body for the external funds and chairs the board.",
        "annual_contribution": Decimal("45000"),
        "in_kind_hours": 300,
        "in_kind_value": Decimal("9000"),
        "external_funding": Decimal("1200000"),
        "risk_rating": "high",
        "equality_impact": EqualityImpact.DONE,
        "objectives": "Fifty new homes and twenty new businesses on the riverside within five years.",
        "priorities_served": "Regeneration; housing.",
        "added_value": "Brings in £1.2 million of external funding the council could not secure alone.",
        "costs_and_resources": "£45,000 a year and 300 hours of officer time.",
        "funding": "Capital programme; regeneration grant; developers' contributions.",
        "exit_strategy": "Assets pass to the town council when the programme ends.",
        "risk": "The council must repay grant if the partnership misses the funder's milestones.",
    },
)
CHECKLIST_ANSWERS = (
    "Set out in the business case and agreed with the partners.",
    "In the draft terms of reference, to be signed at the first meeting.",
    "The lead officer reports on it to the Head of Service every six months.",
    "Covered by the risk register, reviewed at each partnership meeting.",
)


def _passing(question):
    """The screening answer that lets a proposal go on."""
    return YesNo.NO if question.stops_when == Question.Stop.YES else YesNo.YES


def _proposal(plan, lead, head, area, screening, checklist):
    """The proposal as its lead officer fills it in, not yet saved."""
    fields = {key: value for key, value in plan.items() if key not in ("lead", "endorsed", "risk")}
    entry = Partnership(
        **fields,
        status=Status.PROPOSED,
        live=False,
        is_public=True,
        service_area=area,
        lead_officer=lead,
        head_of_service=head,
        start_date=timezone.localdate() + datetime.timedelta(days=90),
    )
    entry.risks = [
        RiskRegisterEntry(kind="risk", description=plan["risk"], likelihood=3, impact=3, owner=lead.get_full_name())
    ]
    entry.screening_answers = [ScreeningAnswer(question=q, answer=_passing(q)) for q in screening]
    entry.checklist_answers = [
        ChecklistAnswer(question=q, answer=CHECKLIST_ANSWERS[number % len(CHECKLIST_ANSWERS)])
        for number, q in enumerate(checklist)
    ]
    entry.council_priorities = CouncilPriority.objects.order_by("pk")[:1]
    return entry


def submit_proposals():
    """Proposes and submits the demo's two proposals; returns their names, or why it could not."""
    User = get_user_model()
    people = {user.username: user for user in User.objects.filter(username__in=["lead", "lead2", "head"])}
    if len(people) < 3:
        return [], "the demo accounts lead, lead2 and head are missing (setup_portal --demo-users makes them)"
    head = people["head"]
    area = ServiceArea.objects.filter(head_of_service=head).order_by("pk").first() or ServiceArea.objects.first()
    if area is None:
        return [], "there is no service area"
    screening = proposals.questions(QuestionSet.Kind.DECISION_TREE)
    checklist = proposals.questions(QuestionSet.Kind.CHECKLIST)
    submitted = []
    for plan in PROPOSALS:
        if Partnership.objects.filter(name=plan["name"]).exists():
            continue
        lead = people[plan["lead"]]
        entry = _proposal(plan, lead, head, area, screening, checklist)
        missing = proposals.check(entry, screening, checklist).missing
        if missing:
            raise ValueError(f"The demo proposal {entry.name} is not complete: {missing}")
        with transaction.atomic():
            entry.save()
            entry.save_revision(user=lead)
            entry.get_workflow().start(entry, lead)
            if plan["endorsed"]:
                entry.refresh_from_db()
                services.approve_step(entry.current_workflow_task_state, head, comment="Endorsed for the Board.")
        submitted.append(entry.name)
    return submitted, ""
