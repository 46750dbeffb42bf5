"""How an entry came onto the register: Management Board's decision, or a recorded back-fill.

The Framework lets a partnership onto the register only with its Head of Service's
endorsement and Management Board's approval. The one exception is the register the
council already had: partnerships approved before the portal existed (by Cabinet, a
committee or the Board on paper) are brought in by a register manager who records
when and by whom each was approved. Either way an ``ApprovalRecord`` is written, and
``Partnership.save()`` refuses to make an entry live without one, so no path (admin,
import, API, command, bulk write) can publish an entry nobody approved.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone
from wagtail.admin.utils import get_user_display_name

BACKFILL_PERMISSION = "partnerships.record_backfill"


class NotApprovedError(PermissionDenied):
    """An attempt to make an entry live that has neither a Board decision nor a recorded back-fill."""

    def __init__(self, entry=None):
        label = f"{entry.reference} {entry.name}".strip() if entry is not None else "This entry"
        super().__init__(
            f"{label} has no approval record: an entry goes on the register only through Management Board's "
            "approval, or a register manager's record that it was approved before the portal."
        )


class ApprovalRecord(models.Model):
    class Route(models.TextChoices):
        BOARD = "board", "Management Board decision"
        BACKFILL = "backfill", "Approved before the portal (back-fill)"

    # One per entry: an entry is approved onto the register once; later changes are moderated edits.
    partnership = models.OneToOneField(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="approval_record"
    )
    route = models.CharField(max_length=10, choices=Route.choices)
    approved_on = models.DateField("date approved")
    approved_by = models.CharField(
        "approved by",
        max_length=255,
        help_text="The body that approved it, e.g. Cabinet, Management Board.",
    )
    minute_reference = models.CharField("minute reference", max_length=100, blank=True)
    # The Board's step in the workflow, for a Board decision (its comment and audit trail).
    task_state = models.ForeignKey(
        "wagtailcore.TaskState", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "approval record"
        permissions = [("record_backfill", "Can record partnerships approved before the portal")]
        indexes = [models.Index(fields=["recorded_at"], name="approval_recorded_at_idx")]

    def __str__(self):
        return f"{self.get_route_display()}: {self.describe()}"

    def describe(self):
        """ "Cabinet, 12 March 2019, minute 45" — as the report and the history show it."""
        parts = [self.approved_by, f"{self.approved_on.day} {self.approved_on:%B %Y}"]
        if self.minute_reference:
            parts.append(f"minute {self.minute_reference}")
        return ", ".join(part for part in parts if part)

    @property
    def recorded_by_name(self):
        user = self.recorded_by
        return get_user_display_name(user)
