"""The lists a register entry points at: partner bodies, council priorities, service areas."""

from django.conf import settings
from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

from portal.validators import validate_safe_url

from .choices import Sector


class PartnerOrganisation(index.Indexed, models.Model):
    name = models.CharField(max_length=255, unique=True)
    sector = models.CharField(max_length=20, choices=Sector.choices)
    website = models.URLField(blank=True, validators=[validate_safe_url])
    registered_number = models.CharField(
        max_length=50, blank=True, help_text="Companies House or Charity Commission number, where it has one."
    )

    panels = [FieldPanel("name"), FieldPanel("sector"), FieldPanel("website"), FieldPanel("registered_number")]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.FilterField("sector"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = "partner organisation"

    def __str__(self):
        return self.name


class CouncilPriority(models.Model):
    name = models.CharField(max_length=255, unique=True)
    description = models.TextField(blank=True)
    active = models.BooleanField(
        default=True, help_text="Retired priorities stay on old entries but cannot be chosen for new ones."
    )

    panels = [FieldPanel("name"), FieldPanel("description"), FieldPanel("active")]

    class Meta:
        ordering = ["name"]
        verbose_name = "council priority"
        verbose_name_plural = "council priorities"

    def __str__(self):
        return self.name


class ServiceArea(models.Model):
    name = models.CharField(max_length=255, unique=True)
    head_of_service = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Endorses this service's proposals and is told when its reviews are overdue.",
    )

    panels = [FieldPanel("name"), FieldPanel("head_of_service")]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Area(models.Model):
    """A ward or place in the council's area, so that a councillor can find the partnerships in theirs."""

    name = models.CharField(max_length=255, unique=True)
    description = models.TextField(blank=True, help_text="Optional: what the place or ward takes in.")

    panels = [FieldPanel("name"), FieldPanel("description")]

    class Meta:
        ordering = ["name"]
        verbose_name = "area covered"
        verbose_name_plural = "areas covered"

    def __str__(self):
        return self.name
