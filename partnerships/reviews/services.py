"""Submitting progress reports and annual reviews, and what each does to the entry.

Reports and reviews are records, not edits of the entry: the due dates (and, on an
"exit" outcome, the status and exit plan) are written straight to the entry's row
with ``update()``, so no draft revision of a live entry is created and nothing goes
through the approval workflow. A draft already waiting (unpublished changes) gets
the same values in its content, so publishing it later does not put the old dates back.

Next due dates keep the cycle's rhythm: the date being answered plus the cycle
(``RegisterSettings.progress_report_months`` / ``annual_review_months``), stepped on
by further cycles until it is after the submission date. A report due 31 March and
sent in on 20 April is next due 30 September, not 20 October; one sent a whole cycle
late is not given a due date that has already passed. With no due date set, the
cycle runs from the submission date.
"""

from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from partnerships.models import (
    IN_FORCE_STATUSES,
    ActivitySummary,
    AnnualReview,
    AnnualReviewAnswer,
    Partnership,
    ProgressReport,
    RegisterSettings,
    ReviewOutcome,
    Status,
)
from partnerships.permissions import can_change_any


def can_submit_reviews(user, partnership):
    """The entry's lead officer, its Head of Service, or a register manager."""
    if not (user.is_authenticated and user.is_active):
        return False
    if can_change_any(user):
        return True
    head_id = partnership.head_of_service_id
    if head_id is None and partnership.service_area_id:
        head_id = partnership.service_area.head_of_service_id
    return user.pk in {partnership.lead_officer_id, head_id}


def reviewable(partnership):
    """Reports and reviews are made while the council is in the partnership."""
    return partnership.status in IN_FORCE_STATUSES


def next_due(due, months, submitted_on):
    """The next due date after ``submitted_on``, keeping the rhythm of ``due`` (see the module)."""
    if due is None:
        return submitted_on + relativedelta(months=months)
    steps = 1
    while due + relativedelta(months=months * steps) <= submitted_on:
        steps += 1
    # From the original date each time, so 31 August + 6 months × 2 is 28/29 February, then 31 August.
    return due + relativedelta(months=months * steps)


def update_entry(partnership, **fields):
    """Write ``fields`` to the entry's row and to a draft waiting to be published."""
    Partnership.objects.filter(pk=partnership.pk).update(**fields)
    for name, value in fields.items():
        setattr(partnership, name, value)
    revision = partnership.latest_revision if partnership.has_unpublished_changes else None
    if revision is not None and revision.pk != partnership.live_revision_id:
        revision.content.update({name: _serialise(value) for name, value in fields.items()})
        revision.save(update_fields=["content"])


def _serialise(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


@dataclass
class Submitted:
    record: object
    next_due: object


@transaction.atomic
def submit_progress_report(report, user, today=None):
    """Save a new, validated progress report and move the entry's next report date on."""
    today = today or timezone.localdate()
    partnership = Partnership.objects.select_for_update().get(pk=report.partnership_id)
    months = RegisterSettings.load().progress_report_months
    report.due_date = partnership.next_progress_report_due
    report.submitted_by = user
    report.submitted_at = timezone.now()
    report.save()
    due = next_due(report.due_date, months, today)
    update_entry(partnership, next_progress_report_due=due)
    return Submitted(report, due)


@transaction.atomic
def submit_annual_review(review, answers, user, today=None):
    """Save a new, validated annual review with its answers.

    ``answers`` are unsaved ``AnnualReviewAnswer``s (none when the review already holds
    them as child rows, as the admin's form does). Moves the next review date on,
    writes the year's activity summary, and on "exit" moves the entry to exiting
    with the review's exit or succession plan as its exit strategy.
    """
    today = today or timezone.localdate()
    partnership = Partnership.objects.select_for_update().get(pk=review.partnership_id)
    months = RegisterSettings.load().annual_review_months
    review.due_date = partnership.next_review_due
    review.submitted_by = user
    review.submitted_at = timezone.now()
    review.save()
    for answer in answers:
        answer.review = review
    AnnualReviewAnswer.objects.bulk_create(answers)

    due = next_due(review.due_date, months, today)
    changes = {"next_review_due": due}
    if review.outcome == ReviewOutcome.EXIT:
        changes.update(status=Status.EXITING, exit_strategy=review.exit_plan)
    update_entry(partnership, **changes)
    record_activity_summary(partnership, review.activity_year, review.activity_summary)
    return Submitted(review, due)


def record_activity_summary(partnership, year, text):
    """Create or replace the entry's activity summary for ``year`` (one per year).

    The summary is one of the entry's own records (kept in its revisions), so a
    waiting draft gets it too: publishing the draft would otherwise delete it.
    """
    summary = ActivitySummary.objects.filter(partnership=partnership, year=year).order_by("pk").first()
    if summary is None:
        summary = ActivitySummary.objects.create(partnership=partnership, year=year, summary=text)
    else:
        summary.summary = text
        summary.save(update_fields=["summary"])
    revision = partnership.latest_revision if partnership.has_unpublished_changes else None
    if revision is not None and revision.pk != partnership.live_revision_id:
        items = [item for item in revision.content.get("activity_summaries", []) if item.get("year") != year]
        items.append({"pk": summary.pk, "partnership": partnership.pk, "year": year, "summary": text})
        revision.content["activity_summaries"] = items
        revision.save(update_fields=["content"])
    return summary


def answers_from(question_sets, cleaned):
    """Unsaved answers from ``{(kind, code): (yes, action)}`` for the questions of ``question_sets``."""
    answers = []
    for question_set in question_sets:
        for question in question_set.questions.all():
            yes, action = cleaned[(question_set.kind, question.code)]
            answers.append(
                AnnualReviewAnswer(
                    question=question,
                    question_set=question_set.kind,
                    code=question.code,
                    text=question.text,
                    answer=yes,
                    action=action,
                )
            )
    return answers


def latest_report(partnership):
    return ProgressReport.objects.filter(partnership=partnership).latest_first().first()


def latest_review(partnership):
    return AnnualReview.objects.filter(partnership=partnership).first()
