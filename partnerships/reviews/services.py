"""Submitting progress reports and annual reviews, and what each does to the entry.

Reports and reviews are records, not edits of the entry: nothing goes through the
approval workflow. The next due dates (``due_dates``) and, on an "exit" outcome,
the status and exit plan are recorded on the entry (``partnerships.lifecycle``), so
a draft already waiting for approval gets them too and publishing it later does not
put the old dates back.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from partnerships.lifecycle import latest_version, record_on_entry
from partnerships.models import (
    IN_FORCE_STATUSES,
    ActivitySummary,
    AnnualReviewAnswer,
    Partnership,
    ReviewOutcome,
    Status,
)

from .due_dates import next_progress_report_due, next_review_due
from .signals import review_recorded


def reviewable(partnership):
    """Reports and reviews are made while the council is in the partnership."""
    return partnership.status in IN_FORCE_STATUSES


@dataclass
class Submitted:
    record: object
    next_due: object


def _save_submitted(record, user, *, due):
    """Save ``record`` as submitted now by ``user``, due when its entry said (field ``due``); the entry, locked."""
    partnership = Partnership.objects.select_for_update().get(pk=record.partnership_id)
    record.due_date = getattr(partnership, due)
    record.submitted_by = user
    record.submitted_at = timezone.now()
    record.save()
    return partnership


@transaction.atomic
def submit_progress_report(report, user, today=None):
    """Save a new, validated progress report and move the entry's next report date on."""
    today = today or timezone.localdate()
    partnership = _save_submitted(report, user, due="next_progress_report_due")
    due = next_progress_report_due(today)
    record_on_entry(partnership, user, next_progress_report_due=due)
    review_recorded.send(sender=type(report), record=report, partnership=partnership, user=user)
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
    partnership = _save_submitted(review, user, due="next_review_due")
    for answer in answers:
        answer.review = review
    AnnualReviewAnswer.objects.bulk_create(answers)

    due = next_review_due(review.review_date or today)
    changes = {"next_review_due": due}
    if review.outcome == ReviewOutcome.EXIT:
        changes.update(status=Status.EXITING, exit_strategy=review.exit_plan)
    summaries = record_activity_summary(partnership, review.activity_year, review.activity_summary)
    record_on_entry(partnership, user, children={"activity_summaries": summaries}, **changes)
    review_recorded.send(sender=type(review), record=review, partnership=partnership, user=user)
    return Submitted(review, due)


def record_activity_summary(partnership, year, text):
    """Create or replace the entry's activity summary for ``year`` (one per year); the entry's summaries after it.

    The summary is one of the entry's own records (kept in its revisions), so the
    caller records the list on the entry too: publishing a waiting draft would
    otherwise delete it.
    """
    summary = ActivitySummary.objects.filter(partnership=partnership, year=year).order_by("pk").first()
    if summary is None:
        summary = ActivitySummary.objects.create(partnership=partnership, year=year, summary=text)
    else:
        summary.summary = text
        summary.save(update_fields=["summary"])
    others = [item for item in latest_version(partnership).activity_summaries.all() if item.year != year]
    return [*others, summary]


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
