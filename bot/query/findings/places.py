"""One place's figures: offences by year, its residents, its outcomes, what earlier releases
said; several places' by-year figures read in one statement."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.core.periods import Period
from bot.core.plan import Place, PlaceKind, QueryPlan
from bot.query.database import Database
from bot.query.errors import Reason, Refusal, Unanswerable
from bot.query.findings.model import PlaceFindings, ResolvedOffence, YearFigure
from bot.query.findings.offences import is_fraud
from bot.query.findings.revisions import add_revisions, same_release
from bot.query.rates import place_population
from bot.query.tables import NATIONAL_NAME

Row = dict[str, Any]  # a row of a named query, by column

# By-year queries that read several places in one statement: $forces and, parallel to it,
# $places (which place each force counts for); England and Wales is the force NATIONAL_NAME.
TOGETHER = frozenset(
    {
        "offences_by_year",
        "annual_offences_by_year",
        "annual_outcomes_by_year",
        "group_outcomes_by_year",
    }
)


@dataclass
class Together:
    """The places an answer reads together, one statement per by-year query (a comparison's
    places and England and Wales), and the rows read for places not yet asked about."""

    places: list[Place]
    rows: dict[tuple[str, Place], list[Row]] = field(default_factory=dict)


def _query_forces(place: Place) -> list[str]:
    return [NATIONAL_NAME] if place.kind is PlaceKind.NATIONAL else list(place.forces)


def _place_rows(
    db: Database, name: str, place: Place, together: Together | None, **parameters: object
) -> list[Row]:
    """A by-year query's rows for a place. With ``together``, the first place to ask reads
    every place of it whose forces no earlier one has (a force counts for one place in a
    statement), and the others take their rows from it. The parameters are the asking
    place's: the others ask for the same selection and period, and no more years."""
    if name not in TOGETHER:
        return db.query(name, forces=list(place.forces), **parameters)
    if together is not None and (name, place) in together.rows:
        return together.rows.pop((name, place))
    group = [place]
    if together is not None and place in together.places:
        seen = set(_query_forces(place))
        for other in together.places:
            if other != place and not seen & set(_query_forces(other)):
                group.append(other)
                seen |= set(_query_forces(other))
    forces = [force for member in group for force in _query_forces(member)]
    places = [i for i, member in enumerate(group) for _ in _query_forces(member)]
    rows = db.query(name, forces=forces, places=places, **parameters)
    for i, member in enumerate(group[1:], 1):
        assert together is not None
        together.rows[(name, member)] = [r for r in rows if r["place"] == i]
    return [r for r in rows if r["place"] == 0]


def _by_year(
    db: Database,
    name: str,
    period: Period,
    years: int,
    place: Place,
    together: Together | None = None,
    **parameters: object,
) -> tuple[list[YearFigure], set[str]]:
    if not name.startswith("annual"):
        parameters["quarters"] = period.quarters
    rows = _place_rows(db, name, place, together, last=period.last_index, years=years, **parameters)
    value = "outcomes" if "outcomes" in name else "offences"
    table = ("annual_" if name.startswith("annual") else "") + (
        "outcomes" if value == "outcomes" else "recorded"
    )
    return year_figures(rows, period, years, value, table)


def year_figures(
    rows: list[Row], period: Period, years: int, value_column: str, table: str = "recorded"
) -> tuple[list[YearFigure], set[str]]:
    """Complete rolling years, newest first, stopping at the first incomplete one, from the
    rows of a by-year query (years_back, the value, quarters, sample, releases)."""
    by_back = {row["years_back"]: row for row in rows}
    figures: list[YearFigure] = []
    releases: set[str] = set()
    for back in range(years):
        row = by_back.get(back)
        if row is None or row["quarters"] < period.quarters:
            break
        names = tuple(sorted(set((row["releases"] or "").split("; ")) - {""}))
        figures.append(
            YearFigure(
                period.years_before(back), int(row[value_column]), bool(row["sample"]), names, table
            )
        )
        releases.update(names)
    return figures, releases


@dataclass(frozen=True)
class Reading:
    """How one answer reads every place: the offence, period and years, and which tables."""

    plan: QueryPlan
    offence: ResolvedOffence
    period: Period
    annual: bool = False  # the annual force totals
    by_group: bool = False  # the outcomes by offence group
    together: Together | None = None


def place_findings(
    db: Database,
    plan: QueryPlan,
    place: Place,
    offence: ResolvedOffence,
    period: Period,
    years: int,
    annual: bool = False,
    by_group: bool = False,
    together: Together | None = None,
) -> PlaceFindings:
    """Offences (and outcomes) for one place, from the quarterly tables or, for all crime in a
    financial year the quarterly tables only have as sample, from the real annual totals.

    ``together``: the places whose figures are read in one statement (see _place_rows)."""
    reading = Reading(plan, offence, period, annual, by_group, together)
    if annual:
        offences, releases = _by_year(db, "annual_offences_by_year", period, years, place, together)
    else:
        codes = list(offence.codes)
        offences, releases = _by_year(
            db, "offences_by_year", period, years, place, together, codes=codes
        )
    if not offences:
        _refuse_no_figures(db, reading, place)
    found = PlaceFindings(place, offences, releases=releases)
    if plan.per_head:
        _add_population(db, reading, found)
    if plan.outcome is not None:
        _add_outcomes(db, reading, found, years if plan.versus else min(years, 2))
    if not annual and db.has_revisions:
        add_revisions(db, found, list(offence.codes), period)
    return found


def _refuse_no_figures(db: Database, reading: Reading, place: Place) -> None:
    if is_fraud(db, reading.offence) and place.kind != PlaceKind.FRAUD:
        action_fraud = Place("Action Fraud", PlaceKind.FRAUD, ("Action Fraud",), "Action Fraud")
        raise Unanswerable(
            Refusal(Reason.FRAUD_RECORDED_CENTRALLY, place=place, period=reading.period),
            plans=(reading.plan.with_changes(places=(action_fraud,), outcome=None),),
        )
    raise Unanswerable(Refusal(Reason.NO_COMPLETE_FIGURES, place=place, period=reading.period))


def _add_population(db: Database, reading: Reading, found: PlaceFindings) -> None:
    offences = found.offences
    pair = [offences[0], offences[-1]] if reading.plan.versus else offences[:2]
    found.population = [place_population(db, found.place, f.period) for f in pair]
    if found.population[0] is None:
        raise Unanswerable(
            Refusal(Reason.NO_POPULATION_ESTIMATE, place=found.place, period=reading.period),
            plans=(reading.plan.with_changes(per_head=False),),
        )
    found.releases |= {p.release for p in found.population if p}


def _add_outcomes(db: Database, reading: Reading, found: PlaceFindings, years: int) -> None:
    assert reading.plan.outcome is not None
    types = list(reading.plan.outcome.types)
    codes = list(reading.offence.codes)
    period, place, together = reading.period, found.place, reading.together
    if reading.annual:
        outcomes, more = _by_year(
            db, "annual_outcomes_by_year", period, years, place, together, types=types
        )
    elif reading.by_group:
        groups = list(reading.offence.selection.keys)
        outcomes, more = _by_year(
            db, "group_outcomes_by_year", period, years, place, together, groups=groups, types=types
        )
        same_release(db, found.offences[0], outcomes[0] if outcomes else None)
    elif place.kind is PlaceKind.NATIONAL:
        rows = db.query(
            "national_outcomes_by_year",
            codes=codes,
            types=types,
            last=period.last_index,
            years=years,
            quarters=period.quarters,
        )
        outcomes, more = year_figures(rows, period, years, "outcomes", "outcomes")
    else:
        outcomes, more = _by_year(
            db, "outcomes_by_year", period, years, place, codes=codes, types=types
        )
    if not outcomes:
        raise Unanswerable(Refusal(Reason.NO_OUTCOME_FIGURES, place=place, period=period))
    found.outcomes = outcomes
    found.releases |= more
