"""A story draft in, a draft (or a clarification) out: the same path as an answer, with the
ten years, the charge rate and England and Wales. Never raises on user input."""

from __future__ import annotations

import datetime as dt
import logging

from bot.answers.ask import instead, pinned
from bot.parse.clarification import Clarification
from bot.parse.story import is_story_request, story_plan
from bot.query.database import Database
from bot.query.errors import Unanswerable
from bot.query.story import story_findings
from bot.render.answer import Answer, clarification
from bot.render.clarifications import clarification_text
from bot.render.phrases import understood
from bot.render.refusals import refusal_text
from bot.render.replies import SOMETHING_WENT_WRONG
from bot.render.story import Story, render_story

log = logging.getLogger(__name__)


def _as_story(question: str) -> str:
    return question if is_story_request(question) else f"story {question}"


def ask_story(question: str, db: Database, today: dt.date | None = None) -> Story | Answer:
    """A story draft for 'harassment Thames Valley', or a clarification (an Answer)."""
    plan = story_plan(question, today or dt.date.today())
    if isinstance(plan, Clarification):
        suggestions = [_as_story(s) for s in plan.questions(question)]
        return clarification(clarification_text(plan), suggestions)
    db = pinned(db)
    read_as = understood(plan, None)
    try:
        found = story_findings(db, plan)
    except Unanswerable as problem:
        return clarification(
            refusal_text(problem), [_as_story(s) for s in instead(problem, plan)], read_as
        )
    except Exception:
        log.exception("failed to draft %r", plan)
        return clarification(SOMETHING_WENT_WRONG, [], read_as)
    return render_story(found, db.manifest["releases"])
