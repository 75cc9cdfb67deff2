"""Which forces each channel's digest covers, and when it is posted: what the `/crimestats
subscribe | unsubscribe | subscriptions` commands stored. Reading the commands' text is
``bot.parse.subscriptions``."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, delete, insert, select, update

from bot.state.schema import subscriptions
from bot.state.store import State

# A regional desk's patch: a region and its neighbour (the South East and London are 7, the
# East of England and the East Midlands 11). Six forces fill one Slack message; the digest of
# a larger patch carries the rest in the message's thread.
MAX_FORCES = 12
DEFAULT_TIME = dt.time(8, 0)


@dataclass(frozen=True)
class Subscription:
    channel: str
    forces: tuple[str, ...]
    at: dt.time = DEFAULT_TIME
    subscribed_by: str = ""


class SubscriptionRefused(ValueError):
    """The patch it would leave: no force, or more than ``MAX_FORCES``."""

    def __init__(self, forces: int) -> None:
        super().__init__(forces)
        self.forces = forces


class Subscriptions:
    def __init__(self, state: State) -> None:
        state.ensure_schema()
        self.engine = state.engine

    def get(self, channel: str) -> Subscription | None:
        with self.engine.connect() as connection:
            row = connection.execute(
                select(subscriptions).where(subscriptions.c.channel == channel)
            ).first()
        return _subscription(row) if row else None

    def all(self) -> list[Subscription]:
        with self.engine.connect() as connection:
            rows = connection.execute(select(subscriptions).order_by(subscriptions.c.channel))
            return [_subscription(row) for row in rows]

    def subscribe(
        self, channel: str, forces: tuple[str, ...], at: dt.time | None, user: str
    ) -> Subscription:
        """Adds forces to the channel's patch (and sets its time, if given)."""
        with self.engine.begin() as connection:
            row = connection.execute(
                select(subscriptions).where(subscriptions.c.channel == channel)
            ).first()
            current = _subscription(row) if row else None
            patch = tuple(dict.fromkeys((*(current.forces if current else ()), *forces)))
            if len(patch) > MAX_FORCES:
                raise SubscriptionRefused(len(patch))
            if not patch:
                raise SubscriptionRefused(0)
            when = at or (current.at if current else DEFAULT_TIME)
            values = {
                "forces": json.dumps(list(patch)),
                "hour": when.hour,
                "minute": when.minute,
                "subscribed_by": user,
                "updated_at": dt.datetime.now(dt.UTC),
            }
            if current:
                connection.execute(
                    update(subscriptions).where(subscriptions.c.channel == channel).values(values)
                )
            else:
                connection.execute(insert(subscriptions).values(channel=channel, **values))
        return Subscription(channel, patch, when, user)

    def unsubscribe(self, channel: str, forces: tuple[str, ...] = ()) -> Subscription | None:
        """Removes the forces named (all of them if none): returns what is left, if anything."""
        with self.engine.begin() as connection:
            row = connection.execute(
                select(subscriptions).where(subscriptions.c.channel == channel)
            ).first()
            if row is None:
                return None
            current = _subscription(row)
            left = tuple(f for f in current.forces if f not in forces) if forces else ()
            if not left:
                connection.execute(delete(subscriptions).where(subscriptions.c.channel == channel))
                return None
            connection.execute(
                update(subscriptions)
                .where(subscriptions.c.channel == channel)
                .values(forces=json.dumps(list(left)), updated_at=dt.datetime.now(dt.UTC))
            )
        return Subscription(channel, left, current.at, current.subscribed_by)

    def restore(self, channel: str, previous: Subscription | None) -> None:
        """Put back what a channel had before a change that could not be confirmed."""
        with self.engine.begin() as connection:
            connection.execute(delete(subscriptions).where(subscriptions.c.channel == channel))
            if previous is not None:
                connection.execute(
                    insert(subscriptions).values(
                        channel=channel,
                        forces=json.dumps(list(previous.forces)),
                        hour=previous.at.hour,
                        minute=previous.at.minute,
                        subscribed_by=previous.subscribed_by,
                        updated_at=dt.datetime.now(dt.UTC),
                    )
                )


def _subscription(row: Row[Any]) -> Subscription:
    return Subscription(
        row.channel, tuple(json.loads(row.forces)), dt.time(row.hour, row.minute), row.subscribed_by
    )
