"""Local areas (Community Safety Partnerships, named like their local authorities): their own
total where the loaded data has it (all crime excluding fraud, 2024/25), otherwise the figures
of the force area that covers them, said in the reply."""

from __future__ import annotations

from dataclasses import replace

from bot.core.periods import Period, Quarter
from bot.core.places import force_place
from bot.core.plan import Measure, OffenceLevel, PeriodKind, PeriodSpec, Place, PlaceKind, QueryPlan
from bot.core.reference import force_by_name
from bot.query.database import Database
from bot.query.errors import Reason, Refusal, Unanswerable
from bot.query.findings.model import (
    Basis,
    Counted,
    Findings,
    InForceArea,
    PlaceFindings,
    ResolvedOffence,
    YearFigure,
)

ANSWERED_LOCALLY = (Measure.COUNT, Measure.NATIONAL)


def in_force_area(plan: QueryPlan) -> tuple[InForceArea, ...]:
    """The local areas asked about, each with the force area that covers it."""
    return tuple(
        InForceArea(place, force_place(place.forces[0]))
        for place in plan.places
        if place.kind is PlaceKind.LOCAL
    )


def for_force_area(plan: QueryPlan) -> QueryPlan:
    """The same question for the force areas covering the local areas asked about."""
    places = [force_place(p.forces[0]) if p.kind is PlaceKind.LOCAL else p for p in plan.places]
    merged = tuple(dict.fromkeys(places))
    if len(merged) < len(places):
        locals_ = [p for p in plan.places if p.kind is PlaceKind.LOCAL]
        raise Unanswerable(
            Reason.SHARED_FORCE_AREA,
            plans=tuple(
                replace(
                    plan, places=(p,), measure=Measure.COUNT, period=PeriodSpec(PeriodKind.LATEST)
                )
                for p in locals_
            ),
        )
    return replace(plan, places=merged)


def answers_locally(plan: QueryPlan) -> bool:
    return (
        len(plan.places) == 1
        and plan.places[0].kind is PlaceKind.LOCAL
        and plan.offence.level is OffenceLevel.ALL
        and plan.outcome is None
        and not plan.per_head
        and plan.versus is None
        and plan.period.quarters == 4
        and plan.measure in ANSWERED_LOCALLY
    )


def _period(db: Database, spec: PeriodSpec, plan: QueryPlan) -> Period:
    row = db.reference("local_coverage")[0]
    if row["last_quarter"] is None:
        raise Unanswerable(Reason.NO_LOCAL_TOTALS, plans=(for_force_area(plan),))
    first, last = int(row["first_quarter"]), int(row["last_quarter"])
    wanted = {
        "latest": last,
        "financial_year": Quarter(spec.year or 0, 4).index,
        "calendar_year": Quarter.ending(spec.year or 0, 3).index,
        "year_to": Quarter.ending(spec.year or 0, spec.month or 3).index,
    }.get(spec.kind)
    if wanted is None or not first <= wanted <= last or (spec.years_back and wanted - 4 < first):
        raise Unanswerable(
            Refusal(Reason.LOCAL_YEAR_ONLY, first=first),
            plans=(for_force_area(plan), replace(plan, period=PeriodSpec(PeriodKind.LATEST))),
        )
    return Period(Quarter.from_index(wanted))


def local_findings(db: Database, plan: QueryPlan) -> Findings:
    place: Place = plan.places[0]
    period = _period(db, plan.period, plan)
    rows = db.query("local_total", area=place.name, last=period.last_index)
    if not rows:
        raise Unanswerable(
            Refusal(Reason.NO_LOCAL_TOTAL, place=place), plans=(for_force_area(plan),)
        )
    [row] = rows
    force = force_by_name()[place.forces[0]]
    if row["understated"]:
        raise Unanswerable(
            Refusal(Reason.LOCAL_UNDERSTATED, place=place, force=force.display_name, period=period),
            plans=(for_force_area(plan),),
        )
    figure = YearFigure(period, int(row["offences"]), False, (row["release"],), "local_totals")
    offence = ResolvedOffence(plan.offence, (), Counted(Basis.LOCAL_TOTALS))
    found = PlaceFindings(place, [figure], releases={row["release"]})
    return Findings(plan, period, offence, [found])
