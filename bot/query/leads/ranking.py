"""How leads are ranked: the rules an editor applies when choosing what to commission, in one
place. ``bot.query.leads.candidates`` finds the candidates (records, changes beyond the noise,
charge rates); this module scores them and chooses the few a digest shows.

1. The kind of story: a ten-year high or low beats a rise or fall on the year before, which
   beats a gap with England and Wales (``BASE_SCORE``). A record over more years scores more.
2. Its size: the change on the year before, weighted by the count (log10(count) / 4: 10,000
   offences count fully, 100 half), so a fifth more of 9,000 beats a tripling of 12.
3. Small counts: a lead on fewer than ``SMALL_LEAD`` offences (this year or last) loses
   ``SMALL_PENALTY`` and its sentence carries no percentage: "up from 74 to 95" is a
   newsroom fact, "+28.4%" on it is a headline the count cannot bear.
4. Context: a force parting company with England and Wales or its region is the local story;
   one moving with them only repeats the national story the digest's headline already tells.
   A count lead gains ``APART`` when its change runs against England and Wales' or its
   region's (opposite direction, and beyond the noise), half that when it outpaces them by
   five points; it loses ``ECHO`` when it moves with England and Wales and does not.
5. Steps: a series whose England and Wales count jumps (or drops) by half in one quarter and
   stays there, against quarters that moved far less before, has changed how it is recorded
   more likely than how often the crime happens (robbery of business property from April
   2025: +82% in one quarter). Nothing before the step is compared with after it, so an
   offence gives no lead until two whole years lie after its step (``step_at``).
6. Variety: one lead per offence and angle (its count, its charge rate), and on the first
   pass one lead per offence group (violence, theft, robbery, …) and at most ``PER_FAMILY``
   of a kind; then two per group; then the best of the rest if slots are left. Five leads
   from one family are one story told five times.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable
from enum import StrEnum
from typing import TYPE_CHECKING

from bot.core.plan import OffenceLevel

if TYPE_CHECKING:
    from bot.query.leads.candidates import Lead
    from bot.query.leads.series import Series

MIN_RECORD_YEARS = 5  # "the highest in the three years of comparable figures" is not a story
MIN_SURPRISE = 2.5  # a change within 2.5 standard errors of none is noise
MIN_CHANGE = 0.10  # and a change under 10% is not a story even when it is not noise
SMALL_LEAD = 100  # offences: below this a lead has no percentage and ranks lower
SMALL_PENALTY = 1.5
APART = 2.0  # against England and Wales or the region: a record that bucks the trend leads
ECHO = 1.5  # with England and Wales: a rise that is the national rise, told locally
PER_FAMILY = 2  # ten-year highs first, but not five of them
SAME_STORY = 0.6  # a nested offence that is most of its parent tells the same story
STEP = 1.5  # a quarter half as big again as the one before (or two-thirds of it)...
STEP_TYPICAL = 3.0  # ...when that is three times the series' usual quarter-on-quarter move
STEP_HOLDS = 0.25  # and the quarters either side stay within a quarter of its level
STEP_MIN_COUNT = 200  # nationally, per quarter: smaller series move too much to tell


class LeadKind(StrEnum):
    HIGH = "high"
    LOW = "low"
    RISE = "rise"
    FALL = "fall"
    CHARGE_LOW = "charge rate low"
    CHARGE_FALL = "charge rate fall"
    NATIONAL_CHANGE = "change against England and Wales"
    NATIONAL_CHARGE = "charge rate against England and Wales"


BASE_SCORE = {
    LeadKind.HIGH: 5.0,
    LeadKind.LOW: 4.0,
    LeadKind.CHARGE_LOW: 4.0,
    LeadKind.RISE: 3.0,
    LeadKind.FALL: 3.0,
    LeadKind.CHARGE_FALL: 3.0,
    LeadKind.NATIONAL_CHANGE: 2.0,
    LeadKind.NATIONAL_CHARGE: 2.0,
}
# Leads of one family on overlapping offences may be one story told twice.
FAMILY = {
    LeadKind.HIGH: "up",
    LeadKind.RISE: "up",
    LeadKind.LOW: "down",
    LeadKind.FALL: "down",
    LeadKind.CHARGE_LOW: "charge",
    LeadKind.CHARGE_FALL: "charge",
    LeadKind.NATIONAL_CHANGE: "national change",
    LeadKind.NATIONAL_CHARGE: "national charge",
}
COUNT_KINDS = (LeadKind.HIGH, LeadKind.LOW, LeadKind.RISE, LeadKind.FALL)
CHARGE_KINDS = (LeadKind.CHARGE_LOW, LeadKind.CHARGE_FALL, LeadKind.NATIONAL_CHARGE)


def step_at(quarters: list[tuple[int, int]], recent: int = 4) -> int | None:
    """The quarter index where a series steps, among its ``recent`` latest quarters, or None.
    ``quarters``: (quarter index, England and Wales count), oldest first, consecutive."""
    counts = [count for _, count in quarters]
    # A published count can be nil or negative (a quarter's reclassifications): no move.
    moves = [
        abs(math.log(b / a)) if a > 0 and b > 0 else 0.0 for a, b in itertools.pairwise(counts)
    ]
    for i in range(len(counts) - 1, max(len(counts) - recent - 1, 0), -1):
        before, after = counts[i - 1], counts[i]
        earlier = moves[: i - 1]
        if min(before, after) < STEP_MIN_COUNT or len(earlier) < 4:
            continue
        move = abs(math.log(after / before))
        typical = sorted(earlier)[len(earlier) // 2]
        settled = abs(counts[i - 2] - before) <= STEP_HOLDS * before  # not a spike's return
        holds = all(abs(c - after) <= STEP_HOLDS * after for c in counts[i + 1 :])
        if move >= math.log(STEP) and move >= STEP_TYPICAL * typical and settled and holds:
            return quarters[i][0]
    return None


def count_surprise(now: int, before: int) -> float:
    """How many standard errors a change between two counts is from none (Poisson)."""
    return abs(now - before) / math.sqrt(max(now + before, 1))


def is_small(now: int, before: int | None) -> bool:
    """Too few offences for a percentage in a lead (rule 3)."""
    return min(now, before if before is not None else now) < SMALL_LEAD


def score(kind: LeadKind, change: float, count: int, years: int = 0) -> float:
    """Rules 1 and 2: the kind of story, then how big the change is, weighed down for small
    counts, then, for records, how many years they cover."""
    weight = min(1.0, math.log10(max(count, 1)) / 4)
    bonus = max(years - MIN_RECORD_YEARS, 0) / 5
    return BASE_SCORE[kind] + 2 * min(abs(change), 1.0) * weight + bonus


def _change(series: Series | None) -> float | None:
    if series is None or not series.before:
        return None
    return (series.now - series.before) / series.before


def context(series: Series, national: Series | None, region: Series | None) -> float:
    """Rules 3 and 4: what a count lead gains or loses for its size and its context."""
    adjustment = -SMALL_PENALTY if is_small(series.now, series.before) else 0.0
    change = _change(series)
    if change is None or series.before is None:
        return adjustment
    beyond_noise = count_surprise(series.now, series.before) >= MIN_SURPRISE
    others = [c for c in (_change(national), _change(region)) if c is not None]
    if beyond_noise and any(change * other < 0 for other in others):
        return adjustment + APART
    if beyond_noise and any(_outpaces(change, other) for other in others):
        return adjustment + APART / 2
    national_change = _change(national)
    if national_change is not None and not _outpaces(change, national_change):
        return adjustment - ECHO
    return adjustment


def runs_against(series: Series, national: Series | None) -> bool:
    """A change beyond the noise in the opposite direction to England and Wales': the digest
    says so in the lead's sentence."""
    change, other = _change(series), _change(national)
    return (
        change is not None
        and other is not None
        and series.before is not None
        and change * other < 0
        and count_surprise(series.now, series.before) >= MIN_SURPRISE
    )


def _outpaces(change: float, other: float) -> bool:
    """The same direction, by at least half ``MIN_CHANGE`` more (five points)."""
    return change * other > 0 and abs(change) >= abs(other) + MIN_CHANGE / 2


def parts_company(change: float, other: float) -> bool:
    """A force parting company with England and Wales: moving the other way, or the same way
    by at least ``MIN_CHANGE`` more. Rising less than the country is the country's story."""
    return change * other < 0 or abs(change) >= abs(other) + MIN_CHANGE


def angle(lead: Lead) -> tuple[str, str]:
    """One lead per offence and angle (rule 5): its count, or its charge rate."""
    return lead.series.offence.label, "charge" if lead.kind in CHARGE_KINDS else "count"


def group(lead: Lead) -> str:
    """The lead's offence group ("Theft offences"); all crime and mixed sets are their own."""
    groups = lead.series.groups
    if lead.series.offence.level is OffenceLevel.ALL or not groups:
        return "all crime"
    return " + ".join(sorted(groups))


def choose(candidates: Iterable[Lead], limit: int) -> list[Lead]:
    """Rule 5: the best leads, most newsworthy first, with variety."""
    ranked = sorted(
        candidates, key=lambda lead: (-lead.score, -lead.series.now, lead.series.offence.label)
    )
    # The best lead of each angle only: a later pass must not find the record's weaker twin.
    best: dict[tuple[str, str], Lead] = {}
    for lead in ranked:
        best.setdefault(angle(lead), lead)
    ranked = [lead for lead in ranked if best[angle(lead)] is lead]
    chosen: list[Lead] = []

    def count(key: Callable[[Lead], object], lead: Lead) -> int:
        return sum(key(other) == key(lead) for other in chosen)

    for per_group, per_family in ((1, PER_FAMILY), (2, PER_FAMILY), (limit, limit)):
        for lead in ranked:
            if len(chosen) == limit:
                break
            if (
                lead in chosen
                or count(group, lead) >= per_group
                or count(lambda c: FAMILY[c.kind], lead) >= per_family
                or any(same_story(lead, earlier) for earlier in chosen)
            ):
                continue
            chosen.append(lead)
    return sorted(chosen, key=lambda lead: -lead.score)


def same_story(lead: Lead, other: Lead) -> bool:
    """A nested offence that is most of its parent, told from the same angle, is one story
    (stalking and harassment at a low, and harassment falling against England and Wales)."""
    if angle(lead)[1] != angle(other)[1] or not lead.series.codes & other.series.codes:
        return False
    smaller, larger = sorted((lead.series.now, other.series.now))
    return larger > 0 and smaller / larger >= SAME_STORY
