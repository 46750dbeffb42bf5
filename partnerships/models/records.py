"""Records that hang off an entry, edited inline and kept in the entry's revisions.

Each has a ParentalKey, so modelcluster serialises it with the partnership: a
revision holds the meeting notes, summaries and risks as they were, and
publishing a revision writes them back.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.admin.utils import get_user_display_name
from wagtail.documents import get_document_model_string
from wagtail.models import Orderable

from .choices import RiskKind, Score

PARTNERSHIP = "partnerships.Partnership"


class PartnershipPartner(Orderable):
    """A partner organisation in one partnership, with the part it plays there."""

    partnership = ParentalKey(PARTNERSHIP, on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey(
        "partnerships.PartnerOrganisation", on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(max_length=255, blank=True, help_text="For example chair, secretariat, funder.")

    panels = [FieldRowPanel([FieldPanel("organisation"), FieldPanel("role")])]

    class Meta(Orderable.Meta):
        verbose_name = "partner"

    def __str__(self):
        return str(self.organisation)


class CouncilRepresentative(Orderable):
    """Who sits on the partnership for the council: an officer, or a councillor by name."""

    partnership = ParentalKey(PARTNERSHIP, on_delete=models.CASCADE, related_name="representatives")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    councillor_name = models.CharField(max_length=255, blank=True, help_text="Councillors need no portal account.")
    role = models.CharField(max_length=255, blank=True, help_text="For example board member, observer, substitute.")

    panels = [FieldRowPanel([FieldPanel("officer"), FieldPanel("councillor_name"), FieldPanel("role")])]

    class Meta(Orderable.Meta):
        verbose_name = "council representative"

    def __str__(self):
        if self.councillor_name:
            return f"Cllr {self.councillor_name}"
        if self.officer:
            return get_user_display_name(self.officer)
        return ""

    def clean(self):
        if bool(self.officer_id) == bool(self.councillor_name.strip()):
            raise ValidationError("Choose an officer or name a councillor (one of the two).")


class MeetingNote(models.Model):
    partnership = ParentalKey(PARTNERSHIP, on_delete=models.CASCADE, related_name="meeting_notes")
    date = models.DateField()
    notes = models.TextField()
    attachment = models.ForeignKey(
        get_document_model_string(),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Meeting papers are internal: only the register's roles can open them.",
    )
    publish_notes = models.BooleanField(
        "publish these notes",
        default=False,
        help_text="Show these notes on the public register (never their attachment). "
        "Leave unticked to keep them internal.",
    )

    panels = [FieldPanel("date"), FieldPanel("notes"), FieldPanel("attachment"), FieldPanel("publish_notes")]

    class Meta:
        ordering = ["-date", "pk"]

    def __str__(self):
        return f"Meeting on {self.date:%d %B %Y}"


class ActivitySummary(models.Model):
    """The annual activity summary (Harborough 5.3): one per partnership per year.

    Not a database constraint: rows are rewritten from revisions on publish, and
    swapping two years would trip it mid-write. ``PartnershipForm`` refuses duplicates.
    """

    partnership = ParentalKey(PARTNERSHIP, on_delete=models.CASCADE, related_name="activity_summaries")
    year = models.PositiveSmallIntegerField(validators=[MinValueValidator(1990), MaxValueValidator(2100)])
    summary = models.TextField()

    panels = [FieldPanel("year"), FieldPanel("summary")]

    class Meta:
        ordering = ["-year"]
        verbose_name_plural = "activity summaries"

    def __str__(self):
        return f"Activity in {self.year}"


class RiskRegisterEntry(models.Model):
    partnership = ParentalKey(PARTNERSHIP, on_delete=models.CASCADE, related_name="risks")
    kind = models.CharField(max_length=20, choices=RiskKind.choices, default=RiskKind.RISK)
    description = models.TextField()
    likelihood = models.PositiveSmallIntegerField(choices=Score.choices)
    impact = models.PositiveSmallIntegerField(choices=Score.choices)
    mitigation = models.TextField(blank=True, help_text="For an opportunity: how the council will take it.")
    owner = models.CharField(max_length=255, blank=True, help_text="Who manages this risk or opportunity.")
    review_date = models.DateField(null=True, blank=True)

    panels = [
        FieldPanel("kind"),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("likelihood"), FieldPanel("impact")]),
        FieldPanel("mitigation"),
        FieldRowPanel([FieldPanel("owner"), FieldPanel("review_date")]),
    ]

    class Meta:
        ordering = ["pk"]
        verbose_name = "risk register entry"
        verbose_name_plural = "risk register entries"

    def __str__(self):
        return self.description[:80]

    @property
    def score(self):
        return self.likelihood * self.impact if self.likelihood and self.impact else None
