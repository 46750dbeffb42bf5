"""Six-monthly progress reports and annual reviews: records kept beside an entry.

Unlike meeting notes or risks, these are not part of the entry's revisions. A report
is a statement made on a date by an officer; it is never "published" or rolled
back with the entry, so each is a plain row with a ForeignKey to the partnership.
Submitting one moves the entry's due dates (see ``partnerships.reviews.services``).
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils import timezone
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

PARTNERSHIP = "partnerships.Partnership"


class Rating(models.TextChoices):
    """The RAG rating of a progress report (Wyre Forest 4.2)."""

    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


class ReviewOutcome(models.TextChoices):
    """What an annual review decides (the Improvement Template; Carlisle's exit and succession)."""

    CONTINUE = "continue", "Continue"
    IMPROVE = "improve", "Continue with improvements"
    EXIT = "exit", "Exit"


# Wyre Forest 4.2: "Only those partnerships which appear not to be making sufficient progress
# will be reported to Cabinet." The lead officer says so by answering No, or by rating it red.
GOES_TO_CABINET = Q(sufficient_progress=False) | Q(rating=Rating.RED)


class ProgressReportQuerySet(models.QuerySet):
    def latest_first(self):
        """The latest report first: the one covering the latest period, then the last submitted."""
        return self.order_by("-period_end", "-submitted_at", "-pk")

    def annotate_goes_to_cabinet(self):
        return self.annotate(goes_to_cabinet=ExpressionWrapper(GOES_TO_CABINET, output_field=BooleanField()))


def _submitter():
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )


class ProgressReport(models.Model):
    partnership = models.ForeignKey(PARTNERSHIP, on_delete=models.CASCADE, related_name="progress_reports")
    due_date = models.DateField(
        null=True, blank=True, editable=False, help_text="The due date this report answered, when one was set."
    )
    period_start = models.DateField("start of the period")
    period_end = models.DateField("end of the period")
    rating = models.CharField("RAG rating", max_length=5, choices=Rating.choices)
    sufficient_progress = models.BooleanField(
        "is the partnership making sufficient progress?",
        help_text="Reports of partnerships not making sufficient progress go to Cabinet.",
    )
    achievements = models.TextField(help_text="What the partnership achieved in the period.")
    issues = models.TextField(
        "issues", blank=True, help_text="What is holding progress back. Needed when the rating is not green."
    )
    next_steps = models.TextField(help_text="What happens in the next period, and who does it.")
    spend_to_date = models.DecimalField(
        "spend to date (£)",
        max_digits=12,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(0)],
        help_text="What the council has spent on the partnership so far this financial year.",
    )
    submitted_by = _submitter()
    submitted_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ProgressReportQuerySet.as_manager()

    class Meta:
        ordering = ["-period_end", "-submitted_at", "-pk"]
        indexes = [models.Index(fields=["partnership", "-period_end"], name="progress_report_latest_idx")]

    def __str__(self):
        return f"Progress report {self.period_start:%b %Y} to {self.period_end:%b %Y}"

    def clean(self):
        super().clean()
        errors = {}
        if self.period_start and self.period_end and self.period_end < self.period_start:
            errors["period_end"] = "The end of the period must be the same as or after its start."
        if self.rating and self.rating != Rating.GREEN and not (self.issues or "").strip():
            errors["issues"] = "Say what is holding progress back: the report is not rated green."
        if self.sufficient_progress is False and not (self.issues or "").strip():
            errors.setdefault("issues", "Say what is holding progress back: progress is not sufficient.")
        if errors:
            raise ValidationError(errors)


class AnnualReview(ClusterableModel):
    partnership = models.ForeignKey(PARTNERSHIP, on_delete=models.CASCADE, related_name="annual_reviews")
    due_date = models.DateField(
        null=True, blank=True, editable=False, help_text="The due date this review answered, when one was set."
    )
    review_date = models.DateField("date of the review", default=timezone.localdate)
    outcome = models.CharField(max_length=10, choices=ReviewOutcome.choices)
    improvements = models.TextField(
        blank=True, help_text="The improvements the partnership must make. Needed when it continues with improvements."
    )
    exit_plan = models.TextField(
        "exit or succession plan",
        blank=True,
        help_text="How the council will leave, or who takes the work on. Needed when the outcome is exit.",
    )
    activity_year = models.PositiveSmallIntegerField(
        "year of the activity summary", help_text="The calendar year the annual activity summary covers."
    )
    activity_summary = models.TextField(
        "annual activity summary", help_text="What the partnership did in the year (Harborough 5.3)."
    )
    submitted_by = _submitter()
    submitted_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-review_date", "-submitted_at", "-pk"]

    def __str__(self):
        return f"Annual review of {self.review_date:%d %B %Y}"

    def clean(self):
        super().clean()
        errors = {}
        if self.outcome == ReviewOutcome.EXIT and not (self.exit_plan or "").strip():
            errors["exit_plan"] = "Enter the exit or succession plan: the outcome is exit."
        if self.outcome == ReviewOutcome.IMPROVE and not (self.improvements or "").strip():
            errors["improvements"] = "Say which improvements the partnership must make."
        if errors:
            raise ValidationError(errors)


def missing_action(code, says_no, action):
    """What to tell the reviewer when a "no" has no action, or None.

    A "no" on the Improvement Template or the five-minute review is only useful with
    the action that will put it right, so the answer is not accepted without one.
    """
    if says_no and not (action or "").strip():
        return f"Enter the action for question {code}: the answer is no"
    return None


class AnnualReviewAnswer(models.Model):
    """One question of the Improvement Template or the five-minute review, answered yes or no.

    The question's code and wording are copied, so a review reads as it was answered
    even after editors change or remove the question.
    """

    review = ParentalKey(AnnualReview, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey("portal.Question", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    question_set = models.CharField(max_length=20)
    code = models.CharField(max_length=10)
    text = models.TextField()
    answer = models.BooleanField()
    action = models.TextField(blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["review", "question_set", "code"], name="one_answer_per_question"),
        ]

    def __str__(self):
        return f"{self.code}: {'yes' if self.answer else 'no'}"
