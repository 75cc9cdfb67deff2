"""Local areas (Community Safety Partnerships, named like their local authorities): their own
total where the loaded data has it (all crime excluding fraud, 2024/25), otherwise the figures
of the force area that covers them, said in the reply."""

from __future__ import annotations

from dataclasses import replace

from bot.core.periods import Period, Quarter
from bot.core.places import force_place
from bot.core.plan import Measure, PeriodSpec, Place, QueryPlan
from bot.core.reference import force_by_name
from bot.query.database import Database
from bot.query.errors import Unanswerable
from bot.query.findings import Findings, PlaceFindings, ResolvedOffence, YearFigure

COUNTED = (
    "all police recorded crime in the area excluding fraud (recorded centrally), from the "
    "Community Safety Partnership totals; a partnership covers a local authority area"
)
ANSWERED_LOCALLY = (Measure.COUNT, Measure.NATIONAL)


def for_force_area(plan: QueryPlan) -> QueryPlan:
    """The same question for the force areas covering the local areas asked about."""
    places, notes = [], list(plan.notes)
    for place in plan.places:
        if place.kind != "local":
            places.append(place)
            continue
        force = force_place(place.forces[0])
        places.append(force)
        notes.append(
            f"{place.label} is in the {force.label} area: figures are for the whole force area; "
            "local totals are loaded only for all crime in 2024/25"
        )
    merged = tuple(dict.fromkeys(places))
    if len(merged) < len(places):
        locals_ = [p for p in plan.places if p.kind == "local"]
        raise Unanswerable(
            "Those places share a police force area, and local totals are loaded only for all "
            "crime in 2024/25, so I can't compare them for this question. Ask about each:",
            plans=tuple(
                replace(plan, places=(p,), measure=Measure.COUNT, period=PeriodSpec("latest"))
                for p in locals_
            ),
        )
    return replace(plan, places=merged, notes=tuple(notes))


def answers_locally(plan: QueryPlan) -> bool:
    return (
        len(plan.places) == 1
        and plan.places[0].kind == "local"
        and plan.offence.level == "all"
        and plan.outcome is None
        and not plan.per_head
        and plan.versus is None
        and plan.period.quarters == 4
        and plan.measure in ANSWERED_LOCALLY
    )


def _period(db: Database, spec: PeriodSpec, plan: QueryPlan) -> Period:
    row = db.reference("local_coverage")[0]
    if row["last_quarter"] is None:
        raise Unanswerable("No local area totals are loaded.", plans=(for_force_area(plan),))
    first, last = int(row["first_quarter"]), int(row["last_quarter"])
    wanted = {
        "latest": last,
        "financial_year": Quarter(spec.year or 0, 4).index,
        "calendar_year": Quarter.ending(spec.year or 0, 3).index,
        "year_to": Quarter.ending(spec.year or 0, spec.month or 3).index,
    }.get(spec.kind)
    if wanted is None or not first <= wanted <= last or (spec.years_back and wanted - 4 < first):
        years = f"{Quarter.from_index(first).financial_year}"
        raise Unanswerable(
            f"Local area totals are loaded for the financial year {years} only (all crime "
            "excluding fraud).",
            plans=(for_force_area(plan), replace(plan, period=PeriodSpec("latest"))),
        )
    return Period(Quarter.from_index(wanted))


def local_findings(db: Database, plan: QueryPlan) -> Findings:
    place: Place = plan.places[0]
    period = _period(db, plan.period, plan)
    [row] = db.query("local_total", area=place.name, last=period.last_index) or [None]
    if row is None:
        raise Unanswerable(
            f"There is no local total for {place.label}.", plans=(for_force_area(plan),)
        )
    force = force_by_name()[place.forces[0]]
    if row["understated"]:
        raise Unanswerable(
            f"The Home Office says {force.display_name}'s local figures for "
            f"{Quarter.from_index(period.last_index).financial_year} are understated (some "
            f"crimes were recorded under an 'unassigned' area), so {place.label}'s total is not "
            "comparable and is not given. Try the force-wide figure:",
            plans=(for_force_area(plan),),
        )
    figure = YearFigure(period, int(row["offences"]), False, (row["release"],), "local_totals")
    offence = ResolvedOffence(plan.offence, (), COUNTED)
    found = PlaceFindings(place, [figure], releases={row["release"]})
    return Findings(plan, period, offence, [found])
