"""Dates given to management commands on the command line."""

import datetime

from django.core.management.base import CommandError


def iso_date(value, option="--date"):
    """``value`` (YYYY-MM-DD) as a date; a CommandError that names the ``option`` otherwise."""
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"{option} must be a date as YYYY-MM-DD, not {value!r}.") from error
