"""The `/crimestats subscribe | unsubscribe | subscriptions` commands as typed -> a request:
what to do, to which forces, at what time. Pure text; the store is ``bot.state.subscriptions``."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

from bot.core.plan import PlaceKind
from bot.parse.clarification import Ask, Clarification, Facts
from bot.parse.parser import places_in

COMMANDS = ("subscribe", "unsubscribe", "subscriptions")
_TIME = re.compile(
    r"(?:\bat\s+(?P<at>\d{1,2})(?:[:.](?P<at_minute>\d{2}))?\s*(?P<at_half>am|pm)?\b)"
    r"|(?:\b(?P<hour>\d{1,2})(?:(?:[:.](?P<minute>\d{2}))\s*(?P<half>am|pm)?|\s*(?P<half_only>am|pm))\b)",
    re.IGNORECASE,
)


class Action(StrEnum):
    SUBSCRIBE = "subscribe"  # add forces (and set the time)
    UNSUBSCRIBE = "unsubscribe"  # remove the forces named, or all
    LIST = "list"  # what the channel gets ("subscriptions")


@dataclass(frozen=True)
class Request:
    """A subscription command as typed: what to do, to which forces, at what time."""

    action: Action
    forces: tuple[str, ...] = ()
    at: dt.time | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "action", Action(self.action))


def is_subscription_command(text: str) -> bool:
    first = text.strip().split(maxsplit=1)[:1]
    return bool(first) and first[0].lower() in COMMANDS


def parse_request(text: str) -> Request | Clarification:
    words = text.strip().split(maxsplit=1)
    command = words[0].lower()
    rest = words[1] if len(words) > 1 else ""
    if command == "subscriptions":
        return Request(Action.LIST)
    at = None
    found = _TIME.search(rest)
    if found:
        at = _time(found)
        if at is None:
            return Clarification(
                Ask.NOT_A_TIME,
                Facts(words=(found.group(0).strip(),)),
                ("subscribe Thames Valley at 7am", "subscribe Cumbria 07:30"),
            )
        rest = rest[: found.start()] + " " + rest[found.end() :]
    forces: tuple[str, ...] = ()
    if rest.strip(" ,.;:"):
        places = places_in(rest)
        if isinstance(places, Clarification):
            return places
        if any(place.kind is PlaceKind.NATIONAL for place in places):
            return Clarification(
                Ask.NATIONAL_DIGEST, suggestions=("subscribe Thames Valley, Cumbria",)
            )
        forces = tuple(dict.fromkeys(force for place in places for force in place.forces))
    if command == Action.SUBSCRIBE and not forces and at is None:
        return Clarification(
            Ask.WHICH_FORCES,
            suggestions=("subscribe Thames Valley, Cumbria", "subscribe Kent at 7am"),
        )
    return Request(Action(command), forces, at)


def _time(found: re.Match[str]) -> dt.time | None:
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
