"""The Management Board meeting pack: every proposal awaiting the Board's decision, one section each.

Harborough 8.1: the checklist's information "will then be considered by Management Board
who may decide not to enter the partnership". Each section carries what the Board decides
from: the checklist answers, the business case, the risks, the equality impact
assessment, and the Head of Service's endorsement (who, when, what they said).

The pack is for the Board and the register managers who prepare its agenda; anyone
else is refused. It is a plain printable page and the same page as a PDF.
"""

import datetime
from dataclasses import dataclass

from django.db.models import prefetch_related_objects
from django.template.response import TemplateResponse
from django.utils import timezone
from wagtail.admin.utils import get_user_display_name
from wagtail.models import TaskState, WorkflowState

from partnerships.admin_views import forbidden
from partnerships.lifecycle import latest_versions
from partnerships.models import Partnership, RegisterSettings
from partnerships.models.querysets import is_significant
from partnerships.pdf import pdf_response
from partnerships.proposals import completeness
from portal.models import QuestionSet

from .decisions import endorsements_before
from .models import BoardApprovalTask
from .roles import BOARD_PACK

TEMPLATE = "workflows/board_pack.html"


def can_view_board_pack(user):
    return user.has_perm(BOARD_PACK)


@dataclass
class Endorsement:
    by: str
    on: datetime.datetime
    comment: str


@dataclass
class PackItem:
    """One proposal's section of the pack."""

    entry: Partnership
    task_state: TaskState
    checklist: list
    risks: list
    endorsement: Endorsement | None

    @property
    def submitted_by(self):
        return get_user_display_name(self.task_state.workflow_state.requested_by)

    @property
    def submitted_on(self):
        return self.task_state.workflow_state.created_at

    @property
    def at_board_since(self):
        return self.task_state.started_at

    @property
    def checklist_answered(self):
        return sum(1 for section in self.checklist for row in section["rows"] if row["answer"])

    @property
    def checklist_total(self):
        return sum(len(section["rows"]) for section in self.checklist)


def checklist_sections(entry, questions):
    """The checklist's questions by section, each with the proposal's answer (or None)."""
    by_question = {answer.question_id: answer for answer in entry.checklist_answers.all()}
    sections = []
    for question in questions:
        if not sections or sections[-1]["title"] != question.section:
            sections.append({"title": question.section, "rows": []})
        sections[-1]["rows"].append({"question": question, "answer": by_question.get(question.pk)})
    return sections


def endorsements(task_states):
    """{task state pk: the Head of Service's endorsement before it, as the pack shows it}, for them all at once."""

    def shown(endorsed):
        by = get_user_display_name(endorsed.finished_by)
        return Endorsement(by=by, on=endorsed.finished_at, comment=endorsed.comment)

    return {pk: endorsed and shown(endorsed) for pk, endorsed in endorsements_before(task_states).items()}


def awaiting_board():
    """The steps at the Board now (any Board approval task in progress), oldest first."""
    return (
        TaskState.objects.filter(
            status=TaskState.STATUS_IN_PROGRESS,
            task__in=BoardApprovalTask.objects.values("pk"),
            workflow_state__status=WorkflowState.STATUS_IN_PROGRESS,
            workflow_state__base_content_type__app_label="partnerships",
            workflow_state__base_content_type__model="partnership",
        )
        .select_related("task", "workflow_state__requested_by")
        .order_by("started_at", "pk")
    )


def pack_items():
    """Each proposal at the Board, as its latest version reads (the one the Board decides on).

    A fixed number of queries whatever the number of proposals: the pack is opened in the
    meeting, with every proposal of the month on it.
    """
    questions = completeness.questions(QuestionSet.Kind.CHECKLIST)
    task_states = list(awaiting_board())
    versions = latest_versions(
        {int(state.workflow_state.object_id) for state in task_states}, children=("risks", "checklist_answers")
    )
    prefetch_related_objects(list(versions.values()), "service_area", "lead_officer")
    threshold = RegisterSettings.load().significant_threshold
    endorsed = endorsements(task_states)
    items = []
    for task_state in task_states:
        entry = versions[int(task_state.workflow_state.object_id)]
        entry.over_threshold = is_significant(entry.annual_contribution, threshold)
        items.append(
            PackItem(
                entry=entry,
                task_state=task_state,
                checklist=checklist_sections(entry, questions),
                risks=list(entry.risks.all()),
                endorsement=endorsed[task_state.pk],
            )
        )
    return items


def _context():
    return {"items": pack_items(), "today": timezone.localdate()}


def board_pack(request):
    """The pack as a printable page (print CSS), with a link to the PDF."""
    if not can_view_board_pack(request.user):
        return forbidden(request)
    return TemplateResponse(request, TEMPLATE, _context())


def board_pack_pdf(request):
    if not can_view_board_pack(request.user):
        return forbidden(request)
    context = _context()
    return pdf_response(request, TEMPLATE, context, f"management-board-pack-{context['today']:%Y-%m-%d}")
