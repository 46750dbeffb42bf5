"""The review-due sweep: remind, escalate, and send the weekly digest of what is overdue.

Run daily by Celery beat (``workflows.tasks.send_review_reminders``, 07:00 Europe/London)
and by hand with ``manage.py send_review_reminders [--dry-run] [--date YYYY-MM-DD]``.

The modules: ``rules`` (the kinds, the stages, the events), ``sweep`` (what falls due on a
day, and one run), ``overdue`` (what is overdue, for the digest and the dashboard) and
``delivery`` (recording, handing on and sending). Callers import from the module that
holds what they use; this package exports nothing.

What falls due
    For every partnership in force: its next progress report, next annual review,
    terms of reference renewal and each risk register review date; and every live
    guidance, content, toolkit or training page's review-by date; and each trained
    role's awareness training refresher (``training``: a year after each module was
    last passed, or a month after joining for a module never taken).

The due rule, for a sweep on date D and an item due on date d
    The reminder offsets (``REMINDER_OFFSETS_DAYS``, default 30, 7 and 0 days before)
    make stages; a stage is due from its own day until the next stage begins, and
    the last one until the escalation begins (``ESCALATION_AFTER_DAYS``, default 14
    days after)::

        "30 days before" when d-30 <= D < d-7      → the lead officer
        "7 days before"  when d-7  <= D < d        → the lead officer
        "on the day"     when d    <= D < d+14     → the lead officer
        escalation       when d+14 <= D            → the Head of Service

    So a sweep that did not run on a stage's first day (a holiday outage, a
    deployment) still sends it the next day, and a stage that has been overtaken
    is never sent late: an entry created 5 days before its due date gets the
    "7 days before" reminder only. Pages have the same stages for their owner, and
    no escalation.

Never twice
    Each reminder is a ``Notification`` whose unique key is (event, recipient, the
    entry, step): the event names the kind and stage (``reminder.progress_report.due_in_30``,
    ``escalation.annual_review``) and the step is the due date. A later due date (a
    report was submitted) starts a new series; the same stage of the same due date
    is never sent to the same person again, whatever reruns. A lead officer who
    takes over an entry is sent the stage in hand once, then the stages to come.

Weekly digest
    Register managers get one digest of everything overdue each ISO week, from the
    first sweep on or after ``REMINDER_DIGEST_WEEKDAY`` (Monday) that finds anything
    overdue; its step is the ISO week (``2026-W14``).
"""
