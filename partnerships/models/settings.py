"""The register's thresholds and cycles: settings, because councils set them differently."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting


class RegisterSettings(BaseGenericSetting):
    significant_threshold = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        default=Decimal("30000"),
        validators=[MinValueValidator(0)],
        help_text=(
            "A partnership whose annual council contribution is above this amount is significant "
            "and carries extra scrutiny (Carlisle: £30,000)."
        ),
    )
    progress_report_months = models.PositiveSmallIntegerField(
        default=6, validators=[MinValueValidator(1)], help_text="Months between progress reports."
    )
    annual_review_months = models.PositiveSmallIntegerField(
        default=12, validators=[MinValueValidator(1)], help_text="Months between reviews of each partnership."
    )

    panels = [
        FieldPanel("significant_threshold"),
        FieldPanel("progress_report_months"),
        FieldPanel("annual_review_months"),
    ]

    class Meta:
        verbose_name = "register settings"
        verbose_name_plural = "register settings"
