"""Resolve a period as asked against the quarters the data holds; refuse what it lacks."""

from __future__ import annotations

from bot.periods import MONTHS, Period, Quarter
from bot.query.database import Database
from bot.query.errors import Unanswerable
from bot.query.plan import PeriodSpec


def coverage(db: Database, outcomes: bool) -> tuple[int, int]:
    """First and last quarter index of the table an answer relies on."""
    rows = {r["kind"]: r for r in db.reference("coverage")}
    recorded = rows["recorded"]
    first, last = recorded["first_quarter"], recorded["last_quarter"]
    if outcomes:
        row = rows["outcomes"]
        if row["first_quarter"] is None:
            raise Unanswerable(
                "No outcomes data has been loaded, so there is no charge rate "
                "or other outcome figure to give."
            )
        first, last = max(first, row["first_quarter"]), min(last, row["last_quarter"])
    return first, last


def covered_text(first: int, last: int) -> str:
    earliest = Period(Quarter.from_index(first + 3))
    latest = Period(Quarter.from_index(last))
    return f"from {earliest.label()} to {latest.label()}"


def resolve_period(db: Database, spec: PeriodSpec | None, outcomes: bool) -> Period:
    spec = spec or PeriodSpec("latest")
    if spec.years_back:
        first, _ = coverage(db, outcomes)
        later = resolve_period(db, PeriodSpec(spec.kind, spec.year, spec.month), outcomes)
        earlier = later.years_before(spec.years_back)
        if earlier.first_index < first:
            raise Unanswerable(f"The data does not go back to {earlier.label()}.")
        return earlier
    first, last = coverage(db, outcomes)
    earliest_end = first + 3

    def within(quarter: Quarter, asked: str) -> Period:
        if earliest_end <= quarter.index <= last:
            return Period(quarter)
        what = "outcome figures" if outcomes else "figures"
        raise Unanswerable(
            f"The data has no {what} for {asked}. It covers rolling years "
            f"{covered_text(first, last)}.",
            periods=(_spec(Quarter.from_index(last)),),
        )

    match spec.kind:
        case "latest" | "since":
            return Period(Quarter.from_index(last))
        case "financial_year":
            year = spec.year or 0
            return within(Quarter(year, 4), f"the financial year {year}/{(year + 1) % 100:02d}")
        case "year_to":
            month, year = spec.month or 0, spec.year or 0
            if month not in (3, 6, 9, 12):
                nearest = [
                    q for q in _nearest_quarters(year, month) if earliest_end <= q.index <= last
                ]
                options = [Period(q).label() for q in nearest]
                raise Unanswerable(
                    f"Figures are published by quarter, so there is no year to "
                    f"{MONTHS[month - 1]} {year}."
                    + (f" The nearest are {' and '.join(options)}." if options else ""),
                    periods=tuple(_spec(q) for q in nearest),
                )
            return within(Quarter.ending(year, month), f"the year to {MONTHS[month - 1]} {year}")
        case "calendar_year":
            year = spec.year or 0
            for month in (12, 9, 6, 3):
                quarter = Quarter.ending(year, month)
                if earliest_end <= quarter.index <= last:
                    return Period(quarter)
            return within(Quarter.ending(year, 12), f"{year}")
    raise ValueError(f"unknown period kind {spec.kind}")


def _spec(quarter: Quarter) -> PeriodSpec:
    return PeriodSpec("year_to", quarter.end_year, quarter.end_month)


def _nearest_quarters(year: int, month: int) -> list[Quarter]:
    before = max(m for m in (0, 3, 6, 9, 12) if m < month)
    after = min(m for m in (3, 6, 9, 12) if m > month)
    found = [Quarter.ending(year, after)]
    if before:
        found.insert(0, Quarter.ending(year, before))
    else:
        found.insert(0, Quarter.ending(year - 1, 12))
    return found
