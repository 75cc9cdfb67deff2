"""Story leads: what in a place's latest figures a local reporter would write up.

A lead is a finding in the figures (a ten-year high or low, a rise or fall too large to be
noise, a charge rate at a low, a gap with England and Wales), scored so that the surprising
and the large come first. Changes are judged against their Poisson noise, which is what keeps
a rise from 12 to 19 out of the digest and lets a rise from 12 to 40 in (without a
percentage: counts under 50 never get one). Nothing here formats text.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass

from bot.core.periods import Period
from bot.core.plan import Place, PlaceKind
from bot.query.findings import SMALL_COUNT
from bot.query.leads.ranking import (
    MIN_CHANGE,
    MIN_RECORD_YEARS,
    MIN_SURPRISE,
    LeadKind,
    choose,
    context,
    count_surprise,
    is_small,
    parts_company,
    runs_against,
)
from bot.query.leads.ranking import score as _score
from bot.query.leads.series import Series

MAX_LEADS = 5
NATIONAL_GAP = 0.25  # a charge rate a quarter above or below England and Wales'


@dataclass(frozen=True)
class Lead:
    kind: LeadKind
    place: Place
    period: Period
    series: Series
    national: Series | None = None
    score: float = 0.0

    @property
    def sample(self) -> bool:
        return self.series.sample or bool(self.national and self.national.sample)

    @property
    def releases(self) -> frozenset[str]:
        return self.series.releases | (self.national.releases if self.national else frozenset())

    @property
    def key(self) -> str:
        """Stable across days and releases: the same story about the same offence and place."""
        return f"{self.place.name}|{self.kind.value}|{self.series.offence.label}"

    def figures(self) -> dict[str, int | str]:
        """Every figure the lead's sentence prints, and its period: a lead whose figures are
        unchanged has nothing new to tell a channel that was shown it."""
        series = self.series
        found: dict[str, int | str] = {"period": self.period.label(), "now": series.now}
        if series.before is not None:
            found["before"] = series.before
        if self.kind in (LeadKind.CHARGE_LOW, LeadKind.CHARGE_FALL, LeadKind.NATIONAL_CHARGE):
            found["charged"] = series.charges[0].value
            if len(series.charges) > 1:
                found["charged_before"] = series.charges[1].value
        if self.kind is LeadKind.CHARGE_LOW:
            found["charge_years"] = len(series.charges)
        if self.kind in (LeadKind.HIGH, LeadKind.LOW):
            found["years"] = len(series.offences)
        if self.national is not None:
            found["national_now"] = self.national.now
            found["national_before"] = self.national.before or 0
            if self.kind is LeadKind.NATIONAL_CHARGE:
                found["national_charged"] = self.national.charges[0].value
        return found

    def signature(self) -> str:
        text = json.dumps(self.figures(), sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()


def rate_surprise(part: int, whole: int, other_part: int, other_whole: int) -> float:
    """The same for two shares (a two-proportion z statistic)."""
    pooled = (part + other_part) / (whole + other_whole)
    spread = math.sqrt(pooled * (1 - pooled) * (1 / whole + 1 / other_whole))
    if spread == 0:
        return 0.0
    return abs(part / whole - other_part / other_whole) / spread


def count_lead(series: Series) -> tuple[LeadKind, float] | None:
    """A ten-year high or low, else a rise or fall on the year before, else nothing."""
    if series.before is None:
        return None
    now, before = series.now, series.before
    change = (now - before) / max(before, 1)
    earlier = [f.value for f in series.offences[1:]]
    years = len(series.offences)
    if years >= MIN_RECORD_YEARS and now >= SMALL_COUNT:
        if now > max(earlier):
            return LeadKind.HIGH, _score(LeadKind.HIGH, change, now, years)
        if now < min(earlier):
            return LeadKind.LOW, _score(LeadKind.LOW, change, now, years)
    big_enough = before < SMALL_COUNT or abs(change) >= MIN_CHANGE
    if count_surprise(now, before) >= MIN_SURPRISE and big_enough:
        kind = LeadKind.RISE if now > before else LeadKind.FALL
        return kind, _score(kind, change, now)
    return None


def charge_lead(series: Series) -> tuple[LeadKind, float] | None:
    """A charge rate at its lowest in the years published, or falling, on enough offences."""
    if len(series.charges) < 2 or any(f.value < SMALL_COUNT for f in series.offences[:2]):
        return None
    rate, before = series.rate(0), series.rate(1)
    assert rate is not None and before is not None
    if rate >= before:
        return None
    change = (rate - before) / before if before else 0.0
    years = len(series.charges)
    rates = [series.rate(back) for back in range(years)]
    enough = all(f.value >= SMALL_COUNT for f in series.offences[:years])
    if years >= 3 and enough and rate < min(r for r in rates[1:] if r is not None):
        return LeadKind.CHARGE_LOW, _score(LeadKind.CHARGE_LOW, change, series.now)
    surprise = rate_surprise(
        series.charges[0].value, series.now, series.charges[1].value, series.offences[1].value
    )
    if surprise >= MIN_SURPRISE:
        return LeadKind.CHARGE_FALL, _score(LeadKind.CHARGE_FALL, change, series.now)
    return None


def national_lead(series: Series, national: Series) -> tuple[LeadKind, float] | None:
    """Where a force parts company with England and Wales: a change or a charge rate."""
    found = []
    if (
        series.before is not None
        and national.before is not None
        and min(series.before, national.before) >= SMALL_COUNT
        and not is_small(series.now, series.before)
    ):
        change = (series.now - series.before) / series.before
        national_change = (national.now - national.before) / national.before
        gap = change - national_change
        surprise = count_surprise(series.now, series.before)
        if (
            surprise >= MIN_SURPRISE
            and abs(gap) >= MIN_CHANGE
            and parts_company(change, national_change)
        ):
            kind = LeadKind.NATIONAL_CHANGE
            found.append((kind, _score(kind, gap, series.now)))
    rate, national_rate = series.rate(0), national.rate(0)
    if (
        rate is not None
        and national_rate
        and series.now >= SMALL_COUNT
        and abs(rate - national_rate) >= NATIONAL_GAP * national_rate
    ):
        surprise = rate_surprise(
            series.charges[0].value, series.now, national.charges[0].value, national.now
        )
        if surprise >= MIN_SURPRISE:
            kind = LeadKind.NATIONAL_CHARGE
            found.append((kind, _score(kind, (rate - national_rate) / national_rate, series.now)))
    return max(found, key=lambda item: item[1], default=None)


def find_leads(
    place: Place,
    period: Period,
    series: dict[str, Series],
    national: dict[str, Series] | None = None,
    limit: int = MAX_LEADS,
    region: dict[str, Series] | None = None,
) -> list[Lead]:
    """The place's best leads, most newsworthy first (see ``bot.query.leads.ranking``): count
    leads are scored against England and Wales and the region (``region``: the series of the
    force's region, when known)."""
    candidates = []
    for label, found in series.items():
        other = (national or {}).get(label) if place.kind is not PlaceKind.NATIONAL else None
        regional = (region or {}).get(label) if place.kind is not PlaceKind.NATIONAL else None
        kind_and_score = count_lead(found)
        if kind_and_score:
            kind, score = kind_and_score
            score += context(found, other, regional)
            against = other if runs_against(found, other) else None
            candidates.append(Lead(kind, place, period, found, against, score))
        kind_and_score = charge_lead(found)
        if kind_and_score:
            kind, score = kind_and_score
            candidates.append(Lead(kind, place, period, found, None, score))
        if other is not None:
            kind_and_score = national_lead(found, other)
            if kind_and_score:
                kind, score = kind_and_score
                candidates.append(Lead(kind, place, period, found, other, score))
    return choose(candidates, limit)
