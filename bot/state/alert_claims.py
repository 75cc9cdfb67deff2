"""Each revision alert posted once, however many runs: the claims in ``revision_alerts``.

A run first claims (channel, thread, release) by inserting a row (the primary key lets one
claimant in), marks it "posting" with the text, posts, then records the message's ts and the
figures' new values in one transaction. A claim a crashed run left before posting goes stale
and is taken over; one left "posting" may or may not have reached Slack and is never posted
again: a missing alert is better than two.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from bot.state.schema import revision_alerts, told
from bot.state.store import State, StateStore, as_utc, utc_now
from bot.state.told import ToldFigure

STALE_AFTER = dt.timedelta(minutes=10)  # an alert takes a second to post


class AlertStatus(StrEnum):
    CLAIMED = "claimed"
    POSTING = "posting"  # it may or may not have reached Slack: never posted again
    POSTED = "posted"
    FAILED = "failed"  # Slack refused it (an archived channel, say): not tried again


DONE = (AlertStatus.POSTED, AlertStatus.FAILED)


@dataclass(frozen=True)
class AlertClaim:
    channel: str
    thread_ts: str
    release: str
    token: str


class LostAlert(Exception):
    """Another run took the claim over: this one must not post."""


class AlertClaims(StateStore):
    def __init__(
        self,
        state: State,
        clock: Callable[[], dt.datetime] = utc_now,
        stale_after: dt.timedelta = STALE_AFTER,
    ) -> None:
        self.state = state
        self.clock = clock
        self.stale_after = stale_after

    @staticmethod
    def _key(channel: str, thread_ts: str, release: str) -> tuple:
        return (
            revision_alerts.c.channel == channel,
            revision_alerts.c.thread_ts == thread_ts,
            revision_alerts.c.release == release,
        )

    def claim(self, channel: str, thread_ts: str, release: str) -> AlertClaim | None:
        """The right to post this thread's alert for ``release``, or None: it is done, or
        another run has it."""
        token, now = uuid.uuid4().hex, self.clock()
        try:
            with self.engine.begin() as connection:
                connection.execute(
                    insert(revision_alerts).values(
                        channel=channel,
                        thread_ts=thread_ts,
                        release=release,
                        status=AlertStatus.CLAIMED.value,
                        claim=token,
                        claimed_at=now,
                    )
                )
            return AlertClaim(channel, thread_ts, release, token)
        except IntegrityError:
            pass
        key = self._key(channel, thread_ts, release)
        with self.engine.connect() as connection:
            row = connection.execute(
                select(
                    revision_alerts.c.status, revision_alerts.c.claim, revision_alerts.c.claimed_at
                ).where(*key)
            ).first()
        if row is None or row.status != AlertStatus.CLAIMED.value:
            return None
        if now - as_utc(row.claimed_at) < self.stale_after:
            return None
        with self.engine.begin() as connection:  # take over the claim a crashed run left
            taken = connection.execute(
                update(revision_alerts)
                .where(*key, revision_alerts.c.claim == row.claim)
                .values(claim=token, claimed_at=now)
            ).rowcount
        return AlertClaim(channel, thread_ts, release, token) if taken == 1 else None

    def status(self, channel: str, thread_ts: str, release: str) -> AlertStatus | None:
        with self.engine.connect() as connection:
            found = connection.execute(
                select(revision_alerts.c.status).where(*self._key(channel, thread_ts, release))
            ).scalar()
        return AlertStatus(found) if found else None

    def _set(self, connection: Connection, claim: AlertClaim, **values: object) -> None:
        key = self._key(claim.channel, claim.thread_ts, claim.release)
        changed = connection.execute(
            update(revision_alerts)
            .where(*key, revision_alerts.c.claim == claim.token)
            .values(**values)
        ).rowcount
        if changed != 1:
            raise LostAlert(f"{claim.channel}:{claim.thread_ts}:{claim.release}")

    def posting(self, claim: AlertClaim, text: str) -> None:
        with self.engine.begin() as connection:
            self._set(connection, claim, status=AlertStatus.POSTING.value, text=text)

    def posted(
        self, claim: AlertClaim, ts: str, revised: Sequence[ToldFigure], checked: str
    ) -> None:
        """The alert is in the thread: the thread has now been told the new values."""
        with self.engine.begin() as connection:
            self._set(connection, claim, status=AlertStatus.POSTED.value, ts=ts)
            for figure in revised:
                connection.execute(
                    update(told)
                    .where(
                        told.c.channel == claim.channel,
                        told.c.thread_ts == claim.thread_ts,
                        told.c.figure == figure.figure,
                    )
                    .values(
                        value=json.dumps(figure.value),
                        release=figure.release,
                        published=figure.published,
                        checked=checked,
                        alerted_release=claim.release,
                    )
                )

    def failed(self, claim: AlertClaim, error: str) -> None:
        with self.engine.begin() as connection:
            self._set(connection, claim, status=AlertStatus.FAILED.value, error=error)
