"""Plan -> the plainest question that parses back to it: what a "Did you mean …?" button asks."""

from __future__ import annotations

from bot.core.periods import MONTHS, financial_year_label
from bot.core.plan import Measure, PeriodKind, PeriodSpec, QueryPlan
from bot.parse.vocabulary import vocabulary


def _offence_words(plan: QueryPlan) -> str:
    for phrase, selection in vocabulary().offences.items():
        if selection == plan.offence:
            return " ".join(phrase)
    return plan.offence.label


def _outcome_words(plan: QueryPlan) -> str:
    assert plan.outcome is not None
    for phrase, outcome in vocabulary().outcomes.items():
        if outcome == plan.outcome:
            return " ".join(phrase)
    return plan.outcome.name


def period_words(period: PeriodSpec) -> str:
    if period.quarters == 1:
        if period.kind is PeriodKind.LATEST:
            return "last quarter"
        return f"three months to {MONTHS[(period.month or 3) - 1]} {period.year}"
    match period.kind:
        case PeriodKind.YEAR_TO:
            return f"year to {MONTHS[(period.month or 1) - 1]} {period.year}"
        case PeriodKind.FINANCIAL_YEAR:
            return financial_year_label(period.year or 0)
        case PeriodKind.CALENDAR_YEAR:
            return str(period.year)
        case PeriodKind.SINCE:
            return f"since {period.year}"
    return "latest"


def question_for(plan: QueryPlan) -> str:
    places = " and ".join(p.name for p in plan.places)
    parts: list[str] = []
    match plan.measure:
        case Measure.RANK:
            parts.append(f"which force has the {plan.rank_order}")
        case Measure.COMPARE:
            parts.append("compare")
        case Measure.TREND:
            parts.append("trend")
        case Measure.RECORD:
            parts.append("record high")
        case Measure.CHANGE:
            parts.append("change in")
    if plan.outcome is not None:
        parts.append(_outcome_words(plan))
    parts.append(_offence_words(plan))
    if plan.per_head:
        parts.append("per 1,000 people")
    if places and plan.measure is not Measure.RANK:
        parts.append(places)
    parts.append(period_words(plan.period))
    return " ".join(parts)
