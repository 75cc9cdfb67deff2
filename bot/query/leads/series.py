"""A place's series for leads: every offence a lead can be about, with its comparable
complete years of counts and charges, fetched in two queries a place.

Nothing here judges or formats: ``bot.query.leads.candidates`` finds the leads in these.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from bot.core.periods import Period
from bot.core.places import national
from bot.core.plan import CHARGE, Measure, OffenceLevel, OffenceSelection, Place, QueryPlan
from bot.parse.vocabulary import vocabulary
from bot.query.database import Database, Row
from bot.query.errors import Unanswerable
from bot.query.findings import (
    SERIES_YEARS,
    YearFigure,
    place_findings,
    resolve_offence,
    use_annual,
    year_figures,
)
from bot.query.leads.ranking import step_at
from bot.query.periods import resolve_period

STEP_QUARTERS = 16  # the England and Wales quarters a step is looked for against


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


@lru_cache(maxsize=4)
def lead_offences(db: Database) -> tuple[tuple[OffenceSelection, frozenset[str], int], ...]:
    """The offences reporters name (harassment, burglary, knife crime), every subgroup and
    group, and all crime, once per set of codes (the reporters' word wins), each with the first
    quarter from which all of its codes are counted: a series is comparable only from there.
    Single offence codes outside vocabulary.toml ("theft from automatic machine or meter") are
    too fine for a lead."""
    words = vocabulary()
    candidates = [s for s in words.offences.values() if s.level is not OffenceLevel.OFFENCE]
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
    steps = _steps(db, by_codes)
    found = []
    for codes, selection in by_codes.items():
        counted = [first[c] for c in codes if c in first]
        if counted:
            comparable_from = max([*counted, steps.get(selection.label, 0)])
            found.append((selection, codes, comparable_from))
    return tuple(sorted(found, key=lambda item: item[0].label))


def _steps(db: Database, by_codes: dict[frozenset[str], OffenceSelection]) -> dict[str, int]:
    """The quarter each lead offence's England and Wales series steps at, where it does."""
    pairs = [(s.label, code) for codes, s in by_codes.items() for code in sorted(codes)]
    rows = db.query(
        "national_quarters",
        forces=list(national().forces),
        names=[name for name, _ in pairs],
        codes=[code for _, code in pairs],
        last=resolve_period(db, None, False).end.index,
        quarters=STEP_QUARTERS,
    )
    steps = {}
    for label, quarters in _by_offence(rows).items():
        step = step_at([(r["quarter_index"], int(r["offences"])) for r in quarters])
        if step is not None:
            steps[label] = step
    return steps


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
        if selection.level is OffenceLevel.ALL:
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


def _by_offence(rows: list[Row]) -> dict[str, list[Row]]:
    grouped: dict[str, list[Row]] = {}
    for row in rows:
        grouped.setdefault(row["lead_offence"], []).append(row)
    return grouped
