"""What the portal has told whom: one row per notification, sent at most once."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models


class Notification(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
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
