"""The day the Cabinet and exception reports are read on."""

import datetime
import zoneinfo

import pytest
import time_machine


@pytest.fixture
def on_10_june_2026():
    """Today is 10 June 2026, 09:00 in London: the last reporting cycle has closed."""
    with time_machine.travel(datetime.datetime(2026, 6, 10, 9, 0, tzinfo=zoneinfo.ZoneInfo("Europe/London"))):
        yield
