"""A plan's findings: which tables and years answer it, every place's figures read together,
England and Wales beside them, or a ranking of the forces."""

from __future__ import annotations

from dataclasses import replace

from bot.core.periods import Period
from bot.core.places import national
from bot.core.plan import Measure, OffenceLevel, PeriodKind, PlaceKind, QueryPlan
from bot.query.database import Database
from bot.query.errors import Reason, Refusal, Unanswerable
from bot.query.findings.model import (
    SERIES_YEARS,
    Basis,
    Counted,
    Findings,
    PlaceFindings,
    ResolvedOffence,
)
from bot.query.findings.offences import (
    check_still_recorded,
    classification_change,
    recording_step,
    resolve_offence,
)
from bot.query.findings.outcomes import (
    annual_note,
    annual_types,
    group_outcomes_answer,
    no_offence_outcomes,
    outcomes_loaded,
    use_annual,
)
from bot.query.findings.places import Together, place_findings
from bot.query.findings.ranking import ranking_findings
from bot.query.periods import resolve_period
from bot.query.rates import check_rate_question

SERIES_MEASURES = (Measure.TREND, Measure.RECORD, Measure.COUNT, Measure.CHANGE, Measure.NATIONAL)


def find(db: Database, plan: QueryPlan) -> Findings:
    """Run the SQL a plan needs. Raises Unanswerable, never returns a figure it cannot back."""
    if any(p.kind is PlaceKind.LOCAL for p in plan.places):
        from bot.query.local import answers_locally, for_force_area, in_force_area, local_findings

        if answers_locally(plan):
            return local_findings(db, plan)
        areas = in_force_area(plan)
        findings = _find(db, for_force_area(plan))
        findings.in_force_area = areas
        return findings
    return _find(db, plan)


def _find(db: Database, plan: QueryPlan) -> Findings:
    offence = resolve_offence(db, plan.offence)
    check_rate_question(db, plan)
    period, by_group = _period(db, plan, offence)
    years = _years(plan, period)
    versus = _versus(db, plan, period, by_group) if plan.versus else None
    if versus is not None:
        years = (period.last_index - versus.last_index) // 4 + 1
    check_still_recorded(db, offence, period)
    annual = use_annual(db, plan, offence, period)
    if annual:
        offence = ResolvedOffence(offence.selection, offence.codes, Counted(Basis.ANNUAL_TOTALS))
    if plan.measure is Measure.RANK:
        return ranking_findings(db, plan, offence, period, annual)
    wants_national = plan.measure is not Measure.COMPARE and all(
        p.kind is not PlaceKind.NATIONAL for p in plan.places
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
    note = (
        annual_note(findings)
        if annual
        else classification_change(db, offence, longest) or recording_step(db, offence, longest)
    )
    if note:
        findings.offence = replace(offence, comparability=note)
    if plan.outcome is not None:
        findings.latest_outcome_quarter = resolve_period(
            db, None, True, annual, by_group
        ).last_index
    return findings


def _period(db: Database, plan: QueryPlan, offence: ResolvedOffence) -> tuple[Period, bool]:
    """The period asked, in the table that answers, and whether that is the outcomes by
    offence group. Without outcomes by offence: all crime from the annual force totals
    (financial years), an offence group from the outcomes by group (2024/25), or nothing."""
    if plan.outcome is None or outcomes_loaded(db):
        return resolve_period(db, plan.period, plan.outcome is not None), False
    if offence.selection.level is OffenceLevel.ALL and annual_types(plan):
        return resolve_period(db, plan.period, True, annual=True), False
    if group_outcomes_answer(db, plan, offence):
        return resolve_period(db, plan.period, True, by_group=True), True
    raise no_offence_outcomes(db, plan, offence)


def _years(plan: QueryPlan, period: Period) -> int:
    """How many years back to read: a series, or the period and the year before."""
    years = SERIES_YEARS if plan.measure in SERIES_MEASURES else 2
    if plan.period.kind is PeriodKind.SINCE and plan.period.year is not None:
        if plan.period.year > period.end.end_year:
            raise Unanswerable(
                Refusal(Reason.DATA_ENDS_BEFORE, year=plan.period.year, period=period)
            )
        years = max(2, period.end.end_year - plan.period.year + 1)
    if plan.years is not None:
        years = plan.years
    return years


def _versus(db: Database, plan: QueryPlan, period: Period, by_group: bool) -> Period:
    """The earlier period of "2019/20 vs 2023/24": the same length, ending in the same month."""
    assert plan.versus is not None
    outcomes = plan.outcome is not None
    annual = period.is_financial_year and plan.offence.level is OffenceLevel.ALL and outcomes
    earlier = resolve_period(db, plan.versus, outcomes, annual and not by_group, by_group)
    gap = period.last_index - earlier.last_index
    if gap <= 0 or gap % 4 or earlier.quarters != period.quarters:
        raise Unanswerable(
            Refusal(Reason.PERIODS_DO_NOT_LINE_UP, period=period, earlier=earlier),
            plans=(plan.with_changes(versus=None, measure=Measure.CHANGE),),
        )
    return earlier


def _keep_ends(found: PlaceFindings, years: int) -> None:
    """A two-period comparison keeps the period asked about and the earlier one, in that
    order, where the by-year figures hold every year between."""
    if len(found.offences) < years:
        first = found.offences[-1].period if found.offences else None
        raise Unanswerable(Refusal(Reason.NOT_THAT_FAR_BACK, place=found.place, earlier=first))
    found.offences = [found.offences[0], found.offences[years - 1]]
    if len(found.outcomes) >= years:
        found.outcomes = [found.outcomes[0], found.outcomes[years - 1]]
    elif found.outcomes:
        found.outcomes = found.outcomes[:1]
