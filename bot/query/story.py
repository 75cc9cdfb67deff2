"""A story draft's figures: the ten-year series, the charge rate and England and Wales, for
one offence in one place, from the same findings an answer uses."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.plan import CHARGE, Measure, PeriodKind, PeriodSpec, QueryPlan
from bot.query.database import Database
from bot.query.errors import Refusal, Unanswerable
from bot.query.findings import Findings, find


@dataclass(frozen=True)
class StoryFindings:
    trend: Findings  # ten years of the offence in the place, and England and Wales
    charges: Findings | None  # the charge rate, when outcomes are published for the period
    charges_missing: Refusal | None = None  # why there is no charge rate


def story_findings(db: Database, plan: QueryPlan) -> StoryFindings:
    """Raises Unanswerable when the offence has no figures for the place and period."""
    trend = find(db, plan.with_changes(measure=Measure.TREND, outcome=None))
    # The charge rate for the same period as the count, not the latest published one.
    period = trend.period.end
    same_period = PeriodSpec(PeriodKind.YEAR_TO, period.end_year, period.end_month)
    try:
        charges = find(
            db,
            plan.with_changes(measure=Measure.OUTCOME_SHARE, outcome=CHARGE, period=same_period),
        )
    except Unanswerable as problem:
        return StoryFindings(trend, None, problem.refusal)
    return StoryFindings(trend, charges)
