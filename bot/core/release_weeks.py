"""When the Home Office publishes: the police recorded crime open data tables come out
quarterly, in the second half of January, April, July and October (every publication date
seen in a file name, 19 October 2023 to 23 July 2026, is on the 19th or later; see
raw/OFFICIAL-LAYOUTS.md, section 1). The clock looks for a new release only then."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

RELEASE_MONTHS = (1, 4, 7, 10)
SECOND_HALF_FROM = 16  # the first day of a month's second half


def is_release_week(day: dt.date) -> bool:
    """The second half of January, April, July or October: when a release may appear."""
    return day.month in RELEASE_MONTHS and day.day >= SECOND_HALF_FROM


def release_week_at(now: dt.datetime, timezone: ZoneInfo) -> bool:
    """``is_release_week`` for the day it is at ``now`` (an aware time) in ``timezone``: gov.uk
    publishes at 09:30 London time, so the day is the newsroom's, not UTC's."""
    return is_release_week(now.astimezone(timezone).date())
