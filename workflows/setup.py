"""The register's two workflows, created by ``setup_portal`` (``portal.services.run_app_setup``).

"New partnership approval" (Head of Service endorsement, then Management Board) is
assigned to the Partnership snippet; "Register moderation" (a register manager)
is picked by ``Partnership.get_workflow()`` for edits to entries already approved.
Only what is missing is created, so an administrator's later changes to the steps
(in Settings → Workflows) are kept.
"""

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from wagtail.models import GroupApprovalTask, Workflow, WorkflowContentType, WorkflowTask

from partnerships.models import Partnership
from partnerships.models.proposal import NEW_PARTNERSHIP_WORKFLOW, REGISTER_MODERATION_WORKFLOW
from portal.roles import MANAGEMENT_BOARD, REGISTER_MANAGERS

from .models import BoardApprovalTask, HeadOfServiceTask

ENDORSEMENT_TASK = "Head of Service endorsement"
BOARD_TASK = "Management Board approval"
MODERATION_TASK = "Register manager approval"


def _task(model, name, report, groups=()):
    task = model.objects.filter(name=name).first()
    if task is None:
        task = model.objects.create(name=name)
        if groups:
            task.groups.set(Group.objects.filter(name__in=groups))
        report.add(f"task {name}")
    return task


def _workflow(name, tasks, report):
    workflow, created = Workflow.objects.get_or_create(name=name)
    if created:
        report.add(f"workflow {name}")
    for position, task in enumerate(tasks):
        _, created = WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": position})
        if created:
            report.add(f"step {task.name} of {name}")
    return workflow


def ensure(report):
    for name in (MANAGEMENT_BOARD, REGISTER_MANAGERS):
        Group.objects.get_or_create(name=name)
    approval = _workflow(
        NEW_PARTNERSHIP_WORKFLOW,
        [
            _task(HeadOfServiceTask, ENDORSEMENT_TASK, report),
            _task(BoardApprovalTask, BOARD_TASK, report, groups=[MANAGEMENT_BOARD]),
        ],
        report,
    )
    _workflow(
        REGISTER_MODERATION_WORKFLOW, [_task(GroupApprovalTask, MODERATION_TASK, report, [REGISTER_MANAGERS])], report
    )
    content_type = ContentType.objects.get_for_model(Partnership)
    if not WorkflowContentType.objects.filter(content_type=content_type).exists():
        WorkflowContentType.objects.create(content_type=content_type, workflow=approval)
        report.add(f"workflow {NEW_PARTNERSHIP_WORKFLOW} on partnerships")
