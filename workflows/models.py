"""What the portal has told whom (one row per notification, the outbox), and the approval steps."""

import hashlib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import Cast
from wagtail.models import AbstractGroupApprovalTask, Task, TaskState

from partnerships.models import Partnership
from partnerships.permissions import heads_of_service

from . import forms, services


class Notification(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        # Marked before the SMTP conversation: a row left "sending" by a worker that died is
        # sent again later with the same Message-ID, so a repeat is recognisably the same email.
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed: gave up retrying"

    event = models.CharField(max_length=80, help_text="What happened, e.g. submitted, approved, reminder.")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=64)
    subject_object = GenericForeignKey("content_type", "object_id")
    step = models.CharField(
        max_length=120,
        blank=True,
        help_text="Which occurrence: the workflow step, or the due date and stage of a reminder.",
    )
    subject = models.CharField(max_length=255)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    handed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the outbox relay last handed it to the task queue."
    )
    sending_at = models.DateTimeField(null=True, blank=True, help_text="When the last SMTP conversation began.")
    retry_at = models.DateTimeField(null=True, blank=True, help_text="Not tried again before this (after a failure).")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # The database, not the task, guarantees that a retried or duplicated
            # task, or a second sweep, never tells the same person the same thing twice.
            models.UniqueConstraint(
                fields=["event", "recipient", "content_type", "object_id", "step"],
                name="notification_once_per_recipient",
            )
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return f"{self.event} to {self.recipient} ({self.get_status_display()})"

    @property
    def message_id(self):
        """The email's Message-ID, the same however often it is sent: derived from the outbox key."""
        key = "\x1f".join(
            str(part) for part in (self.event, self.recipient_id, self.content_type_id, self.object_id, self.step)
        )
        digest = hashlib.sha256(key.encode()).hexdigest()[:16]
        domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "localhost"
        return f"<notification-{self.pk}-{digest}@{domain}>"


# --- The approval workflow's steps ---


class HeadOfServiceDeputy(models.Model):
    """Someone a Head of Service names to endorse proposals in their place."""

    head = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="endorsement_deputy",
        verbose_name="Head of Service",
    )
    deputy = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="deputising_for")

    class Meta:
        verbose_name = "Head of Service deputy"

    def __str__(self):
        return f"{self.deputy} for {self.head}"


class DecisionTaskState(TaskState):
    """A step's state that also records a Board minute, and whether the decision was a decline."""

    minute_reference = models.CharField(max_length=100, blank=True)
    declined = models.BooleanField(default=False, help_text="Declined (final), rather than returned for changes.")

    class Meta:
        verbose_name = "decision"
        permissions = [
            ("view_decision_log", "Can see and download the decision log"),
            ("view_board_pack", "Can see and download the Management Board's meeting pack"),
        ]

    def get_comment(self):
        # Shown in the entry's history and workflow history beside the decision.
        if self.minute_reference:
            return f"Minute {self.minute_reference}. {self.comment}".strip()
        return self.comment


def proposer_ids(obj, workflow_state=None):
    """Who may not decide on this entry: whoever submitted it, and its lead officer."""
    workflow_state = workflow_state or obj.current_workflow_state
    ids = {getattr(obj, "lead_officer_id", None), workflow_state.requested_by_id if workflow_state else None}
    ids.discard(None)
    return ids


def _object_ids(queryset):
    # WorkflowState.object_id is text; compare it with the entries' ids as text.
    return queryset.annotate(id_text=Cast("pk", output_field=models.CharField())).values("id_text")


DECIDED = (TaskState.STATUS_APPROVED, TaskState.STATUS_REJECTED)


def _decisions_on(obj):
    return TaskState.objects.filter(
        workflow_state__base_content_type=ContentType.objects.get_for_model(Partnership),
        workflow_state__object_id=str(obj.pk),
        status__in=DECIDED,
    )


def _entries_decided_by(user, task_model):
    """Ids (as text) of the entries on which ``user`` took a decision at a step of ``task_model``."""
    return TaskState.objects.filter(
        workflow_state__base_content_type=ContentType.objects.get_for_model(Partnership),
        finished_by=user,
        status__in=DECIDED,
        task_id__in=task_model.objects.values("pk"),
    ).values("workflow_state__object_id")


def step_decider_ids(obj, task_model):
    """Who took a decision at a ``task_model`` step of this proposal, in any round.

    A decision at the Head of Service step is taken in the name of the Head the
    entry named then, so a deputy's endorsement counts for that Head too.
    """
    ids = set()
    states = _decisions_on(obj).filter(task_id__in=task_model.objects.values("pk"))
    for finished_by_id, content in states.values_list("finished_by_id", "revision__content"):
        ids.add(finished_by_id)
        if task_model is HeadOfServiceTask and isinstance(content, dict):
            ids.add(content.get("head_of_service"))
    ids.discard(None)
    return ids


class ProposalDecisionMixin:
    """What the proposal steps share: a named set of approvers, none of whom decides on their own proposal,
    nor at more than one step of it (seeds 001 2.7, 004 8.1: endorsement, then the Board's decision).

    A user who may not act is neither offered an action (``get_actions``, which Wagtail
    also checks before it runs a posted action) nor let through ``on_action``.
    A superuser administers the portal and is not a decider at any step.
    """

    task_state_class = DecisionTaskState
    approve_actions = [("approve", "Approve", True)]
    can_decline = False

    def is_approver(self, obj, user):
        raise NotImplementedError

    def other_step_model(self):
        """The task model of the proposal's other step: whoever decided there may not decide here."""
        raise NotImplementedError

    def decided_other_step_ids(self, obj):
        return step_decider_ids(obj, self.other_step_model())

    def barred_ids(self, obj, workflow_state=None):
        return proposer_ids(obj, workflow_state) | self.decided_other_step_ids(obj)

    def user_can_act(self, obj, user):
        return bool(
            user is not None
            and user.is_authenticated
            and user.is_active
            and not user.is_superuser
            and self.is_approver(obj, user)
            and user.pk not in self.barred_ids(obj)
        )

    def get_actions(self, obj, user):
        if not self.user_can_act(obj, user):
            return []
        actions = [("reject", "Request changes", True), *self.approve_actions]
        if self.can_decline:
            actions.append(("decline", "Decline", True))
        return actions

    def get_form_for_action(self, action):
        if action == "reject":
            return forms.RequiredCommentForm
        if action == "decline":
            return forms.DeclineForm
        return forms.OptionalCommentForm

    @transaction.atomic
    def on_action(self, task_state, user, action_name, **kwargs):
        workflow_state = task_state.workflow_state
        obj = workflow_state.content_object
        # Only the step the proposal is at now: never a finished one, nor another entry's.
        if task_state.status != TaskState.STATUS_IN_PROGRESS or workflow_state.current_task_state_id != task_state.pk:
            raise PermissionDenied
        if action_name not in {name for name, _, _ in self.get_actions(obj, user)}:
            raise PermissionDenied
        comment = kwargs.get("comment", "")
        if action_name == "approve":
            task_state.minute_reference = kwargs.get("minute_reference", "")
            services.approve_step(task_state, user, comment)
        elif action_name == "reject":
            task_state.reject(user=user, comment=comment)
        elif action_name == "decline":
            services.decline(task_state, user, comment)

    def user_can_access_editor(self, obj, user):
        return self.user_can_act(obj, user)

    def locked_for_user(self, obj, user):
        return not (user.is_superuser or self.user_can_act(obj, user))

    def user_can_lock(self, obj, user):
        return self.user_can_act(obj, user)

    def user_can_unlock(self, obj, user):
        return False


class HeadOfServiceTask(ProposalDecisionMixin, Task):
    """Endorsement by the Head of Service named on the entry, or the deputy they have named."""

    approve_actions = [("approve", "Endorse", False), ("approve", "Endorse with comment", True)]

    class Meta:
        verbose_name = "Head of Service endorsement task"
        verbose_name_plural = "Head of Service endorsement tasks"

    def other_step_model(self):
        return BoardApprovalTask

    @staticmethod
    def approver_ids(obj):
        """The Head of Service the entry names and their deputy, while that Head can endorse at all."""
        head_id = getattr(obj, "head_of_service_id", None)
        if head_id is None or not heads_of_service().filter(pk=head_id).exists():
            return set()
        deputies = HeadOfServiceDeputy.objects.filter(
            head_id=head_id, deputy__is_active=True, deputy__is_superuser=False
        ).values_list("deputy_id", flat=True)
        return {head_id, *deputies}

    def is_approver(self, obj, user):
        return user.pk in self.approver_ids(obj)

    def approvers(self, obj, workflow_state=None):
        ids = self.approver_ids(obj) - self.barred_ids(obj, workflow_state)
        return list(get_user_model().objects.filter(pk__in=ids, is_active=True, is_superuser=False))

    def get_task_states_user_can_moderate(self, user, **kwargs):
        if user.is_superuser or not user.is_active:
            return TaskState.objects.none()
        heads = HeadOfServiceDeputy.objects.filter(deputy=user).values("head_id")
        entries = Partnership.objects.filter(Q(head_of_service=user) | Q(head_of_service__in=heads)).filter(
            head_of_service__in=heads_of_service().values("pk")
        )
        return (
            self.task_states.filter(
                status=TaskState.STATUS_IN_PROGRESS,
                workflow_state__base_content_type=ContentType.objects.get_for_model(Partnership),
                workflow_state__object_id__in=_object_ids(entries.exclude(lead_officer=user)),
            )
            .exclude(workflow_state__requested_by=user)
            .exclude(workflow_state__object_id__in=_entries_decided_by(user, BoardApprovalTask))
        )

    @classmethod
    def get_description(cls):
        return (
            "The Head of Service named on the entry, or their deputy, endorses it. "
            "Never the proposer, nor anyone who decided at another step."
        )


class BoardApprovalTask(ProposalDecisionMixin, AbstractGroupApprovalTask):
    """A group approval (Management Board) that can also decline, with a minute reference on approval."""

    can_decline = True

    class Meta:
        verbose_name = "Board approval task"
        verbose_name_plural = "Board approval tasks"

    def other_step_model(self):
        return HeadOfServiceTask

    def is_approver(self, obj, user):
        # Group members only: a superuser is not the Board.
        return self._user_in_groups(user)

    def barred_ids(self, obj, workflow_state=None):
        # The Head of Service the entry names has endorsed it (in person or by deputy) by the time it is here.
        barred = super().barred_ids(obj, workflow_state)
        head_id = getattr(obj, "head_of_service_id", None)
        return barred | {head_id} if head_id else barred

    def approvers(self, obj, workflow_state=None):
        members = get_user_model().objects.filter(groups__in=self.groups.all(), is_active=True, is_superuser=False)
        return list(members.distinct().exclude(pk__in=self.barred_ids(obj, workflow_state)))

    def get_form_for_action(self, action):
        if action == "approve":
            return forms.BoardApprovalForm
        return super().get_form_for_action(action)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        if user.is_superuser or not self._user_in_groups(user):
            return TaskState.objects.none()
        own = Partnership.objects.filter(Q(lead_officer=user) | Q(head_of_service=user))
        return (
            self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS)
            .exclude(workflow_state__requested_by=user)
            .exclude(
                workflow_state__base_content_type=ContentType.objects.get_for_model(Partnership),
                workflow_state__object_id__in=_object_ids(own),
            )
            .exclude(
                workflow_state__base_content_type=ContentType.objects.get_for_model(Partnership),
                workflow_state__object_id__in=_entries_decided_by(user, HeadOfServiceTask),
            )
        )

    @classmethod
    def get_description(cls):
        return (
            "Members of the chosen groups approve, request changes or decline (final). "
            "Never the proposer, nor whoever endorsed it."
        )
