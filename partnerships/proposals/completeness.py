"""Is a proposal ready for the Head of Service and Management Board? What is still missing?

The rules come from the seeds: no new partnership without the decision tree passed
(Carlisle 3.2), the checklist completed with its equality question (Harborough 8.1,
seed 002), a business case and a risk assessment (Wirral 2.7), a lead officer and
a responsible Head of Service. Each gap is said in plain English, so the proposer
can see as they go what stands between them and submitting.
"""

from dataclasses import dataclass, field

from wagtail.admin.utils import get_user_display_name

from portal.models import QuestionSet

from ..models import EqualityImpact, Status
from ..permissions import head_of_service_problem
from . import workflow

BUSINESS_CASE = [
    ("objectives", "Business case: set out the objectives"),
    ("priorities_served", "Business case: say which council priorities it serves"),
    ("added_value", "Business case: describe the added value"),
    ("costs_and_resources", "Business case: set out the costs and resources, including officer time"),
    ("funding", "Business case: say how it is funded"),
    ("exit_strategy", "Business case: describe the exit arrangements"),
]


@dataclass(frozen=True)
class Gap:
    """Something missing, the tab of the form it is on and the id of its field there (a link's anchor)."""

    text: str
    tab: str = ""
    anchor: str = ""

    def __str__(self):
        return self.text


RISK_REGISTER_ANCHOR = "id_risks-FORMS"


@dataclass(frozen=True)
class Stop:
    """A screening answer that means the arrangement is not a partnership, with the route to take instead."""

    question: object
    answer: str

    @property
    def explanation(self):
        return self.question.stop_explanation or "This arrangement is not a partnership."

    def __str__(self):
        return (
            f'Screening stops this proposal: you answered "{self.answer}" to {self.question.code} '
            f'"{self.question.text}" {self.explanation}'
        )


@dataclass
class Completeness:
    gaps: list = field(default_factory=list)
    stops: list = field(default_factory=list)
    checklist_answered: int = 0
    checklist_total: int = 0
    screening_unanswered: int = 0
    declined: bool = False

    @property
    def screening_passed(self):
        """Every screening question answered, and none in a way that stops the proposal."""
        return not self.screening_unanswered and not self.stops

    @property
    def missing(self):
        """Everything that stops submission, in plain English."""
        return [str(gap) for gap in self.gaps]

    @property
    def complete(self):
        return not self.gaps


def questions(kind):
    question_set = QuestionSet.objects.filter(kind=kind).prefetch_related("questions").first()
    return list(question_set.questions.all()) if question_set else []


def _answers(relation):
    return {answer.question_id: answer.answer for answer in relation.all() if answer.question_id and answer.answer}


def check(partnership, screening_questions=None, checklist_questions=None, proposer=None):
    """What ``partnership`` (as it stands, e.g. a draft held in a revision) still lacks.

    ``proposer``: who submits (or submitted) it, who may not be its Head of Service.
    """
    if screening_questions is None:
        screening_questions = questions(QuestionSet.Kind.DECISION_TREE)
    if checklist_questions is None:
        checklist_questions = questions(QuestionSet.Kind.CHECKLIST)
    result = Completeness(checklist_total=len(checklist_questions))

    if partnership.status == Status.REJECTED:
        result.declined = True
        result.gaps.append(Gap("Management Board declined this proposal: it cannot be submitted again."))
    _check_screening(partnership, screening_questions, result)
    _check_checklist(partnership, checklist_questions, result)
    result.gaps.extend(_business_case_and_governance_gaps(partnership, proposer))
    return result


def _check_screening(partnership, screening_questions, result):
    screening = _answers(partnership.screening_answers)
    for question in screening_questions:
        answer = screening.get(question.pk)
        if answer is None:
            result.screening_unanswered += 1
            result.gaps.append(
                Gap(
                    f"Answer screening question {question.code}: {question.text}", "Proposal", f"question-{question.pk}"
                )
            )
        elif question.stops_when and answer == question.stops_when:
            stop = Stop(question, answer)
            result.stops.append(stop)
            result.gaps.append(Gap(str(stop), "Proposal", f"question-{question.pk}"))


def _check_checklist(partnership, checklist_questions, result):
    checklist = _answers(partnership.checklist_answers)
    for question in checklist_questions:
        if question.pk in checklist:
            result.checklist_answered += 1
        else:
            result.gaps.append(
                Gap(
                    f"Answer checklist question {question.code}: {question.text}", "Proposal", f"question-{question.pk}"
                )
            )


def _business_case_and_governance_gaps(partnership, proposer):
    gaps = []
    for name, text in BUSINESS_CASE:
        if not (getattr(partnership, name) or "").strip():
            gaps.append(Gap(text, "Risk" if name == "exit_strategy" else "Proposal", f"id_{name}"))

    if not partnership.risks.all():
        gaps.append(Gap("Add at least one risk to the risk register", "Risk", RISK_REGISTER_ANCHOR))
    if not partnership.equality_impact:
        gaps.append(Gap("Give the equality impact answer", "Governance", "id_equality_impact"))
    elif partnership.equality_impact == EqualityImpact.NOT_NEEDED and not partnership.equality_impact_reason.strip():
        gaps.append(
            Gap("Say why an equality impact assessment is not needed", "Governance", "id_equality_impact_reason")
        )
    if not partnership.lead_officer_id:
        gaps.append(Gap("Name the lead officer", "People", "id_lead_officer"))
    if not partnership.head_of_service_id:
        gaps.append(Gap("Name the Head of Service", "People", "id_head_of_service"))
    else:
        problem = head_of_service_cannot_endorse(partnership, proposer)
        if problem:
            gaps.append(Gap(f"Head of Service: {problem}", "People", "id_head_of_service"))
    return gaps


def head_of_service_cannot_endorse(partnership, proposer=None):
    """Why the Head of Service the entry names cannot endorse it, or None.

    The rules of the field (partnerships.permissions), and one the workflow adds: whoever
    decided at the Board step of this proposal, in an earlier round, does not endorse it.
    """
    head = partnership.head_of_service
    problem = head_of_service_problem(
        head, lead_officer_id=partnership.lead_officer_id, proposer_id=proposer.pk if proposer else None
    )
    if problem is None and partnership.pk and head.pk in workflow.current().board_decider_ids(partnership):
        name = get_user_display_name(head)
        problem = f"{name} decided on this proposal at the Management Board step, so cannot also endorse it."
    return problem


def submit_label(entry):
    """What the proposer's submit button says: where the proposal goes next."""
    head = entry.head_of_service if entry.head_of_service_id else None
    if head is None:
        return "Submit to your Head of Service for endorsement"
    return f"Submit to {get_user_display_name(head)} for endorsement"
