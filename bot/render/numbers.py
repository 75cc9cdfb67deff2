"""Numbers the way newspapers print them: '9,632', '7.5 per cent' (or '7.5%', the house
style's choice), 'up 11.6 per cent', 'almost four times', and a true minus sign (−) where a
table needs a symbol."""

from __future__ import annotations

from dataclasses import dataclass

from bot.query.findings import SMALL_COUNT
from bot.render.style import WORDS
from bot.settings import PercentStyle

_WORDS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
MINUS = "\u2212"  # a true minus sign, not a hyphen


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


def per_cent(value: float, style: PercentStyle = WORDS) -> str:
    """A value already in per cent, one decimal: '7.5 per cent' or '7.5%'."""
    return f"{value:.1f} per cent" if style is PercentStyle.WORDS else f"{value:.1f}%"


def percent(rate: float, style: PercentStyle = WORDS) -> str:
    """A share (0.075): '7.5 per cent' or '7.5%'."""
    return per_cent(rate * 100, style)


def signed(value: float) -> str:
    """For tables and figure lists: '+6.0%', '−2.2%' (a true minus), '0.0%'."""
    text = f"{value:+.1f}%"
    if text in ("+0.0%", "-0.0%"):
        return "0.0%"
    return text.replace("-", MINUS)


def share(part: int, whole: int, style: PercentStyle = WORDS) -> str:
    """'301 (3.1 per cent)', or '3 of 12' when a percentage of a small count would mislead."""
    if whole < SMALL_COUNT:
        return f"{count(part)} of {count(whole)}"
    return f"{count(part)} ({percent(part / whole, style)})"


def rate_text(part: int, whole: int, style: PercentStyle = WORDS) -> str:
    """'3.1 per cent' or '3 of 12'."""
    if whole < SMALL_COUNT:
        return f"{count(part)} of {count(whole)}"
    return percent(part / whole, style)


def words(n: int) -> str:
    return _WORDS[n] if 0 <= n < len(_WORDS) else str(n)


def ordinal(n: int) -> str:
    if n == 1:
        return ""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix} "


def movement(now: int, before: int, style: PercentStyle = WORDS) -> str:
    """'up 11.6 per cent', 'down 6.1 per cent', 'virtually unchanged' (a change that rounds
    to 0.0), 'unchanged'; '' on small counts, where a percentage would mislead."""
    if now == before:
        return "unchanged"
    if before < SMALL_COUNT:
        return ""
    value = abs(now - before) / before * 100
    if f"{value:.1f}" == "0.0":
        return "virtually unchanged"
    return f"{'up' if now > before else 'down'} {per_cent(value, style)}"


def change(
    now: int,
    before: int,
    when: Earlier = YEAR_BEFORE,
    style: PercentStyle = WORDS,
    percentage: bool = True,
) -> str:
    """'up 22.0 per cent from 7,892 the year before'; 'up from 12 the year before' on small
    counts, or where a percentage would mislead (``percentage`` False). ``when`` names the
    earlier period: 'in the year to March 2016' for two periods."""
    if now == before:
        return f"the same as {when.name} ({count(before)})"
    moved = movement(now, before, style) if percentage else ""
    if not moved:
        moved = "up" if now > before else "down"
    return f"{moved} from {count(before)} {when}"


def times(now: int, before: int) -> str:
    """How many times the earlier figure the latest is, for rises of at least double, as a
    newspaper says it: 'twice', 'more than twice', 'almost four times', '12 times'."""
    if before <= 0 or now / before < 2:
        return ""
    ratio = now / before
    whole = int(ratio)
    if ratio - whole >= 0.75:
        return f"almost {_times_word(whole + 1)}"
    if ratio - whole >= 0.05:
        return f"more than {_times_word(whole)}"
    return _times_word(whole)


def _times_word(n: int) -> str:
    return "twice" if n == 2 else f"{words(n)} times"
