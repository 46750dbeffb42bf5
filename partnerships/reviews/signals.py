"""Told when a progress report or annual review is recorded, inside its transaction.

The workflow app answers with notifications (the partnership's champion hears the
outcome); the register itself does not send mail.
"""

from django.dispatch import Signal

# Sent with ``record`` (the saved ProgressReport or AnnualReview), ``partnership`` and ``user``.
review_recorded = Signal()
