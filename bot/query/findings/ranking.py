"""The 43 territorial forces ranked: by count, per 1,000 residents, by change on the year
before, or by an outcome's share."""

from __future__ import annotations

from dataclasses import replace

from bot.core.periods import Period
from bot.core.places import territorial_forces
from bot.core.plan import AREAS_RANKED_WITHIN, PlaceKind, QueryPlan, RankOrder
from bot.query.database import Database
from bot.query.errors import Reason, Refusal, Unanswerable
from bot.query.findings.model import SMALL_COUNT, Findings, RankRow, ResolvedOffence
from bot.query.findings.places import Row, place_findings
from bot.query.periods import resolve_period
from bot.query.rates import SMALL_RESIDENT_FORCES, populations


def _force_rows(
    db: Database,
    forces: list[str],
    offence: ResolvedOffence,
    types: list[str],
    period: Period,
    annual: bool,
    years: int = 1,
) -> list[list[Row]]:
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


def _ordered(
    db: Database, plan: QueryPlan, period: Period, ranking: list[RankRow], before: list[Row]
) -> tuple[list[RankRow], int, list[RankRow]]:
    """The ranked rows in order, how many were left out for too few offences, and the rows
    ranked apart (per resident: the City of London)."""
    highest = plan.rank_order is RankOrder.HIGHEST
    if plan.outcome is not None:
        rated = [r for r in ranking if r.rate is not None and r.offences >= SMALL_COUNT]
        rated.sort(key=lambda r: (r.rate, r.offences), reverse=highest)
        return rated, len(ranking) - len(rated), []
    if plan.by_change:
        earlier = {
            r["force"]: int(r["offences"]) for r in before if r["quarters"] == period.quarters
        }
        ranking = [replace(r, before=earlier.get(r.force)) for r in ranking]
        rated = [r for r in ranking if r.before is not None and r.before >= SMALL_COUNT]
        rated.sort(key=lambda r: r.change or 0.0, reverse=highest)
        return rated, len(ranking) - len(rated), []
    if plan.per_head:
        residents = populations(db, [f.force for f in territorial_forces()], period)
        ranking = [replace(r, residents=residents.get(r.force)) for r in ranking]
        set_aside = [r for r in ranking if r.force in SMALL_RESIDENT_FORCES]
        ranked = [r for r in ranking if r.per_1000 is not None and r not in set_aside]
        ranked.sort(key=lambda r: r.per_1000 or 0.0, reverse=highest)
        return ranked, 0, set_aside
    return sorted(ranking, key=lambda r: r.offences, reverse=highest), 0, []


def ranking_findings(
    db: Database, plan: QueryPlan, offence: ResolvedOffence, period: Period, annual: bool
) -> Findings:
    within = {f for p in plan.places if p.kind in AREAS_RANKED_WITHIN for f in p.forces}
    forces = [f.force for f in territorial_forces() if not within or f.force in within]
    types = list(plan.outcome.types if plan.outcome else ())
    years = 2 if plan.by_change and plan.outcome is None else 1
    found_rows = _force_rows(db, forces, offence, types, period, annual, years)
    rows = found_rows[0]
    by_rate = plan.outcome is not None
    complete = [
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
    before = found_rows[1] if len(found_rows) > 1 else []
    ranking, unranked, set_aside = _ordered(db, plan, period, complete, before)
    if not ranking:
        raise Unanswerable(Refusal(Reason.NO_FORCE_COMPLETE, period=period))
    places = [
        place_findings(db, plan, p, offence, period, 2, annual)
        for p in plan.places
        if p.kind is PlaceKind.FORCE
    ]
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
