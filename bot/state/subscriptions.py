"""Which forces each channel's digest covers, and when it is posted: the `/crimestats
subscribe | unsubscribe | subscriptions` commands, read and stored."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass

from sqlalchemy import delete, insert, select, update

from bot.core.places import force_place
from bot.parse import Clarification, places_in
from bot.state.store import State, subscriptions

MAX_FORCES = 6  # six forces of five leads fill Slack's 50 blocks
DEFAULT_TIME = dt.time(8, 0)
COMMANDS = ("subscribe", "unsubscribe", "subscriptions")
_TIME = re.compile(
    r"(?:\bat\s+(?P<at>\d{1,2})(?:[:.](?P<at_minute>\d{2}))?\s*(?P<at_half>am|pm)?\b)"
    r"|(?:\b(?P<hour>\d{1,2})(?:(?:[:.](?P<minute>\d{2}))\s*(?P<half>am|pm)?|\s*(?P<half_only>am|pm))\b)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Subscription:
    channel: str
    forces: tuple[str, ...]
    at: dt.time = DEFAULT_TIME
    subscribed_by: str = ""


@dataclass(frozen=True)
class Request:
    """A subscription command as typed: what to do, to which forces, at what time."""

    action: str  # subscribe | unsubscribe | list
    forces: tuple[str, ...] = ()
    at: dt.time | None = None


def is_subscription_command(text: str) -> bool:
    first = text.strip().split(maxsplit=1)[:1]
    return bool(first) and first[0].lower() in COMMANDS


def parse_request(text: str) -> Request | Clarification:
    words = text.strip().split(maxsplit=1)
    command = words[0].lower()
    rest = words[1] if len(words) > 1 else ""
    if command == "subscriptions":
        return Request("list")
    at = None
    found = _TIME.search(rest)
    if found:
        at = _time(found)
        if at is None:
            return Clarification(
                f"“{found.group(0).strip()}” is not a time of day. Say, for example:",
                ("subscribe Thames Valley at 7am", "subscribe Cumbria 07:30"),
            )
        rest = rest[: found.start()] + " " + rest[found.end() :]
    forces: tuple[str, ...] = ()
    if rest.strip(" ,.;:"):
        places = places_in(rest)
        if isinstance(places, Clarification):
            return places
        if any(place.kind == "national" for place in places):
            return Clarification(
                "Every digest opens with England and Wales: subscribe to the forces you cover, "
                "for example:",
                ("subscribe Thames Valley, Cumbria",),
            )
        forces = tuple(dict.fromkeys(force for place in places for force in place.forces))
    if command == "subscribe" and not forces and at is None:
        return Clarification(
            "Which forces should this channel's digest cover? For example:",
            ("subscribe Thames Valley, Cumbria", "subscribe Kent at 7am"),
        )
    return Request(command, forces, at)


def _time(found: re.Match) -> dt.time | None:
    hour = int(found.group("at") or found.group("hour"))
    minute = int(found.group("at_minute") or found.group("minute") or 0)
    half = (found.group("at_half") or found.group("half") or found.group("half_only") or "").lower()
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return dt.time(hour, minute)


class SubscriptionRefused(ValueError):
    pass


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
                raise SubscriptionRefused(
                    f"A channel's digest covers at most {MAX_FORCES} forces (this would be "
                    f"{len(patch)}): use another channel for the rest."
                )
            if not patch:
                raise SubscriptionRefused("Name at least one force.")
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


def _subscription(row) -> Subscription:
    return Subscription(
        row.channel, tuple(json.loads(row.forces)), dt.time(row.hour, row.minute), row.subscribed_by
    )


def force_names(subscription: Subscription) -> str:
    """'Thames Valley Police and Cumbria Constabulary'."""
    names = [force_place(force).label for force in subscription.forces]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
