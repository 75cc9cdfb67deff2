"""Numbers the way newspapers print them."""

from __future__ import annotations

from dataclasses import dataclass

from bot.query.findings import SMALL_COUNT

_WORDS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]


@dataclass(frozen=True)
class Earlier:
    """The earlier period a figure is compared with: ``name`` alone after 'the same as' or
    'on', with its preposition after a figure ('up from 7,010 in the year to March 2016')."""

    name: str  # 'the year before', 'the year to March 2016', 'the same quarter a year earlier'
    preposition: str = ""  # 'in' where the name needs one after a figure

    def __str__(self) -> str:
        return f"{self.preposition} {self.name}" if self.preposition else self.name


YEAR_BEFORE = Earlier("the year before")


def count(n: int) -> str:
    return f"{n:,}"


def percent(rate: float) -> str:
    return f"{rate * 100:.1f}%"


def share(part: int, whole: int) -> str:
    """'301 (3.1%)', or '3 of 12' when a percentage of a small count would mislead."""
    if whole < SMALL_COUNT:
        return f"{count(part)} of {count(whole)}"
    return f"{count(part)} ({percent(part / whole)})"


def rate_text(part: int, whole: int) -> str:
    """'3.1%' or '3 of 12'."""
    if whole < SMALL_COUNT:
        return f"{count(part)} of {count(whole)}"
    return percent(part / whole)


def words(n: int) -> str:
    return _WORDS[n] if 0 <= n < len(_WORDS) else str(n)


def ordinal(n: int) -> str:
    if n == 1:
        return ""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix} "


def change(now: int, before: int, when: Earlier = YEAR_BEFORE) -> str:
    """'up from 7,892 the year before (+22.0%)'; no percentage on small counts. ``when``
    names the earlier period: 'in the year to March 2016' for a two-period comparison."""
    if now == before:
        return f"the same as {when.name} ({count(before)})"
    direction = "up" if now > before else "down"
    text = f"{direction} from {count(before)} {when}"
    if before >= SMALL_COUNT:
        text += f" ({(now - before) / before * 100:+.1f}%)"
    return text


def times(now: int, before: int) -> str:
    """'more than fivefold' style multiplier, for rises of at least double."""
    if before <= 0:
        return ""
    ratio = now / before
    if ratio < 2:
        return ""
    whole = int(ratio)
    word = {
        2: "twofold",
        3: "threefold",
        4: "fourfold",
        5: "fivefold",
        6: "sixfold",
        7: "sevenfold",
        8: "eightfold",
        9: "ninefold",
        10: "tenfold",
    }.get(whole)
    if word is None:
        return f"{ratio:.0f} times"
    return f"more than {word}" if ratio > whole else word
