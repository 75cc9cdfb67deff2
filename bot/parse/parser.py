"""Question text -> a query plan, or a clarification. Pure: no Slack, no data, no clock.

The rule that shapes everything here: when unsure, ask. A word the parser
cannot place, a misspelling with two close matches, a month with no year —
each becomes a clarification naming what was understood, never a guess.

The steps, each in its own module: ``scan`` finds the known phrases, ``fuzzy`` corrects
misspellings, ``refusals`` asks about what cannot be answered, and ``draft`` puts the plan
together (a follow-up filling its gaps from the question before).
"""

from __future__ import annotations

import datetime as dt

from bot.core.plan import Place, QueryPlan
from bot.parse.clarification import Ask, Clarification, Facts
from bot.parse.draft import draft, finish, follow
from bot.parse.fuzzy import correct
from bot.parse.not_covered import ambiguity, looks_like_sql, refusal
from bot.parse.periods import FoundPeriod, find_period
from bot.parse.scan import Found, scan
from bot.parse.text import MAX_QUESTION_CHARS, clean, tokens

_GREETINGS = {"hi", "hello", "hey", "help", "thanks", "thank", "ok", "yo", "morning", "start"}


def parse(
    text: str, today: dt.date, previous: QueryPlan | None = None
) -> QueryPlan | Clarification:
    if len(text) > MAX_QUESTION_CHARS:
        return Clarification(Ask.TOO_LONG, Facts(length=len(text), limits=(MAX_QUESTION_CHARS,)))
    cleaned = clean(text)
    if not any(ch.isalpha() for ch in cleaned):
        return Clarification(Ask.NOTHING_ASKED)
    words = tokens(cleaned)
    if looks_like_sql(cleaned):
        return Clarification(Ask.CODE)
    if words and set(words) <= _GREETINGS | {"crimebot", "bot", "me", "please"}:
        return Clarification(Ask.GREETING)

    period = find_period(cleaned, today)
    if period.problem:
        return period.problem
    for start, end in sorted(period.spans, reverse=True):
        cleaned = cleaned[:start] + " " + cleaned[end:]
    found = scan(tokens(cleaned))
    found.notes.extend(period.notes)
    return _plan(found, period, previous, text)


def _plan(
    found: Found, asked: FoundPeriod, previous: QueryPlan | None, original: str
) -> QueryPlan | Clarification:
    """Every step may ask instead of answer; none drops a word that could change the meaning."""
    refused = refusal(found, asked, original) or ambiguity(found)
    if refused:
        return refused
    if previous is None and found.year_before and asked.spec is None:
        return Clarification(Ask.YEAR_BEFORE_WHAT)
    plan = draft(found, asked.spec)
    if previous is not None:
        follow(plan, found, previous)
    elif found.year_before and plan.period is not None:
        plan.period = plan.period.earlier()
    return finish(plan, found, asked)


def places_in(text: str) -> list[Place] | Clarification:
    """The places in a list such as "Thames Valley, Cumbria and Kent", in the order typed:
    what a subscription names. Misspellings are corrected or asked about, as in questions."""
    if len(text) > MAX_QUESTION_CHARS:
        return Clarification(Ask.LIST_TOO_LONG, suggestions=())
    found = scan(tokens(clean(text)))
    if found.outside:
        return Clarification(Ask.FORCE_OUTSIDE, Facts(subject=found.outside[0]), ())
    problem = correct(found)
    if problem:
        return problem
    strays = [s.label for s in found.offences] + found.unknown
    if strays:
        return Clarification(
            Ask.NOT_A_FORCE, Facts(words=(strays[0],)), ("Thames Valley, Cumbria", "Kent and Essex")
        )
    return found.places
