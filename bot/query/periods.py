"""Resolve a period as asked against the quarters the data holds; refuse what it lacks."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from bot.core.periods import Period, Quarter
from bot.core.plan import PeriodKind, PeriodSpec
from bot.query.database import Database
from bot.query.errors import Reason, Refusal, Unanswerable


def coverage_by_table(db: Database) -> dict[str, dict[str, Any]]:
    """First and last quarter index of each table (None when it is empty), by table name."""
    return {r["kind"]: r for r in db.reference("coverage")}


def coverage(
    db: Database, outcomes: bool, annual: bool = False, by_group: bool = False
) -> tuple[int, int]:
    """First and last quarter index of the table an answer relies on: for the annual force
    totals, the last quarters of the first and last financial years."""
    rows = coverage_by_table(db)
    prefix = "annual_" if annual else ""
    recorded = rows[f"{prefix}recorded"]
    first, last = recorded["first_quarter"], recorded["last_quarter"]
    if first is None:
        raise Unanswerable(Reason.NO_RECORDED_DATA)
    if annual:
        first -= 3  # a year-end row stands for its four quarters
    if outcomes:
        row = rows["group_outcomes" if by_group else f"{prefix}outcomes"]
        if row["first_quarter"] is None:
            raise Unanswerable(Reason.NO_OUTCOMES_DATA)
        first = max(first, row["first_quarter"] - (3 if annual else 0))
        last = min(last, row["last_quarter"])
    return first, last


def resolve_period(
    db: Database,
    spec: PeriodSpec | None,
    outcomes: bool,
    annual: bool = False,
    by_group: bool = False,
) -> Period:
    """The period a spec means in the data; ``annual``: in the annual force totals, which
    have financial years only (a bare year is the financial year ending in it)."""
    spec = spec or PeriodSpec(PeriodKind.LATEST)
    if spec.quarters == 1:
        if annual:
            raise Unanswerable(
                Reason.FINANCIAL_YEARS_ONLY, periods=(PeriodSpec(PeriodKind.LATEST),)
            )
        whole = resolve_period(db, replace(spec, quarters=4), outcomes, annual, by_group)
        return Period(whole.end, 1)
    if spec.years_back:
        first, _ = coverage(db, outcomes, annual, by_group)
        later = resolve_period(
            db, PeriodSpec(spec.kind, spec.year, spec.month), outcomes, annual, by_group
        )
        earlier = later.years_before(spec.years_back)
        if earlier.first_index < first:
            raise Unanswerable(Refusal(Reason.NOT_BACK_TO, period=earlier))
        return earlier
    first, last = coverage(db, outcomes, annual, by_group)
    earliest_end = first + 3
    ends = (3,) if annual else (3, 6, 9, 12)

    def within(quarter: Quarter, asked: PeriodSpec) -> Period:
        if earliest_end <= quarter.index <= last and quarter.end_month in ends:
            return Period(quarter)
        refusal = Refusal(
            Reason.PERIOD_NOT_COVERED, asked=asked, outcomes=outcomes, first=first, last=last
        )
        raise Unanswerable(refusal, periods=(_spec(Quarter.from_index(last)),))

    match spec.kind:
        case "latest" | "since":
            return Period(Quarter.from_index(last))
        case "financial_year":
            year = spec.year or 0
            return within(Quarter(year, 4), PeriodSpec(PeriodKind.FINANCIAL_YEAR, year))
        case "year_to":
            month, year = spec.month or 0, spec.year or 0
            if month not in ends:
                raise _no_year_to(year, month, annual, earliest_end, last)
            return within(Quarter.ending(year, month), PeriodSpec(PeriodKind.YEAR_TO, year, month))
        case "calendar_year":
            year = spec.year or 0
            for month in sorted(ends, reverse=True):
                quarter = Quarter.ending(year, month)
                if earliest_end <= quarter.index <= last:
                    return Period(quarter)
            return within(Quarter.ending(year, 12), PeriodSpec(PeriodKind.CALENDAR_YEAR, year))
    raise ValueError(f"unknown period kind {spec.kind}")


def _no_year_to(year: int, month: int, annual: bool, earliest_end: int, last: int) -> Unanswerable:
    """A year to a month no table ends in: offer the nearest the data has."""
    candidates = _nearest_financial_years(year, month) if annual else _nearest_quarters(year, month)
    nearest = [q for q in candidates if earliest_end <= q.index <= last]
    refusal = Refusal(
        Reason.NO_YEAR_TO_MONTH,
        annual=annual,
        year=year,
        month=month,
        nearest=tuple(Period(q) for q in nearest),
    )
    return Unanswerable(refusal, periods=tuple(_spec(q) for q in nearest))


def _spec(quarter: Quarter) -> PeriodSpec:
    return PeriodSpec(PeriodKind.YEAR_TO, quarter.end_year, quarter.end_month)


def _nearest_financial_years(year: int, month: int) -> list[Quarter]:
    before = year if month > 3 else year - 1
    return [Quarter.ending(before, 3), Quarter.ending(before + 1, 3)]


def _nearest_quarters(year: int, month: int) -> list[Quarter]:
    before = max(m for m in (0, 3, 6, 9, 12) if m < month)
    after = min(m for m in (3, 6, 9, 12) if m > month)
    found = [Quarter.ending(year, after)]
    if before:
        found.insert(0, Quarter.ending(year, before))
    else:
        found.insert(0, Quarter.ending(year - 1, 12))
    return found
