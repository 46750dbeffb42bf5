"""What the public tell the council: a problem with a register entry, or feedback on the portal.

Each report is told to the register managers through the notification outbox when it is
saved, and stays in the admin's list until one of them marks it resolved.
"""

from django.conf import settings
from django.db import models


class PublicReport(models.Model):
    class Kind(models.TextChoices):
        CORRECTION = "correction", "Problem with an entry"
        FEEDBACK = "feedback", "Feedback on the portal"

    kind = models.CharField(max_length=12, choices=Kind.choices)
    partnership = models.ForeignKey(
        "partnerships.Partnership",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="public_reports",
        help_text="The entry reported, for a problem with an entry.",
    )
    # Kept as the reporter saw it, should the entry later be renamed, unpublished or deleted.
    entry_name = models.CharField(max_length=255, blank=True)
    message = models.TextField("What is wrong")
    email = models.EmailField(blank=True, help_text="Given only if the person wants a reply.")
    received_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-received_at"]
        verbose_name = "report from the public"
        verbose_name_plural = "reports from the public"
        permissions = [("resolve_publicreport", "Can mark a report from the public resolved")]

    def __str__(self):
        about = self.entry_name or "the portal"
        return f"{self.get_kind_display()}: {about} ({self.received_at:%d %b %Y})" if self.received_at else about

    @property
    def is_resolved(self):
        return self.resolved_at is not None
