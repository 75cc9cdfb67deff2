"""The note a subscribed channel gets when the clock has loaded a new Home Office release:
short, because the next digest leads with what the release says for the channel's patch."""

from __future__ import annotations

import datetime as dt

from bot.core.periods import Period, Quarter


def _date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def release_note(
    recorded_to: int | None, outcomes_to: int | None, published: dt.date | None, force: str
) -> str:
    """'New Home Office figures loaded: the year to December 2025 (published 22 January
    2026). Ask `/crimestats all crime Thames Valley` …'. ``recorded_to`` and ``outcomes_to``
    are the newest quarters loaded (Quarter.index), ``force`` the first of the channel's."""
    if recorded_to is not None:
        what = f"New Home Office figures loaded: {Period(Quarter.from_index(recorded_to)).label()}"
    elif outcomes_to is not None:
        end = Quarter.from_index(outcomes_to).month_year()
        what = f"New Home Office outcome figures loaded: outcomes to {end}"
    else:
        what = "New Home Office figures loaded"
    when = f" (published {_date(published)})" if published else ""
    ask = f"`/crimestats all crime {force}`" if force else "`/crimestats all crime`"
    return (
        f"{what}{when}. Ask {ask}, or any question, for the new figures; "
        "the next digest leads with what changed for your forces."
    )
