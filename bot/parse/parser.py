"""Question text -> a query plan, or a clarification. Pure: no Slack, no data, no clock.

The rule that shapes everything here: when unsure, ask. A word the parser
cannot place, a misspelling with two close matches, a month with no year —
each becomes a clarification naming what was understood, never a guess.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache

from rapidfuzz import fuzz, process

from bot.core.places import areas, force_place
from bot.core.plan import (
    ALL_CRIME,
    LATEST,
    Measure,
    OffenceSelection,
    OutcomeSelection,
    PeriodSpec,
    Place,
    QueryPlan,
)
from bot.core.reference import canonical_force
from bot.parse.periods import FoundPeriod, find_period
from bot.parse.text import MAX_QUESTION_CHARS, clean, strip_markup, tokens
from bot.parse.vocabulary import AMBIGUOUS_PLACES, NotRecorded, vocabulary

# Example questions: the first three follow every clarification; help and App Home list all.
EXAMPLES = (
    "harassment Thames Valley year to September 2023",
    "charge rate Thames Valley 2023/24",
    "which force has the highest burglary rate per head?",
    "is knife crime in Kent at a record high?",
    "compare burglary in the Met and GMP",
)
FUZZY_ACCEPT = 84
FUZZY_SUGGEST = 70
MAX_UNKNOWN_WORDS = 8  # past this it is not a misspelt question; and fuzzy matching costs time
_GREETINGS = {"hi", "hello", "hey", "help", "thanks", "thank", "ok", "yo", "morning", "start"}
_NUMBER_WORDS = {"three": 3, "five": 5, "ten": 10, "3": 3, "5": 5, "10": 10}


@dataclass(frozen=True)
class Clarification:
    message: str
    suggestions: tuple[str, ...] = EXAMPLES[:3]
    understood: str = ""
    replace: str = ""  # the words each suggestion stands in for ("" = whole questions)

    def questions(self, original: str) -> list[str]:
        """The suggestions as questions to ask instead: the original, corrected, with any
        Slack markup in it stripped (a suggestion is echoed back into the channel)."""
        original = strip_markup(original)
        if not self.replace:
            return list(self.suggestions)
        pattern = r"\b" + r"\W+".join(map(re.escape, self.replace.split())) + r"\b"
        found = re.search(pattern, original, flags=re.IGNORECASE)
        if not found:
            return [f"{original} {s}" for s in self.suggestions]
        return [original[: found.start()] + s + original[found.end() :] for s in self.suggestions]


@dataclass
class _Found:
    places: list[Place] = field(default_factory=list)
    offences: list[OffenceSelection] = field(default_factory=list)
    outcomes: list[OutcomeSelection] = field(default_factory=list)
    measures: set[str] = field(default_factory=set)
    unknown: list[str] = field(default_factory=list)
    unknown_runs: list[list[str]] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)  # places crimebot has no data for
    not_recorded: list[NotRecorded] = field(default_factory=list)  # subjects it has no data on
    notes: list[str] = field(default_factory=list)
    year_before: bool = False


def parse(
    text: str, today: dt.date, previous: QueryPlan | None = None
) -> QueryPlan | Clarification:
    if len(text) > MAX_QUESTION_CHARS:
        return Clarification(
            f"That message is {len(text):,} characters long: ask one short question "
            f"(under {MAX_QUESTION_CHARS} characters), for example:"
        )
    cleaned = clean(text)
    if not any(ch.isalpha() for ch in cleaned):
        return Clarification(
            "Ask me about police recorded crime in England and Wales, for example:"
        )
    words = tokens(cleaned)
    if _looks_like_sql(cleaned):
        return Clarification(
            "That looks like code, not a question. Ask in plain words, for example:"
        )
    if words and set(words) <= _GREETINGS | {"crimebot", "bot", "me", "please"}:
        return Clarification(
            "Hello! I give exact police recorded crime figures for "
            "England and Wales, with their period and source. Try:"
        )

    period = find_period(cleaned, today)
    if period.problem:
        return Clarification(period.problem, ())
    for start, end in sorted(period.spans, reverse=True):
        cleaned = cleaned[:start] + " " + cleaned[end:]
    found = _scan(tokens(cleaned))
    if period.note:
        found.notes.append(period.note)
    return _plan(found, period, previous, text)


def _looks_like_sql(text: str) -> bool:
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


def _scan(words: list[str]) -> _Found:
    """Match the longest known phrases first; what is left is filler or unknown."""
    vocab = vocabulary()
    found = _Found()
    used = [False] * len(words)
    placed: list[tuple[int, Place]] = []
    for size in range(min(vocab.longest_phrase, len(words)), 0, -1):
        for start in range(len(words) - size + 1):
            if any(used[start : start + size]):
                continue
            phrase = tuple(words[start : start + size])
            hit = False
            if phrase in vocab.outside:
                found.outside.append(vocab.outside[phrase])
                hit = True
            elif phrase in vocab.not_recorded:
                found.not_recorded.append(vocab.not_recorded[phrase])
                hit = True
            elif phrase in vocab.places:
                placed.append((start, vocab.places[phrase]))
                hit = True
            elif phrase in vocab.towns:
                town, place = vocab.towns[phrase]
                placed.append((start, place))
                found.notes.append(
                    f"{town} is in the {place.label} area: figures are for the whole force area"
                )
                hit = True
            elif phrase in vocab.outcomes:
                found.outcomes.append(vocab.outcomes[phrase])
                hit = True
            elif phrase in vocab.offences:
                found.offences.append(vocab.offences[phrase])
                hit = True
            if phrase in (("year", "before"), ("previous", "year")):
                found.year_before = True
                hit = True
            for measure, phrases in vocab.measures.items():
                if phrase in phrases:
                    found.measures.add(measure)
                    hit = True
            if size == 1 and phrase[0] in _NUMBER_WORDS:
                found.measures.add(f"limit:{_NUMBER_WORDS[phrase[0]]}")
            if hit:
                used[start : start + size] = [True] * size
    for _, place in sorted(placed, key=lambda pair: pair[0]):  # in the order typed
        if place not in found.places:
            found.places.append(place)
    run: list[str] = []
    for position, word in enumerate([*words, ""]):
        if position < len(words) and not used[position] and word not in vocab.filler:
            run.append(word)
        elif run:
            found.unknown_runs.append(run)
            run = []
    return found


@lru_cache(maxsize=4096)
def _closest_cached(text: str) -> tuple[tuple[object, str, float], ...]:
    return tuple(_closest(text))


@cache
def _fuzzy_choices() -> dict[str, tuple[str, object]]:
    vocab = vocabulary()
    choices: dict[str, tuple[str, object]] = {
        " ".join(k): ("place", v) for k, v in vocab.places.items()
    }
    choices.update({" ".join(k): ("offence", v) for k, v in vocab.offences.items()})
    return choices


def _closest(text: str) -> list[tuple[object, str, float]]:
    """Distinct entities nearest to ``text``, best first: (entity, matched name, score)."""
    choices = _fuzzy_choices()
    best: dict[object, tuple[str, float]] = {}
    found = process.extract(
        text, list(choices), scorer=fuzz.ratio, limit=8, score_cutoff=FUZZY_SUGGEST - 5
    )
    for name, score, _ in found:
        entity = choices[name][1]
        if entity not in best:
            best[entity] = (name, score)
    return sorted(((e, n, s) for e, (n, s) in best.items()), key=lambda item: -item[2])


def _fuzzy(found: _Found) -> Clarification | None:
    """Correct misspellings that match one name closely; ask when two names are close.

    Runs of unknown words are tried longest first, so "thames vally" is one place.
    """
    if sum(len(run) for run in found.unknown_runs) > MAX_UNKNOWN_WORDS:
        return Clarification(
            "I couldn't make sense of that: too many words I don't know. Ask about a force, "
            "an offence and a period, for example:"
        )
    remaining = []
    for run in found.unknown_runs:
        position = 0
        while position < len(run):
            for size in range(min(3, len(run) - position), 0, -1):
                text = " ".join(run[position : position + size])
                if text in AMBIGUOUS_PLACES:
                    return Clarification(
                        f"Which do you mean by “{text}”?", AMBIGUOUS_PLACES[text], replace=text
                    )
                if len(text) < 4 or text.isdigit():
                    continue
                ranked = _closest_cached(text)
                if not ranked or ranked[0][2] < FUZZY_SUGGEST:
                    continue
                best, name, score = ranked[0]
                close = [r for r in ranked[1:] if r[2] >= max(score - 4, FUZZY_SUGGEST)]
                if score >= FUZZY_ACCEPT and not close:
                    if _fuzzy_choices()[name][0] == "place":
                        if best not in found.places:
                            found.places.append(best)
                    else:
                        found.offences.append(best)
                    found.notes.append(f"read “{text}” as {_label(best)}")
                    position += size
                    break
                if size == 1 or score >= FUZZY_ACCEPT:
                    options = tuple(_label(r[0]).removeprefix("the ") for r in [ranked[0], *close])
                    return Clarification(
                        f"I don't know “{text}”. Did you mean " + " or ".join(options) + "?",
                        options,
                        replace=text,
                    )
            else:
                remaining.append(run[position])
                position += 1
    found.unknown = remaining
    return None


def _label(entity: object) -> str:
    if isinstance(entity, Place):
        return entity.label
    if isinstance(entity, OffenceSelection):
        return entity.label
    return str(entity)


def _measure(found: _Found, places: list[Place], outcome: OutcomeSelection | None) -> Measure:
    measures = found.measures
    ranked = bool({"rank", "worst", "best", "rise_rank", "fall_rank"} & measures)
    if ranked and (not places or any(m.startswith("limit:") for m in measures)):
        return Measure.RANK
    if "record" in measures:
        return Measure.RECORD
    if "trend" in measures:
        return Measure.TREND
    if len(places) > 1:
        return Measure.COMPARE
    if ranked and places:
        return Measure.RANK
    if outcome is not None:
        return Measure.OUTCOME_SHARE
    if "change" in measures:
        return Measure.CHANGE
    if (places and places[0].kind == "national") or (not places and "national" in measures):
        return Measure.NATIONAL
    return Measure.COUNT


@dataclass
class _Draft:
    """A plan being put together, one named step at a time."""

    places: list[Place]
    offence: OffenceSelection | None
    outcome: OutcomeSelection | None
    measure: Measure
    period: PeriodSpec | None
    rank_order: str
    by_change: bool
    limit: int
    per_head: bool


def _plan(
    found: _Found, asked: FoundPeriod, previous: QueryPlan | None, original: str
) -> QueryPlan | Clarification:
    """Every step may ask instead of answer; none drops a word that could change the meaning."""
    refused = _refusal(found, asked, original) or _ambiguity(found)
    if refused:
        return refused
    if previous is None and found.year_before and asked.spec is None:
        return Clarification(
            "The year before what? This is a new thread: ask the whole question, for example:"
        )
    draft = _draft(found, asked.spec)
    if previous is not None:
        _follow(draft, found, previous)
    elif found.year_before and draft.period is not None:
        draft.period = draft.period.earlier()
    return _finish(draft, found, asked)


def _refusal(found: _Found, asked: FoundPeriod, original: str) -> Clarification | None:
    """Places and subjects the data does not cover, misspellings, and unknown words."""
    if found.outside:
        return Clarification(
            "I only have police recorded crime for England and Wales: the 43 forces, British "
            f"Transport Police and their regions. {found.outside[0]}"
        )
    if found.not_recorded:
        subject = found.not_recorded[0]
        place = found.places[0].name if found.places else "England and Wales"
        offence = found.offences[0].label if found.offences else "all crime"
        return Clarification(
            subject.why,
            tuple(
                " ".join(q.format(place=place, offence=offence).split()) for q in subject.nearest
            ),
        )
    problem = _fuzzy(found)
    if problem:
        return problem
    meaningful = list(found.unknown)  # "H1", "Q5", "100": short words and numbers count too
    recognised = (
        found.places
        or found.offences
        or found.outcomes
        or found.measures
        or asked.spec
        or found.year_before
    )
    if not recognised:
        if meaningful:
            return Clarification(
                "I couldn't find a force, an offence or a measure in that. I answer questions "
                "about police recorded crime in England and Wales, for example:"
            )
        return Clarification(
            "Ask me about police recorded crime in England and Wales, for example:"
        )
    if meaningful:
        # A word that could change the meaning is never dropped silently: ask about it.
        words = ", ".join(f"“{w}”" for w in meaningful[:3])
        without = _without(original, meaningful)
        return Clarification(
            f"I don't know {words}. I know the 43 police forces of England and Wales, British "
            "Transport Police, the regions, and offences such as harassment or burglary.",
            ((without,) if without else ()) + EXAMPLES[: 3 - bool(without)],
        )
    return None


def _ambiguity(found: _Found) -> Clarification | None:
    """Two offences or two outcomes named: ask which."""
    if len(found.offences) > 1:
        labels = tuple(dict.fromkeys(o.label for o in found.offences))
        if len(labels) > 1:
            return Clarification("Which offence do you mean: " + " or ".join(labels) + "?", labels)
    if len(found.outcomes) > 1 and len({o.types for o in found.outcomes}) > 1:
        names = tuple(dict.fromkeys(o.name for o in found.outcomes))
        return Clarification("Which outcome do you mean: " + " or ".join(names) + "?", names)
    return None


def _draft(found: _Found, period: PeriodSpec | None) -> _Draft:
    """What the words of this question say, before any earlier question fills gaps."""
    places = list(found.places)
    outcome = found.outcomes[0] if found.outcomes else None
    rank_order = "lowest" if {"lowest", "fall_rank"} & found.measures else "highest"
    if {"worst", "best"} & found.measures:
        charge_like = outcome is not None and "1" in outcome.types
        rank_order = "lowest" if ("worst" in found.measures) == charge_like else "highest"
    limits = [int(m.split(":")[1]) for m in found.measures if m.startswith("limit:")]
    return _Draft(
        places=places,
        offence=found.offences[0] if found.offences else None,
        outcome=outcome,
        measure=_measure(found, places, outcome),
        period=period,
        rank_order=rank_order,
        by_change=bool({"rise_rank", "fall_rank"} & found.measures),
        limit=limits[0] if limits else 5,
        per_head="per_head" in found.measures or ("rate" in found.measures and outcome is None),
    )


def _follow(draft: _Draft, found: _Found, previous: QueryPlan) -> None:
    """A follow-up in a thread changes what it names and keeps the rest of the last plan."""
    draft.places = draft.places or list(previous.places)
    draft.offence = draft.offence or previous.offence
    if draft.outcome is None and not found.measures and found.offences == []:
        draft.outcome = previous.outcome
    if not found.measures and draft.outcome == previous.outcome:
        if len(draft.places) == len(previous.places):
            draft.measure = previous.measure
        draft.per_head = previous.per_head
    if draft.period is None:
        draft.period = previous.period.earlier() if found.year_before else previous.period


def _fraud_body(offence: OffenceSelection | None) -> Place | None:
    """'Fraud: Action Fraud' is recorded by that body alone: asked with no place, it is the
    place (England and Wales, the 43 forces, has none of it)."""
    if offence is None or offence.level != "subgroup" or len(offence.keys) != 1:
        return None
    prefix, _, body = offence.keys[0].partition(": ")
    force = canonical_force(body) if prefix.lower() == "fraud" else None
    return force_place(force) if force else None


def _finish(draft: _Draft, found: _Found, asked: FoundPeriod) -> QueryPlan:
    """Defaults (England and Wales, all crime, the latest year) and the shape the period asks
    for: two periods make a change, N years or "since" a trend."""
    measure, places = draft.measure, draft.places
    if asked.versus is not None and measure is not Measure.RANK:
        measure = Measure.CHANGE
    elif asked.years is not None and measure in (Measure.COUNT, Measure.CHANGE, Measure.NATIONAL):
        measure = Measure.TREND
    if measure is Measure.COMPARE and "national" in found.measures:
        places.append(areas()["England and Wales"])
    if measure is Measure.RANK:
        places = [p for p in places if p.kind == "force"]
    elif not places:
        places = [_fraud_body(draft.offence) or areas()["England and Wales"]]
    offence = draft.offence or ALL_CRIME
    period = draft.period
    if period is not None and period.kind == "since" and measure is not Measure.RANK:
        measure = Measure.TREND if measure in (Measure.COUNT, Measure.CHANGE) else measure
    notes = tuple(found.notes) + ((offence.note,) if offence.note else ())
    return QueryPlan(
        measure=measure,
        places=tuple(places),
        offence=offence,
        period=period or LATEST,
        outcome=draft.outcome,
        rank_order=draft.rank_order,
        rank_limit=draft.limit,
        notes=notes,
        per_head=draft.per_head,
        by_change=draft.by_change and measure is Measure.RANK,
        years=asked.years if measure in (Measure.TREND, Measure.RECORD) else None,
        versus=asked.versus if measure is Measure.CHANGE else None,
    )


def _without(original: str, words: list[str]) -> str:
    """The question with the words it did not understand taken out: the first suggestion, so
    a reporter can see, and choose, what would be answered without them."""
    text = strip_markup(original)
    for word in words:
        text = re.sub(rf"\b{re.escape(word)}\b", " ", text, flags=re.IGNORECASE)
    text = " ".join(text.split()).strip(" ,?")
    return text if any(ch.isalpha() for ch in text) else ""


def places_in(text: str) -> list[Place] | Clarification:
    """The places in a list such as "Thames Valley, Cumbria and Kent", in the order typed:
    what a subscription names. Misspellings are corrected or asked about, as in questions."""
    if len(text) > MAX_QUESTION_CHARS:
        return Clarification("That list is too long: name up to a few forces.", ())
    found = _scan(tokens(clean(text)))
    if found.outside:
        return Clarification(
            "I only have police recorded crime for England and Wales. " + found.outside[0], ()
        )
    problem = _fuzzy(found)
    if problem:
        return problem
    strays = [s.label for s in found.offences] + found.unknown
    if strays:
        return Clarification(
            f"I don't know “{strays[0]}” as a police force. Name forces, for example:",
            ("Thames Valley, Cumbria", "Kent and Essex"),
        )
    return found.places
