"""A story draft's figures: the ten-year series, the charge rate and England and Wales, for
one offence in one place, from the same findings an answer uses."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.core.plan import CHARGE, Measure, PeriodSpec, QueryPlan
from bot.parse import Clarification, parse
from bot.query.database import Database
from bot.query.errors import Unanswerable
from bot.query.findings import Findings, find

STORY_WORDS = ("write up", "write", "story", "draft")


@dataclass(frozen=True)
class StoryFindings:
    trend: Findings  # ten years of the offence in the place, and England and Wales
    charges: Findings | None  # the charge rate, when outcomes are published for the period
    charges_missing: str = ""  # why there is no charge rate


def _story_word(text: str) -> str | None:
    lowered = text.strip().lower()
    return next((w for w in STORY_WORDS if lowered == w or lowered.startswith(w + " ")), None)


def is_story_request(text: str) -> bool:
    return _story_word(text) is not None


def story_plan(question: str, today: dt.date) -> QueryPlan | Clarification:
    """'harassment Thames Valley' (with or without a leading 'story') as a one-place plan."""
    text = question.strip()
    word = _story_word(text)
    if word:
        text = text[len(word) :].strip()
    parsed = parse(text, today)
    if isinstance(parsed, Clarification):
        return parsed
    if len(parsed.places) != 1:
        return Clarification(
            "A story draft is about one place: name one force (or region), for example:",
            ("story harassment Thames Valley", "story burglary Cumbria"),
        )
    return parsed


def story_findings(db: Database, plan: QueryPlan) -> StoryFindings:
    """Raises Unanswerable when the offence has no figures for the place and period."""
    trend = find(db, plan.with_changes(measure=Measure.TREND, outcome=None))
    # The charge rate for the same period as the count, not the latest published one.
    period = trend.period.end
    same_period = PeriodSpec("year_to", period.end_year, period.end_month)
    try:
        charges = find(
            db,
            plan.with_changes(measure=Measure.OUTCOME_SHARE, outcome=CHARGE, period=same_period),
        )
    except Unanswerable as problem:
        return StoryFindings(trend, None, problem.message)
    return StoryFindings(trend, charges)
