"""One question in, one reply out: parse -> find -> render. Never raises on user input."""

from __future__ import annotations

import datetime as dt
import logging

from bot.parse import Clarification, parse
from bot.parse.canonical import question_for
from bot.query.database import Database
from bot.query.errors import Unanswerable
from bot.query.findings import find
from bot.query.plan import QueryPlan
from bot.render.answer import Answer, clarification
from bot.render.sentence import render, understood

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
