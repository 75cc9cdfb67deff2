"""One question in, one reply out: parse -> find -> render. Never raises on user input."""

from __future__ import annotations

import datetime as dt
import logging

from bot.core.plan import QueryPlan
from bot.parse import Clarification, parse
from bot.parse.canonical import question_for
from bot.query.database import Database
from bot.query.errors import Unanswerable
from bot.query.findings import find
from bot.render.answer import Answer, clarification
from bot.render.clarifications import clarification_text
from bot.render.phrases import understood
from bot.render.refusals import refusal_text
from bot.render.replies import SOMETHING_WENT_WRONG
from bot.render.sentence import render

log = logging.getLogger(__name__)


def ask(
    question: str,
    db: Database,
    today: dt.date | None = None,
    previous: QueryPlan | None = None,
) -> tuple[Answer, QueryPlan | None]:
    """The reply, and the plan it answered (for follow-ups), or None for a clarification."""
    today = today or dt.date.today()
    parsed = parse(question, today, previous)
    if isinstance(parsed, Clarification):
        suggestions = parsed.questions(question)
        return clarification(clarification_text(parsed), suggestions), None
    return answer_plan(parsed, db, today), parsed


def instead(problem: Unanswerable, plan: QueryPlan) -> list[str]:
    """Questions to ask instead: the problem's own, and the plan for the periods it offers."""
    return (
        list(problem.suggestions)
        + [question_for(other) for other in problem.plans]
        + [question_for(plan.with_changes(period=period)) for period in problem.periods]
    )


def pinned(db: Database) -> Database:
    """The one loaded version an answer uses throughout: a release ingested meanwhile is
    picked up by the next answer, never halfway through this one (any object without
    ``current()``, a test's stand-in, is used as it is)."""
    current = getattr(db, "current", None)
    return current() if current else db


def answer_plan(plan: QueryPlan, db: Database, today: dt.date | None = None) -> Answer:
    db = pinned(db)
    read_as = understood(plan, None)
    try:
        findings = find(db, plan)
    except Unanswerable as problem:
        return clarification(refusal_text(problem), instead(problem, plan), read_as)
    except Exception:  # a bug must cost one reply, not the server
        log.exception("failed to answer %r", plan)
        return clarification(SOMETHING_WENT_WRONG, [], read_as)
    answer = render(findings, db.manifest["releases"], today)
    return answer
