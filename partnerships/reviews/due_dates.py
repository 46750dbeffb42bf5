"""When an entry's next progress report and annual review fall due (Wyre Forest 4.2).

Each cycle runs from the date of the last one: the next annual review is due twelve
months after the date of the review, the next progress report six months after the
date it was made (the lengths are ``RegisterSettings.annual_review_months`` and
``progress_report_months``). A newly approved partnership starts both cycles on the
day Management Board approves it.

Months are calendar months, with a short month taking its last day: 31 August plus
six months is 28 February (29th in a leap year), 29 February plus twelve months is
28 February.
"""

from dateutil.relativedelta import relativedelta

from partnerships.models import RegisterSettings


def months_after(day, months):
    return day + relativedelta(months=months)


def next_progress_report_due(reported_on, settings=None):
    settings = settings or RegisterSettings.load()
    return months_after(reported_on, settings.progress_report_months)


def next_review_due(reviewed_on, settings=None):
    settings = settings or RegisterSettings.load()
    return months_after(reviewed_on, settings.annual_review_months)


def first_due_dates(approved_on):
    """The lifecycle fields a partnership gets when Management Board approves it."""
    settings = RegisterSettings.load()
    return {
        "approval_date": approved_on,
        "next_progress_report_due": next_progress_report_due(approved_on, settings),
        "next_review_due": next_review_due(approved_on, settings),
    }
