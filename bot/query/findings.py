"""Query plan -> findings: every figure an answer may print, each from SQL over the data.

Nothing here formats text; ``bot.render`` turns findings into sentences.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from bot.core.periods import Period, Quarter
from bot.core.places import national, territorial_forces
from bot.core.plan import ALL_CRIME, Measure, OffenceSelection, PeriodSpec, Place, QueryPlan
from bot.core.reference import ANNUAL_OUTCOME_TYPES, INCOMPLETE_2014_15, force_by_name
from bot.query.database import NATIONAL_NAME, Database
from bot.query.errors import Unanswerable
from bot.query.periods import coverage_by_table, resolve_period
from bot.query.rates import (
    SMALL_RESIDENT_FORCES,
    Population,
    check_rate_question,
    place_population,
    populations,
)

SERIES_YEARS = 10
SMALL_COUNT = 50  # below this, shares are given as "3 of 12", never as a percentage


@dataclass(frozen=True)
class YearFigure:
    period: Period
    value: int
    sample: bool
    releases: tuple[str, ...] = ()  # the releases its quarters came from
    table: str = "recorded"  # the table it was summed from


@dataclass(frozen=True)
class ResolvedOffence:
    selection: OffenceSelection
    codes: tuple[str, ...]
    counted: str  # what was counted, in the data's own words
    comparability: str = ""


@dataclass(frozen=True)
class Revision:
    """What an earlier loaded release said for the same figure."""

    value: int
    release: str
    release_date: dt.date | None


@dataclass
class PlaceFindings:
    place: Place
    offences: list[YearFigure]  # [0] is the period asked, [1] the year before, ...
    outcomes: list[YearFigure] = field(default_factory=list)
    revised_from: Revision | None = None
    revised_before: Revision | None = None  # the same, for the year before's figure
    releases: set[str] = field(default_factory=set)
    population: list[Population | None] = field(default_factory=list)  # beside offences[i]

    @property
    def current(self) -> YearFigure:
        return self.offences[0]

    @property
    def previous(self) -> YearFigure | None:
        return self.offences[1] if len(self.offences) > 1 else None


@dataclass(frozen=True)
class RankRow:
    force: str
    offences: int
    outcomes: int | None
    sample: bool
    residents: Population | None = None
    before: int | None = None  # the same period a year earlier, for a ranking by change

    @property
    def change(self) -> float | None:
        """The change on the year before, as a fraction (0.25 = up a quarter)."""
        if self.before is None or self.before <= 0:
            return None
        return (self.offences - self.before) / self.before

    @property
    def per_1000(self) -> float | None:
        return self.residents.per_1000(self.offences) if self.residents else None

    @property
    def rate(self) -> float | None:
        if self.outcomes is None or self.offences <= 0:
            return None
        return self.outcomes / self.offences


@dataclass
class Findings:
    plan: QueryPlan
    period: Period
    offence: ResolvedOffence
    places: list[PlaceFindings]
    national: PlaceFindings | None = None
    ranking: list[RankRow] = field(default_factory=list)
    latest_outcome_quarter: int | None = None
    ranking_releases: set[str] = field(default_factory=set)
    unranked: int = 0  # forces left out of a ranking by share: too few offences
    annual: bool = False  # from the annual force totals, not the quarterly tables
    set_aside: list[RankRow] = field(default_factory=list)  # ranked apart (City of London)
    versus: Period | None = None  # the earlier period of a two-period comparison

    @property
    def sample(self) -> bool:
        """Whether any figure an answer may print (a trend prints every year) is sample."""
        figures = [f for p in self.all_places() for f in (*p.offences, *p.outcomes)]
        return any(f.sample for f in figures) or any(r.sample for r in self.ranking)

    def all_places(self) -> list[PlaceFindings]:
        return self.places + ([self.national] if self.national else [])

    @property
    def releases(self) -> set[str]:
        return self.ranking_releases.union(*(p.releases for p in self.all_places()))


def resolve_offence(db: Database, selection: OffenceSelection) -> ResolvedOffence:
    rows = db.reference("offence_codes", level=selection.level, keys=list(selection.keys))
    if not rows:
        raise Unanswerable(f"The data has no offence called {selection.label!r}.")
    if selection.level == "all":
        counted = "all police recorded crime"
    elif selection.level == "offence":
        counted = "; ".join(f"{r['offence']} ({r['offence_code']})" for r in rows)
    else:
        column = "subgroup" if selection.level == "subgroup" else "offence_group"
        names = sorted({r[column] for r in rows})
        counted = (
            f"the {' and '.join(names)} {selection.level}{'s' if len(names) > 1 else ''}"
            f" ({len(rows)} offence codes)"
        )
    return ResolvedOffence(selection, tuple(r["offence_code"] for r in rows), counted)


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
    rows: dict[tuple[str, Place], list[dict]] = field(default_factory=dict)


def _query_forces(place: Place) -> list[str]:
    return [NATIONAL_NAME] if place.kind == "national" else list(place.forces)


def _place_rows(
    db: Database, name: str, place: Place, together: Together | None, **parameters: object
) -> list[dict]:
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
    rows: list[dict], period: Period, years: int, value_column: str, table: str = "recorded"
) -> tuple[list[YearFigure], set[str]]:
    """Complete rolling years, newest first, stopping at the first incomplete one, from the
    rows of a by-year query (years_back, the value, quarters, sample, releases)."""
    by_back = {row["years_back"]: row for row in rows}
    figures, releases = [], set()
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


def _comparability(db: Database, offence: ResolvedOffence, series: list[YearFigure]) -> str:
    if len(series) < 2 or len(offence.codes) < 2:
        return ""
    first = series[-1].period.first_index
    rows = db.reference("code_coverage", codes=list(offence.codes))
    late = [r for r in rows if r["first_quarter"] > first]
    if not late:
        return ""
    if len(late) <= 2:
        names = {
            r["offence_code"]: r
            for r in db.reference(
                "offence_codes", level="offence", keys=[r["offence_code"] for r in late]
            )
        }
        parts = [
            f"{names[r['offence_code']]['offence']} ({r['offence_code']}) is counted only from "
            f"{Quarter.from_index(r['first_quarter']).label().removeprefix('the ')}"
            for r in late
        ]
        return "; ".join(parts) + ", so earlier years are not directly comparable."
    starts: dict[int, int] = {}
    for r in late:
        starts[r["first_quarter"]] = starts.get(r["first_quarter"], 0) + 1
    parts = [
        f"{count} in {Quarter.from_index(first).label()}" for first, count in sorted(starts.items())
    ]
    return (
        f"The classification changed: {parts[0].split(' ', 1)[0]} of the {len(offence.codes)} "
        f"offence codes counted begin {parts[0].split(' ', 1)[1]}"
        + "".join(f" and {part}" for part in parts[1:])
        + ", so earlier years are not directly comparable."
    )


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
    forces = list(place.forces)
    codes = list(offence.codes)
    everywhere = place.kind == "national"
    if annual:
        offences, releases = _by_year(db, "annual_offences_by_year", period, years, place, together)
    else:
        offences, releases = _by_year(
            db, "offences_by_year", period, years, place, together, codes=codes
        )
    if not offences:
        if _is_fraud(db, offence) and place.kind != "fraud":
            action_fraud = Place("Action Fraud", "fraud", ("Action Fraud",), "Action Fraud")
            raise Unanswerable(
                "Fraud has been recorded centrally by Action Fraud (with CIFAS and UK Finance), "
                f"not by local police forces, so there are no {place.label} figures for "
                f"{period.label()}.",
                plans=(plan.with_changes(places=(action_fraud,), outcome=None),),
            )
        raise Unanswerable(f"There are no complete figures for {place.label} for {period.label()}.")
    found = PlaceFindings(place, offences, releases=releases)
    if plan.per_head:
        pair = [offences[0], offences[-1]] if plan.versus else offences[:2]
        found.population = [place_population(db, place, f.period) for f in pair]
        if found.population[0] is None:
            raise Unanswerable(
                f"There is no population estimate for {place.label} for {period.label()}, so "
                "no rate per 1,000 residents.",
                plans=(plan.with_changes(per_head=False),),
            )
        found.releases |= {p.release for p in found.population if p}
    if plan.outcome is not None:
        types = list(plan.outcome.types)
        outcome_years = years if plan.versus else min(years, 2)
        if annual:
            outcomes, more = _by_year(
                db,
                "annual_outcomes_by_year",
                period,
                outcome_years,
                place,
                together,
                types=types,
            )
        elif by_group:
            outcomes, more = _by_year(
                db,
                "group_outcomes_by_year",
                period,
                outcome_years,
                place,
                together,
                groups=list(offence.selection.keys),
                types=types,
            )
            _same_release(db, offences[0], outcomes[0] if outcomes else None)
        elif everywhere:
            rows = db.query(
                "national_outcomes_by_year",
                codes=codes,
                types=types,
                last=period.last_index,
                years=outcome_years,
                quarters=period.quarters,
            )
            outcomes, more = year_figures(rows, period, outcome_years, "outcomes", "outcomes")
        else:
            outcomes, more = _by_year(
                db, "outcomes_by_year", period, outcome_years, place, codes=codes, types=types
            )
        if not outcomes:
            raise Unanswerable(
                f"There are no outcome figures for {place.label} for {period.label()}."
            )
        found.outcomes = outcomes
        found.releases |= more
    if not annual and db.has_revisions:
        found.revised_from = _revision(db, forces, codes, period, offences[0].value)
        if len(offences) > 1:
            before = offences[1]
            found.revised_before = _revision(db, forces, codes, before.period, before.value)
            if found.revised_before:
                found.releases.add(found.revised_before.release)
        if found.revised_from:
            found.releases.add(found.revised_from.release)
    return found


def _revision(
    db: Database, forces: list[str], codes: list[str], period: Period, now: int
) -> Revision | None:
    """The newest earlier release that covered the whole period and gave another figure."""
    span = db.reference("revised_span")[0]
    if span["first_quarter"] is None or not (
        span["first_quarter"] <= period.last_index and period.first_index <= span["last_quarter"]
    ):
        return None
    rows = db.query(
        "offence_revisions",
        forces=forces,
        codes=codes,
        first=period.first_index,
        last=period.last_index,
    )
    coverage = {
        entry["release"]: entry["tables"].get("recorded") for entry in db.manifest["releases"]
    }
    order = [entry["release"] for entry in db.manifest["releases"]]
    covering = [
        row
        for row in rows
        if (span := coverage.get(row["old_release"]))
        and span["first_quarter_index"] <= period.first_index
        and span["last_quarter_index"] >= period.last_index
        and row["change"]
    ]
    if not covering:
        return None
    newest = max(covering, key=lambda row: order.index(row["old_release"]))
    entry = db.manifest["releases"][order.index(newest["old_release"])]
    date = dt.date.fromisoformat(entry["release_date"]) if entry.get("release_date") else None
    return Revision(now - int(newest["change"]), newest["old_release"], date)


def _same_release(db: Database, counted: YearFigure, outcomes: YearFigure | None) -> None:
    """A share divides figures of one quarterly release, or is not given."""
    if outcomes is None:
        return
    dates = {e["release"]: e.get("release_date") for e in db.manifest["releases"]}
    published = {dates.get(name) for name in (*counted.releases, *outcomes.releases)}
    if len(published) > 1:
        raise Unanswerable(
            "The loaded offence counts and outcome figures for that period come from "
            "different releases, so their share would not be a published figure."
        )


def _group_outcomes_answer(db: Database, plan: QueryPlan, offence: ResolvedOffence) -> bool:
    """Whether the outcomes-by-group table can answer: an offence group, not a ranking."""
    rows = coverage_by_table(db)
    return (
        offence.selection.level == "group"
        and plan.measure is not Measure.RANK
        and rows["group_outcomes"]["first_quarter"] is not None
    )


def use_annual(db: Database, plan: QueryPlan, offence: ResolvedOffence, period: Period) -> bool:
    """All crime for a financial year comes from the annual force totals when they have the
    year and are the newer release (as shipped: July 2026 against April 2026), or when the
    quarterly rows are sample."""
    if offence.selection.level != "all" or not period.is_financial_year:
        return False
    if plan.outcome is not None and not set(plan.outcome.types) <= ANNUAL_OUTCOME_TYPES:
        return False
    if any(
        f.kind != "territorial"
        for p in plan.places
        for f in map(force_by_name().get, p.forces)
        if f
    ):
        return False  # the annual force tables hold the 43 territorial forces only
    check = db.reference("annual_or_quarterly", first=period.first_index, last=period.last_index)[0]
    if not check["annual_release"]:
        return False
    dates = {e["release"]: e.get("release_date") or "" for e in db.manifest["releases"]}
    quarterly = max((dates.get(r, "") for r in (check["releases"] or "").split("; ")), default="")
    return bool(check["sample"]) or dates.get(check["annual_release"], "") > quarterly


def _outcomes_loaded(db: Database) -> bool:
    rows = coverage_by_table(db)
    return rows["outcomes"]["first_quarter"] is not None


def _no_offence_outcomes(db: Database, plan: QueryPlan, offence: ResolvedOffence) -> Unanswerable:
    """An outcome question the loaded tables cannot answer: say what is loaded, offer the
    nearest questions they can (the count; all crime's outcome), and how to load the rest."""
    outcome = plan.outcome.name if plan.outcome else "outcome"
    annual_types = plan.outcome is not None and set(plan.outcome.types) <= ANNUAL_OUTCOME_TYPES
    first, last = _annual_outcome_years(db)
    loaded = (
        f"outcomes for all crime by force and financial year ({first} to {last})"
        if first
        else "no outcome figures"
    )
    rows = coverage_by_table(db)
    if rows["group_outcomes"]["first_quarter"] is not None:
        groups = Period(Quarter.from_index(rows["group_outcomes"]["last_quarter"]))
        loaded += f", and by offence group for {groups.label()} (not ranked)"
    label = plan.outcome.label if plan.outcome else outcome
    what = (
        f"outcome figures for {offence.selection.label}, so it cannot say how many resulted in "
        f"{label}"
        if offence.selection.level != "all"
        else f"figures for crimes resulting in {plan.outcome.label if plan.outcome else outcome}"
    )
    ranked = plan.measure is Measure.RANK
    nearest = [plan.with_changes(outcome=None, measure=Measure.RANK if ranked else Measure.COUNT)]
    group = _group_of(db, offence)
    if group and rows["group_outcomes"]["first_quarter"] is not None and not ranked:
        year = Quarter.from_index(rows["group_outcomes"]["last_quarter"]).fy_start
        nearest.append(
            plan.with_changes(
                offence=OffenceSelection("group", (group,), group.lower()),
                period=PeriodSpec("financial_year", year),
            )
        )
    if annual_types and offence.selection.level != "all" and first:
        nearest.append(plan.with_changes(offence=ALL_CRIME))
    return Unanswerable(
        f"The loaded data has no {what}: outcomes by offence are in the Home Office's outcomes "
        f"open data tables, which are not loaded here. It has {loaded}. Load the full "
        "outcome tables with `python -m bot ingest --download`.",
        plans=tuple(nearest),
    )


def _is_fraud(db: Database, offence: ResolvedOffence) -> bool:
    """Whether every code counted is a fraud offence (recorded centrally, not by forces)."""
    if offence.selection.level == "all" or not offence.codes:
        return False
    rows = db.reference("offence_codes", level="offence", keys=list(offence.codes))
    return bool(rows) and all(r["offence_group"] == "Fraud offences" for r in rows)


def _group_of(db: Database, offence: ResolvedOffence) -> str | None:
    """The one offence group an offence or subgroup belongs to (None for all crime, or a
    selection spanning groups)."""
    if offence.selection.level in ("all", "group"):
        return None
    rows = db.reference("offence_codes", level="offence", keys=list(offence.codes))
    groups = {r["offence_group"] for r in rows}
    return groups.pop() if len(groups) == 1 else None


def _annual_outcome_years(db: Database) -> tuple[str, str]:
    rows = coverage_by_table(db)
    row = rows["annual_outcomes"]
    if row["first_quarter"] is None:
        return "", ""
    return (
        Quarter.from_index(row["first_quarter"]).financial_year,
        Quarter.from_index(row["last_quarter"]).financial_year,
    )


def find(db: Database, plan: QueryPlan) -> Findings:
    """Run the SQL a plan needs. Raises Unanswerable, never returns a figure it cannot back."""
    if any(p.kind == "local" for p in plan.places):
        from bot.query.local import answers_locally, for_force_area, local_findings

        if answers_locally(plan):
            return local_findings(db, plan)
        plan = for_force_area(plan)
    offence = resolve_offence(db, plan.offence)
    check_rate_question(db, plan)
    needs_outcomes = plan.outcome is not None
    by_group = False
    if needs_outcomes and not _outcomes_loaded(db):
        # Without outcomes by offence: all crime from the annual force totals (financial
        # years), an offence group from the outcomes by group (2024/25), or nothing.
        annual_types = plan.outcome is not None and set(plan.outcome.types) <= ANNUAL_OUTCOME_TYPES
        if offence.selection.level == "all" and annual_types:
            period = resolve_period(db, plan.period, True, annual=True)
        elif _group_outcomes_answer(db, plan, offence):
            by_group = True
            period = resolve_period(db, plan.period, True, by_group=True)
        else:
            raise _no_offence_outcomes(db, plan, offence)
    else:
        period = resolve_period(db, plan.period, needs_outcomes)
    years = (
        SERIES_YEARS
        if plan.measure
        in (Measure.TREND, Measure.RECORD, Measure.COUNT, Measure.CHANGE, Measure.NATIONAL)
        else 2
    )
    if plan.period.kind == "since" and plan.period.year is not None:
        if plan.period.year > period.end.end_year:
            raise Unanswerable(
                f"The data has no figures for {plan.period.year}: it ends with {period.label()}."
            )
        years = max(2, period.end.end_year - plan.period.year + 1)
    if plan.years is not None:
        years = plan.years
    versus = _versus(db, plan, period, needs_outcomes, by_group) if plan.versus else None
    if versus is not None:
        years = (period.last_index - versus.last_index) // 4 + 1

    annual = use_annual(db, plan, offence, period)
    if annual:
        offence = ResolvedOffence(
            offence.selection,
            offence.codes,
            "all police recorded crime, from the annual force totals (no offence detail): the "
            "forces' own recording; fraud recorded centrally by Action Fraud, CIFAS and UK "
            "Finance is not included",
        )
    if plan.measure is Measure.RANK:
        return _ranking(db, plan, offence, period, annual)

    wants_national = plan.measure is not Measure.COMPARE and all(
        p.kind != "national" for p in plan.places
    )
    # The places' figures and England and Wales's are read together, a statement per query.
    together = Together([*plan.places, *([national()] if wants_national else [])])
    places = [
        place_findings(db, plan, p, offence, period, years, annual, by_group, together)
        for p in plan.places
    ]
    findings = Findings(plan, period, offence, places, annual=annual, versus=versus)
    if wants_national:
        try:
            findings.national = place_findings(
                db,
                plan,
                national(),
                offence,
                period,
                years if versus else 2,
                annual,
                by_group,
                together,
            )
        except Unanswerable:
            findings.national = None  # context only: its absence never costs the answer
    if versus is not None:
        for found in findings.all_places():
            _keep_ends(found, years)
    longest = max((p.offences for p in places), key=len)
    note = _annual_note(findings) if annual else _comparability(db, offence, longest)
    if note:
        findings.offence = ResolvedOffence(offence.selection, offence.codes, offence.counted, note)
    if needs_outcomes:
        findings.latest_outcome_quarter = resolve_period(
            db, None, True, annual, by_group
        ).last_index
    return findings


def _versus(
    db: Database, plan: QueryPlan, period: Period, outcomes: bool, by_group: bool
) -> Period:
    """The earlier period of "2019/20 vs 2023/24": the same length, ending in the same month."""
    assert plan.versus is not None
    annual = period.is_financial_year and plan.offence.level == "all" and outcomes
    earlier = resolve_period(db, plan.versus, outcomes, annual and not by_group, by_group)
    gap = period.last_index - earlier.last_index
    if gap <= 0 or gap % 4 or earlier.quarters != period.quarters:
        raise Unanswerable(
            f"To compare like with like, both periods must cover the same months of the year: "
            f"{period.label()} and {earlier.label()} do not.",
            plans=(plan.with_changes(versus=None, measure=Measure.CHANGE),),
        )
    return earlier


def _keep_ends(found: PlaceFindings, years: int) -> None:
    """A two-period comparison keeps the period asked about and the earlier one, in that
    order, where the by-year figures hold every year between."""
    if len(found.offences) < years:
        first = found.offences[-1].period.label() if found.offences else ""
        raise Unanswerable(
            f"There are no complete figures for {found.place.label} that far back"
            + (f": they start with {first}." if first else ".")
        )
    found.offences = [found.offences[0], found.offences[years - 1]]
    if len(found.outcomes) >= years:
        found.outcomes = [found.outcomes[0], found.outcomes[years - 1]]
    elif found.outcomes:
        found.outcomes = found.outcomes[:1]


def _annual_note(findings: Findings) -> str:
    if findings.plan.outcome is None:
        return ""
    years = {f.period.end.fy_start for p in findings.all_places() for f in p.outcomes}
    forces = {force for p in findings.all_places() for force in p.place.forces}
    if 2014 in years and forces & INCOMPLETE_2014_15:
        return (
            "Some forces did not supply all their 2014/15 outcomes, so 2014/15 outcome "
            "figures for them (and for England and Wales) are understated."
        )
    return ""


def _force_rows(
    db: Database,
    forces: list[str],
    offence: ResolvedOffence,
    types: list[str],
    period: Period,
    annual: bool,
    years: int = 1,
) -> list[list[dict]]:
    """Every force's row for the period ([0]) and for each of the years - 1 before it."""
    if annual:
        return [
            db.query(
                "annual_force_ranking",
                forces=forces,
                types=types if back == 0 else [],
                last=period.years_before(back).last_index,
            )
            for back in range(years)
        ]
    codes = list(offence.codes)
    first, last = period.first_index, period.last_index
    rows = db.query("force_ranking", codes=codes, first=first, last=last, years=years)
    wanted = set(forces)  # the territorial forces: force_ranking reads those alone
    found = [[r for r in rows if r["years_back"] == back] for back in range(years)]
    charged = {}
    if types:
        parameters = {"forces": forces, "codes": codes, "types": types}
        for row in db.query("force_outcomes", first=first, last=last, **parameters):
            charged[row["force"]] = row
    for row in found[0]:
        outcome = charged.get(row["force"])
        row["outcomes"] = outcome["outcomes"] if outcome else None
        row["outcome_quarters"] = outcome["outcome_quarters"] if outcome else 0
        if outcome:
            row["sample"] = row["sample"] or outcome["sample"]
            row["releases"] = "; ".join(
                r for r in (row["releases"], outcome["releases"]) if r is not None
            )
    return [[r for r in rows if r["force"] in wanted] for rows in found]


def _ranking(
    db: Database, plan: QueryPlan, offence: ResolvedOffence, period: Period, annual: bool
) -> Findings:
    forces = [f.force for f in territorial_forces()]
    types = list(plan.outcome.types if plan.outcome else ())
    years = 2 if plan.by_change and plan.outcome is None else 1
    found_rows = _force_rows(db, forces, offence, types, period, annual, years)
    rows = found_rows[0]
    by_rate = plan.outcome is not None
    ranking = [
        RankRow(
            r["force"],
            int(r["offences"]),
            int(r["outcomes"] or 0)
            if by_rate and r["outcome_quarters"] == period.quarters
            else None,
            bool(r["sample"]),
        )
        for r in rows
        if r["quarters"] == period.quarters
    ]
    unranked = 0
    set_aside: list[RankRow] = []
    if by_rate:
        rated = [r for r in ranking if r.rate is not None and r.offences >= SMALL_COUNT]
        unranked, ranking = len(ranking) - len(rated), rated
        ranking.sort(key=lambda r: (r.rate, r.offences), reverse=plan.rank_order == "highest")
    elif plan.by_change:
        before = {
            r["force"]: int(r["offences"])
            for r in found_rows[1]
            if r["quarters"] == period.quarters
        }
        ranking = [replace(r, before=before.get(r.force)) for r in ranking]
        rated = [r for r in ranking if r.before is not None and r.before >= SMALL_COUNT]
        unranked, ranking = len(ranking) - len(rated), rated
        ranking.sort(key=lambda r: r.change or 0.0, reverse=plan.rank_order == "highest")
    elif plan.per_head:
        residents = populations(db, forces, period)
        ranking = [replace(r, residents=residents.get(r.force)) for r in ranking]
        set_aside = [r for r in ranking if r.force in SMALL_RESIDENT_FORCES]
        ranking = [r for r in ranking if r.per_1000 is not None and r not in set_aside]
        ranking.sort(key=lambda r: r.per_1000 or 0.0, reverse=plan.rank_order == "highest")
    else:
        ranking.sort(key=lambda r: r.offences, reverse=plan.rank_order == "highest")
    if not ranking:
        raise Unanswerable(f"No force has complete figures for {period.label()}.")
    places = [place_findings(db, plan, p, offence, period, 2, annual) for p in plan.places]
    releases = {name for r in rows for name in (r["releases"] or "").split("; ") if name}
    findings = Findings(
        plan,
        period,
        offence,
        places,
        ranking=ranking,
        ranking_releases=releases,
        unranked=unranked,
        annual=annual,
        set_aside=set_aside,
    )
    if plan.per_head:
        findings.ranking_releases |= {r.residents.release for r in ranking if r.residents}
    if by_rate:
        findings.latest_outcome_quarter = resolve_period(db, None, True, annual).last_index
    return findings
