"""What the register import remembers: a council's own column headings, and every import it ran."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class ImportColumnMapping(models.Model):
    """A heading from a council's own spreadsheet and the register column it holds, as a manager confirmed it.

    Applied to every later upload, so the same spreadsheet is mapped once. An empty
    ``field`` means the column is deliberately left out of the import.
    """

    heading_key = models.CharField(max_length=255, unique=True, help_text="The heading, normalised.")
    heading = models.CharField(max_length=255, help_text="The heading as the spreadsheet last spelled it.")
    field = models.CharField(max_length=50, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "import column mapping"
        ordering = ["heading_key"]

    def __str__(self):
        return f"{self.heading} → {self.field or 'not imported'}"


class RegisterImport(models.Model):
    """One upload to the register import: who, when, the file (kept privately), its progress and outcome.

    ``state`` holds the job's progress, preview and result, so the progress page and
    the history outlive the cache.
    """

    class Outcome(models.TextChoices):
        IN_PROGRESS = "in_progress", "In progress"
        IMPORTED = "imported", "Imported"
        INVALID = "invalid", "Refused: problems in the file"
        CANCELLED = "cancelled", "Cancelled"
        FAILED = "failed", "Failed"

    token = models.UUIDField(unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    filename = models.CharField(max_length=200)
    stored_name = models.CharField(max_length=100, help_text="The uploaded file's name in the private import folder.")
    outcome = models.CharField(max_length=20, choices=Outcome.choices, default=Outcome.IN_PROGRESS)
    rows = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    refused = models.PositiveIntegerField(default=0, help_text="Rows with problems.")
    duplicates = models.PositiveIntegerField(default=0, help_text="Rows refused as duplicates of existing entries.")
    backfilled = models.PositiveIntegerField(default=0)
    state = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = "register import"
        ordering = ["-started_at", "-pk"]

    def __str__(self):
        return f"{self.filename} ({self.started_at:%d/%m/%Y %H:%M})"
