"""A story draft asked for in words: 'story harassment Thames Valley' as a one-place plan."""

from __future__ import annotations

import datetime as dt

from bot.core.plan import QueryPlan
from bot.parse.clarification import Ask, Clarification
from bot.parse.parser import parse

STORY_WORDS = ("write up", "write", "story", "draft")


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
            Ask.STORY_ONE_PLACE,
            suggestions=("story harassment Thames Valley", "story burglary Cumbria"),
        )
    return parsed
