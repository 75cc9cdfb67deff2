"""One question in, one reply out: parse -> find -> render. Never raises on user input."""

from __future__ import annotations

import datetime as dt
import logging

from bot.digest.story import story_findings, story_plan
from bot.parse import Clarification, parse
from bot.parse.canonical import question_for
from bot.query.database import Database
from bot.query.errors import Unanswerable
from bot.query.findings import find
from bot.query.plan import QueryPlan
from bot.render.answer import Answer, clarification
from bot.render.sentence import render, understood
from bot.render.story import Story, render_story

log = logging.getLogger(__name__)


def ask(
    question: str,
    db: Database,
    today: dt.date | None = None,
    previous: QueryPlan | None = None,
) -> tuple[Answer, QueryPlan | None]:
    """The reply, and the plan it answered (for follow-ups), or None for a clarification."""
    parsed = parse(question, today or dt.date.today(), previous)
    if isinstance(parsed, Clarification):
        suggestions = parsed.questions(question)
        return clarification(parsed.message, suggestions, parsed.understood), None
    return answer_plan(parsed, db), parsed


def answer_plan(plan: QueryPlan, db: Database) -> Answer:
    read_as = understood(plan, None)
    try:
        findings = find(db, plan)
    except Unanswerable as problem:
        suggestions = list(problem.suggestions) + [
            question_for(plan.with_changes(period=period)) for period in problem.periods
        ]
        return clarification(problem.message, suggestions, read_as)
    except Exception:  # a bug must cost one reply, not the server
        log.exception("failed to answer %r", plan)
        return clarification(
            "Sorry, something went wrong answering that. It has been logged; "
            "try asking another way.",
            [],
            read_as,
        )
    answer = render(findings, db.manifest["releases"])
    if plan.notes:
        answer.understood += " (" + "; ".join(plan.notes) + ")"
    return answer


def ask_story(question: str, db: Database, today: dt.date | None = None) -> Story | Answer:
    """A story draft for 'harassment Thames Valley', or a clarification (an Answer)."""
    plan = story_plan(question, today or dt.date.today())
    if isinstance(plan, Clarification):
        suggestions = [
            s if s.lower().startswith("story") else f"story {s}" for s in plan.questions(question)
        ]
        return clarification(plan.message, suggestions, plan.understood)
    try:
        found = story_findings(db, plan)
    except Unanswerable as problem:
        return clarification(problem.message, list(problem.suggestions), understood(plan, None))
    return render_story(found, db.manifest["releases"])
