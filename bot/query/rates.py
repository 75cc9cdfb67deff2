"""Rates per 1,000 residents: the ONS mid-year estimate the period holds, summed over a place's
forces (England and Wales: the 43, the same basis as its crime figures).

A rolling year holds exactly one 30 June, and the estimate for that day is the one used (the
financial year 2023/24 uses mid-2023). When that estimate is not yet published, the newest
one is used and the answer says so; before the first estimate there is no rate.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from bot.core.periods import Period, Quarter
from bot.core.plan import Measure, Place, QueryPlan
from bot.core.reference import force_by_name
from bot.query.database import Database
from bot.query.errors import Reason, Refusal, Unanswerable

# A "force" whose residents are a poor denominator: the City of London's 15,000 residents
# against its daytime population of workers and visitors. Ranked apart, as ONS does.
SMALL_RESIDENT_FORCES = frozenset({"City of London"})


@dataclass(frozen=True)
class Population:
    residents: int
    mid_year: int  # the mid-year estimate used
    substitute: bool  # the period's own estimate is not published: the newest one stood in
    release: str

    def per_1000(self, offences: int) -> float:
        return offences / self.residents * 1000


def mid_year_quarter(period: Period) -> Quarter:
    """The quarter ending on the 30 June the period holds (the first of a financial year)."""
    for index in range(period.first_index, period.last_index + 1):
        quarter = Quarter.from_index(index)
        if quarter.q == 1:
            return quarter
    raise ValueError(f"{period} holds no 30 June")


def _loaded(db: Database) -> tuple[int, int] | None:
    row = db.reference("population_coverage")[0]
    if row["first_quarter"] is None:
        return None
    return int(row["first_quarter"]), int(row["last_quarter"])


def populations(db: Database, forces: list[str], period: Period) -> dict[str, Population]:
    """Each force's residents for the period (forces without an estimate are left out)."""
    loaded = _loaded(db)
    if loaded is None:
        return {}
    wanted = mid_year_quarter(period).index
    if wanted < loaded[0]:
        return {}
    quarter = min(wanted, loaded[1])
    rows = db.reference("population_at", forces=forces, quarter=quarter)
    year = Quarter.from_index(quarter).fy_start
    return {
        r["force"]: Population(int(r["population"]), year, quarter != wanted, str(r["release"]))
        for r in rows
    }


def place_population(db: Database, place: Place, period: Period) -> Population | None:
    """The place's residents, or None when any of its forces has no estimate."""
    found = populations(db, list(place.forces), period)
    if not found or set(found) != set(place.forces):
        return None
    first = next(iter(found.values()))
    return Population(
        sum(p.residents for p in found.values()), first.mid_year, first.substitute, first.release
    )


def check_rate_question(db: Database, plan: QueryPlan) -> None:
    """Refuse what a rate per 1,000 residents cannot be: an outcome share, a series, or a
    place with no residents; offer the nearest questions that can be answered."""
    if not plan.per_head:
        return
    as_count = plan.with_changes(per_head=False)
    if _loaded(db) is None:
        raise Unanswerable(Reason.NO_POPULATION_LOADED, plans=(as_count,))
    if plan.outcome is not None:
        raise Unanswerable(
            Refusal(Reason.RATE_OF_A_SHARE, label=plan.outcome.name), plans=(as_count,)
        )
    if plan.period.quarters == 1:
        raise Unanswerable(
            Reason.RATE_FOR_A_QUARTER,
            plans=(as_count, replace(plan, period=replace(plan.period, quarters=4))),
        )
    if plan.measure in (Measure.TREND, Measure.RECORD):
        raise Unanswerable(
            Reason.RATE_AS_SERIES,
            plans=(plan.with_changes(measure=Measure.COUNT), as_count),
        )
    for place in plan.places:
        kinds = {force_by_name()[name].kind for name in place.forces}
        if kinds - {"territorial"}:
            raise Unanswerable(Refusal(Reason.NO_RESIDENTS, place=place), plans=(as_count,))
