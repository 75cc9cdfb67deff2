"""When the parser asks instead of answering: places and subjects the data does not cover,
words it cannot place, and two offences or outcomes where one is meant."""

from __future__ import annotations

import re

from bot.core.plan import Place, PlaceKind
from bot.core.reference import ForceKind, force_by_name
from bot.parse.clarification import EXAMPLES, Ask, Clarification, Facts
from bot.parse.fuzzy import correct
from bot.parse.periods import FoundPeriod
from bot.parse.scan import Found
from bot.parse.text import strip_markup


def looks_like_sql(text: str) -> bool:
    return (
        bool(
            re.search(
                r"\b(select|insert|update|delete|drop|union|create|alter)\b.*"
                r"\b(from|into|table|set|select|where)\b",
                text,
            )
        )
        or ";--" in text
    )


def refusal(found: Found, asked: FoundPeriod, original: str) -> Clarification | None:
    """Places and subjects the data does not cover, misspellings, and unknown words."""
    if found.outside:
        return Clarification(Ask.OUTSIDE, Facts(subject=found.outside[0]))
    if found.not_recorded:
        subject = found.not_recorded[0]
        place = found.places[0].name if found.places else "England and Wales"
        offence = found.offences[0].label if found.offences else "all crime"
        return Clarification(
            Ask.NOT_RECORDED,
            Facts(subject=subject.subject),
            tuple(
                " ".join(q.format(place=place, offence=offence).split()) for q in subject.nearest
            ),
        )
    problem = correct(found)
    if problem:
        return problem
    return _unknown(found, asked, original)


def _unknown(found: Found, asked: FoundPeriod, original: str) -> Clarification | None:
    meaningful = list(found.unknown)  # "H1", "Q5", "100": short words and numbers count too
    recognised = (
        found.places
        or found.offences
        or found.outcomes
        or found.asks_how
        or asked.spec
        or found.year_before
    )
    if not recognised:
        if meaningful:
            return Clarification(Ask.NOTHING_RECOGNISED)
        return Clarification(Ask.NOTHING_ASKED)
    if meaningful:
        # A word that could change the meaning is never dropped silently: ask about it.
        without = _without(original, meaningful)
        return Clarification(
            Ask.UNKNOWN_WORDS,
            Facts(words=tuple(meaningful)),
            ((without,) if without else ()) + EXAMPLES[: 3 - bool(without)],
        )
    return None


def _records_fraud(place: Place) -> bool:
    """Action Fraud, CIFAS, UK Finance: bodies that record fraud nationally."""
    force = force_by_name().get(place.name) if place.kind is PlaceKind.FORCE else None
    return place.kind is PlaceKind.FRAUD or (force is not None and force.kind is ForceKind.FRAUD)


def ambiguity(found: Found) -> Clarification | None:
    """Two offences or two outcomes named: ask which."""
    if len(found.offences) > 1:
        labels = tuple(dict.fromkeys(o.label for o in found.offences))
        if len(labels) > 1:
            return Clarification(Ask.WHICH_OFFENCE, Facts(options=labels), labels)
    bodies = [p for p in found.places if _records_fraud(p)]
    others = [p for p in found.places if not _records_fraud(p)]
    if bodies and others:  # "Action Fraud figures for Kent": it has none by force area
        body, other = bodies[0], others[0]
        return Clarification(
            Ask.FRAUD_BODY_AND_PLACE,
            Facts(options=(body.label, other.label)),
            (f"fraud {body.name}", f"all crime {other.name}"),
        )
    if len(found.outcomes) > 1 and len({o.types for o in found.outcomes}) > 1:
        names = tuple(dict.fromkeys(o.name for o in found.outcomes))
        return Clarification(Ask.WHICH_OUTCOME, Facts(options=names), names)
    return None


def _without(original: str, words: list[str]) -> str:
    """The question with the words it did not understand taken out: the first suggestion, so
    a reporter can see, and choose, what would be answered without them."""
    text = strip_markup(original)
    for word in words:
        text = re.sub(rf"\b{re.escape(word)}\b", " ", text, flags=re.IGNORECASE)
    text = " ".join(text.split()).strip(" ,?")
    return text if any(ch.isalpha() for ch in text) else ""
