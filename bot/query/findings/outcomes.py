"""Which tables can answer an outcome question, and what to say when none can: offence-level
outcomes, the outcomes by offence group, or all crime's from the annual force totals."""

from __future__ import annotations

from bot.core.periods import Period, Quarter
from bot.core.plan import (
    ALL_CRIME,
    Measure,
    OffenceLevel,
    OffenceSelection,
    PeriodKind,
    PeriodSpec,
    QueryPlan,
)
from bot.core.reference import ANNUAL_OUTCOME_TYPES, INCOMPLETE_2014_15, ForceKind, force_by_name
from bot.query.database import Database
from bot.query.errors import OutcomesLoaded, Reason, Refusal, Unanswerable
from bot.query.findings.model import Findings, Note, ResolvedOffence
from bot.query.findings.offences import group_of
from bot.query.periods import coverage_by_table


def annual_types(plan: QueryPlan) -> bool:
    """Whether the outcome asked is one the annual force tables have."""
    return plan.outcome is not None and set(plan.outcome.types) <= ANNUAL_OUTCOME_TYPES


def outcomes_loaded(db: Database) -> bool:
    return coverage_by_table(db)["outcomes"]["first_quarter"] is not None


def group_outcomes_answer(db: Database, plan: QueryPlan, offence: ResolvedOffence) -> bool:
    """Whether the outcomes-by-group table can answer: an offence group, not a ranking."""
    rows = coverage_by_table(db)
    return (
        offence.selection.level is OffenceLevel.GROUP
        and plan.measure is not Measure.RANK
        and rows["group_outcomes"]["first_quarter"] is not None
    )


def use_annual(db: Database, plan: QueryPlan, offence: ResolvedOffence, period: Period) -> bool:
    """All crime for a financial year comes from the annual force totals when they have the
    year and are the newer release (as shipped: July 2026 against April 2026), or when the
    quarterly rows are sample."""
    if offence.selection.level is not OffenceLevel.ALL or not period.is_financial_year:
        return False
    if plan.outcome is not None and not annual_types(plan):
        return False
    if any(
        f.kind is not ForceKind.TERRITORIAL
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


def no_offence_outcomes(db: Database, plan: QueryPlan, offence: ResolvedOffence) -> Unanswerable:
    """An outcome question the loaded tables cannot answer: what is loaded, the nearest
    questions they can answer (the count; all crime's outcome), and how to load the rest."""
    years = _annual_outcome_years(db)
    group_rows = coverage_by_table(db)["group_outcomes"]
    by_group = (
        Period(Quarter.from_index(group_rows["last_quarter"]))
        if group_rows["first_quarter"] is not None
        else None
    )
    ranked = plan.measure is Measure.RANK
    nearest = [plan.with_changes(outcome=None, measure=Measure.RANK if ranked else Measure.COUNT)]
    group = group_of(db, offence)
    if group and by_group is not None and not ranked:
        nearest.append(
            plan.with_changes(
                offence=OffenceSelection(OffenceLevel.GROUP, (group,), group.lower()),
                period=PeriodSpec(PeriodKind.FINANCIAL_YEAR, by_group.end.fy_start),
            )
        )
    if annual_types(plan) and offence.selection.level is not OffenceLevel.ALL and years:
        nearest.append(plan.with_changes(offence=ALL_CRIME))
    loaded = OutcomesLoaded(plan.outcome, offence.selection, years, by_group)
    return Unanswerable(Refusal(Reason.NO_OFFENCE_OUTCOMES, loaded=loaded), plans=tuple(nearest))


def _annual_outcome_years(db: Database) -> tuple[str, str] | None:
    row = coverage_by_table(db)["annual_outcomes"]
    if row["first_quarter"] is None:
        return None
    return (
        Quarter.from_index(row["first_quarter"]).financial_year,
        Quarter.from_index(row["last_quarter"]).financial_year,
    )


def annual_note(findings: Findings) -> Note | None:
    """Outcomes from the annual force totals that some forces under-supplied (2014/15)."""
    if findings.plan.outcome is None:
        return None
    years = {f.period.end.fy_start for p in findings.all_places() for f in p.outcomes}
    forces = {force for p in findings.all_places() for force in p.place.forces}
    if 2014 in years and forces & INCOMPLETE_2014_15:
        return Note.INCOMPLETE_2014_15_OUTCOMES
    return None
