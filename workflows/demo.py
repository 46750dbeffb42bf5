"""Two proposals for the demo, in the approval workflow as their people would have put them.

The proposals themselves are data: ``portal/content/demo/proposals.yaml``.
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
    Partnership,
    RiskRegisterEntry,
    ScreeningAnswer,
    ServiceArea,
    Status,
)
from partnerships.models.proposal import YesNo
from partnerships.proposals import completeness as proposals
from portal.content_loader import load_demo
from portal.models import Question, QuestionSet

from . import services

_data = load_demo("proposals")
MONEY = ("annual_contribution", "in_kind_value", "external_funding")
PROPOSALS = tuple(
    {key: Decimal(value) if key in MONEY else value for key, value in proposal.items()}
    for proposal in _data["proposals"]
)
CHECKLIST_ANSWERS = tuple(_data["checklist_answers"])


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
