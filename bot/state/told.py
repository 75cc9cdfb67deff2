"""What each thread was told: the log the revision alerts are found in.

``Told`` keeps one row per figure a thread (an answer's thread, or a digest's) was given: its
label, period, value and the release it came from, and the plan that answers it again. When
new data is loaded, the rows not yet checked against it are answered again, and a figure a
newer release changed gets one alert in its thread (``bot.state.alert_claims``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from bot.state.schema import leads_shown, told
from bot.state.store import State, StateStore, utc_now

UNCHECKED = ""  # a new row: checked against the data by the next alerts run
# How long a told figure is watched for revisions: a year and a month covers the next
# annual revision (each July) of any figure, and keeps the log from growing without end.
KEEP_TOLD = dt.timedelta(days=400)


@dataclass(frozen=True)
class ToldFigure:
    """One figure as a thread was told it."""

    figure: str  # its identity: sha256 of label, unit, place, offence and period
    label: str
    unit: str
    period_start: str
    period_end: str
    plan: str  # JSON: the plan that answers it again
    value: int | float
    release: str  # the newest release it came from
    published: str  # that release's ISO date, "" when it has none


@dataclass(frozen=True)
class ToldRow(ToldFigure):
    """A figure in the log, with where it was told."""

    channel: str = ""
    thread_ts: str = ""
    alerted_release: str | None = None


@dataclass(frozen=True)
class ShownLeadRow:
    """A lead a digest showed, as the ledger keeps it."""

    lead_key: str  # place | kind | offence
    figures: dict[str, Any]
    period: str


def _row(found: Any) -> ToldRow:  # a SQLAlchemy Row of ``told``
    return ToldRow(
        found.figure,
        found.label,
        found.unit,
        found.period_start,
        found.period_end,
        found.plan,
        json.loads(found.value),
        found.release,
        found.published,
        found.channel,
        found.thread_ts,
        found.alerted_release,
    )


def told_values(figure: ToldFigure) -> dict[str, Any]:
    """The columns a new telling of a figure (or an alert of its new value) sets."""
    return {
        "label": figure.label,
        "unit": figure.unit,
        "period_start": figure.period_start,
        "period_end": figure.period_end,
        "plan": figure.plan,
        "value": json.dumps(figure.value),
        "release": figure.release,
        "published": figure.published,
    }


class Told(StateStore):
    def __init__(self, state: State, clock: Callable[[], dt.datetime] = utc_now) -> None:
        self.state = state
        self.clock = clock

    def record(self, channel: str, thread_ts: str, figures: Sequence[ToldFigure]) -> None:
        """Log what a post told a thread (the newest telling of a figure wins). Never raises
        for an unusable database: that costs this post's alerts, not the post."""
        if not figures:
            return
        now = self.clock()
        rows = [
            {
                "channel": channel,
                "thread_ts": thread_ts,
                "figure": figure.figure,
                "told_at": now,
                "checked": UNCHECKED,
                **told_values(figure),
            }
            for figure in {figure.figure: figure for figure in figures}.values()
        ]

        def write() -> None:
            with self.state.engine.begin() as connection:
                connection.execute(
                    delete(told).where(
                        told.c.channel == channel,
                        told.c.thread_ts == thread_ts,
                        told.c.figure.in_([row["figure"] for row in rows]),
                    )
                )
                connection.execute(insert(told), rows)

        # IntegrityError: the same post recorded by another worker at the same moment.
        with contextlib.suppress(IntegrityError):
            self.state._use(write, None)

    def thread(self, channel: str, thread_ts: str) -> list[ToldRow]:
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(told)
                .where(told.c.channel == channel, told.c.thread_ts == thread_ts)
                .order_by(told.c.told_at, told.c.figure)
            ).all()
        return [_row(row) for row in rows]

    def forget_old(self) -> int:
        """Stop watching figures told more than KEEP_TOLD ago; how many were forgotten."""
        with self.engine.begin() as connection:
            result = connection.execute(
                delete(told).where(told.c.told_at < self.clock() - KEEP_TOLD)
            )
        return int(result.rowcount or 0)

    def unchecked(self, checked: str) -> list[ToldRow]:
        """Every figure not yet checked against the data ``checked`` names, in telling order."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(told)
                .where(told.c.checked != checked)
                .order_by(told.c.channel, told.c.thread_ts, told.c.told_at, told.c.figure)
            ).all()
        return [_row(row) for row in rows]

    def mark_checked(self, rows: Sequence[ToldRow], checked: str) -> None:
        with self.engine.begin() as connection:
            for row in rows:
                connection.execute(
                    update(told)
                    .where(
                        told.c.channel == row.channel,
                        told.c.thread_ts == row.thread_ts,
                        told.c.figure == row.figure,
                        told.c.checked != checked,
                    )
                    .values(checked=checked)
                )

    def digest_leads(self, channel: str, day: str) -> list[ShownLeadRow]:
        """The leads the channel's digest of ``day`` showed (the digest ledger's record)."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(leads_shown.c.lead_key, leads_shown.c.figures, leads_shown.c.period)
                .where(leads_shown.c.channel == channel, leads_shown.c.day == day)
                .order_by(leads_shown.c.lead_key)
            ).all()
        return [ShownLeadRow(row.lead_key, json.loads(row.figures), row.period) for row in rows]
