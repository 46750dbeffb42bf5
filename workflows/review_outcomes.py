"""A partnership's champion hears the outcome of each progress report and annual review.

Business Unit Heads report the outcomes of partnership review to the partnership's
champion (Carlisle 3.2). The email is recorded in the notification outbox in the same
transaction as the report, so a report that fails to save tells nobody.
"""

from django.urls import reverse

from partnerships.models import AnnualReview, ProgressReport, ReviewOutcome
from partnerships.reviews.signals import review_recorded

from .notifications import absolute_url, notify

EVENT = "review_outcome"


def _long_date(day):
    return f"{day.day} {day:%B %Y}" if day else ""


def _progress_report_message(report, partnership):
    progress = "is" if report.sufficient_progress else "is not"
    paragraphs = [
        f"The progress report for {_long_date(report.period_start)} to {_long_date(report.period_end)} rates it "
        f"{report.get_rating_display()}: the partnership {progress} making sufficient progress.",
        f"Achievements: {report.achievements}",
    ]
    if not report.sufficient_progress:
        paragraphs.append("Partnerships not making sufficient progress are reported to Cabinet.")
    url = reverse("partnerships_staff:progress_report_detail", args=[partnership.pk, report.pk])
    return "Progress report", paragraphs, url


def _annual_review_message(review, partnership):
    paragraphs = [f"The annual review of {_long_date(review.review_date)} decided: {review.get_outcome_display()}."]
    if review.outcome == ReviewOutcome.IMPROVE and review.improvements:
        paragraphs.append(f"Improvements: {review.improvements}")
    if review.outcome == ReviewOutcome.EXIT and review.exit_plan:
        paragraphs.append(f"Exit or succession plan: {review.exit_plan}")
    url = reverse("partnerships_staff:annual_review_detail", args=[partnership.pk, review.pk])
    return "Annual review", paragraphs, url


MESSAGES = {ProgressReport: _progress_report_message, AnnualReview: _annual_review_message}


def tell_champion(sender, record, partnership, user=None, **kwargs):
    champion = partnership.champion
    if champion is None or sender not in MESSAGES:
        return
    kind, paragraphs, url = MESSAGES[sender](record, partnership)
    notify(
        event=EVENT,
        recipients=[champion],
        obj=partnership,
        step=f"{sender._meta.model_name}-{record.pk}",
        template="generic",
        context={
            "headline": f"{kind} outcome for {partnership.reference} {partnership.name}, which you champion",
            "paragraphs": paragraphs,
            "action_url": absolute_url(url),
            "action_label": f"Read the {kind.lower()}",
        },
    )


def connect():
    review_recorded.connect(tell_champion, dispatch_uid="workflows_tell_champion")
