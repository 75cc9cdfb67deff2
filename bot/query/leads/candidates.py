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
from functools import lru_cache

from bot.core.periods import Period
from bot.core.plan import CHARGE, Measure, OffenceSelection, Place, QueryPlan
from bot.parse.vocabulary import vocabulary
from bot.query.database import Database
from bot.query.errors import Unanswerable
from bot.query.findings import (
    SERIES_YEARS,
    SMALL_COUNT,
    YearFigure,
    place_findings,
    resolve_offence,
    use_annual,
    year_figures,
)
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

MAX_LEADS = 5
NATIONAL_GAP = 0.25  # a charge rate a quarter above or below England and Wales'


@dataclass(frozen=True)
class Series:
    """One offence selection's comparable complete years for a place, newest first, and the
    charges for offences recorded in those years (as many years as outcomes are published)."""

    offence: OffenceSelection
    codes: frozenset[str]
    offences: tuple[YearFigure, ...]
    charges: tuple[YearFigure, ...]
    releases: frozenset[str]
    groups: frozenset[str] = frozenset()  # the offence groups its codes belong to

    @property
    def now(self) -> int:
        return self.offences[0].value

    @property
    def before(self) -> int | None:
        return self.offences[1].value if len(self.offences) > 1 else None

    def rate(self, back: int = 0) -> float | None:
        if len(self.charges) <= back or self.offences[back].value <= 0:
            return None
        return self.charges[back].value / self.offences[back].value

    @property
    def sample(self) -> bool:
        return any(f.sample for f in (*self.offences, *self.charges))


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


@lru_cache(maxsize=4)
def lead_offences(db: Database) -> tuple[tuple[OffenceSelection, frozenset[str], int], ...]:
    """The offences reporters name (harassment, burglary, knife crime), every subgroup and
    group, and all crime, once per set of codes (the reporters' word wins), each with the first
    quarter from which all of its codes are counted: a series is comparable only from there.
    Single offence codes outside vocabulary.toml ("theft from automatic machine or meter") are
    too fine for a lead."""
    words = vocabulary()
    candidates = [s for s in words.offences.values() if s.level != "offence"]
    candidates += sorted(words.reporters_offences, key=lambda s: s.label)
    by_codes: dict[frozenset[str], OffenceSelection] = {}
    for selection in candidates:
        try:
            codes = frozenset(resolve_offence(db, selection).codes)
        except Unanswerable:
            continue
        by_codes[codes] = selection
    every_code = sorted(set().union(*by_codes))
    first = {
        r["offence_code"]: r["first_quarter"]
        for r in db.reference("code_coverage", codes=every_code)
    }
    found = []
    for codes, selection in by_codes.items():
        counted = [first[c] for c in codes if c in first]
        if counted:
            found.append((selection, codes, max(counted)))
    return tuple(sorted(found, key=lambda item: item[0].label))


def place_series(db: Database, place: Place, period: Period) -> dict[str, Series]:
    """Every lead offence's series for a place, from two queries."""
    offences = lead_offences(db)
    names = [s.label for s, codes, _ in offences for _ in codes]
    codes = [c for _, selection_codes, _ in offences for c in sorted(selection_codes)]
    parameters = {
        "forces": list(place.forces),
        "names": names,
        "codes": codes,
        "last": period.last_index,
        "years": SERIES_YEARS,
    }
    group_of = {
        r["offence_code"]: r["offence_group"]
        for r in db.reference("offence_codes", level="all", keys=[])
    }
    counted = _by_offence(db.query("lead_offences_by_year", **parameters))
    charged = _by_offence(db.query("lead_outcomes_by_year", types=list(CHARGE.types), **parameters))
    found = {}
    for selection, selection_codes, comparable_from in offences:
        figures, releases = year_figures(
            counted.get(selection.label, []), period, SERIES_YEARS, "offences"
        )
        figures = [f for f in figures if f.period.first_index >= comparable_from]
        if not figures:
            continue
        charges, more = year_figures(
            charged.get(selection.label, []), period, len(figures), "outcomes"
        )
        found[selection.label] = Series(
            selection,
            selection_codes,
            tuple(figures),
            tuple(charges),
            frozenset(releases | more),
            frozenset(group_of[c] for c in selection_codes if group_of.get(c)),
        )
        if selection.level == "all":
            found[selection.label] = _annual_series(db, place, period, found[selection.label])
    return found


def _annual_series(db: Database, place: Place, period: Period, quarterly: Series) -> Series:
    """All crime in a financial year comes from the real annual force totals wherever an
    answer would take it from there, so a lead and the answer to its question agree."""
    plan = QueryPlan(Measure.OUTCOME_SHARE, (place,), quarterly.offence, outcome=CHARGE)
    offence = resolve_offence(db, quarterly.offence)
    if not use_annual(db, plan, offence, period):
        return quarterly
    try:
        annual = place_findings(db, plan, place, offence, period, SERIES_YEARS, annual=True)
    except Unanswerable:
        return quarterly
    return Series(
        quarterly.offence,
        quarterly.codes,
        tuple(annual.offences),
        tuple(annual.outcomes),
        frozenset(annual.releases),
        quarterly.groups,
    )


def _by_offence(rows: list[dict]) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = {}
    for row in rows:
        grouped.setdefault(row["lead_offence"], []).append(row)
    return grouped


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
        other = (national or {}).get(label) if place.kind != "national" else None
        regional = (region or {}).get(label) if place.kind != "national" else None
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
