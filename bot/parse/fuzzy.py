"""Misspellings: a place or offence name matched closely is corrected (and the reply says so);
two names about as close make the parser ask which."""

from __future__ import annotations

from functools import cache, lru_cache

from rapidfuzz import fuzz, process

from bot.core.plan import OffenceSelection, Place, ReadAs, ReadingNote
from bot.parse.clarification import Ask, Clarification, Facts
from bot.parse.scan import Found
from bot.parse.vocabulary import AMBIGUOUS_PLACES, vocabulary

FUZZY_ACCEPT = 84
FUZZY_SUGGEST = 70
MAX_UNKNOWN_WORDS = 8  # past this it is not a misspelt question; and fuzzy matching costs time

Entity = Place | OffenceSelection
Match = tuple[Entity, str, float]  # (entity, the name matched, score)


@lru_cache(maxsize=4096)
def _closest_cached(text: str) -> tuple[Match, ...]:
    return tuple(_closest(text))


@cache
def _fuzzy_choices() -> dict[str, Entity]:
    vocab = vocabulary()
    choices: dict[str, Entity] = {" ".join(k): v for k, v in vocab.places.items()}
    choices.update({" ".join(k): v for k, v in vocab.offences.items()})
    return choices


def _closest(text: str) -> list[Match]:
    """Distinct entities nearest to ``text``, best first: (entity, matched name, score)."""
    choices = _fuzzy_choices()
    best: dict[Entity, tuple[str, float]] = {}
    found = process.extract(
        text, list(choices), scorer=fuzz.ratio, limit=8, score_cutoff=FUZZY_SUGGEST - 5
    )
    for name, score, _ in found:
        entity = choices[name]
        if entity not in best:
            best[entity] = (name, score)
    return sorted(((e, n, s) for e, (n, s) in best.items()), key=lambda item: -item[2])


def correct(found: Found) -> Clarification | None:
    """Correct misspellings that match one name closely; ask when two names are close.

    Runs of unknown words are tried longest first, so "thames vally" is one place.
    """
    if sum(len(run) for run in found.unknown_runs) > MAX_UNKNOWN_WORDS:
        return Clarification(Ask.TOO_MANY_UNKNOWN)
    remaining: list[str] = []
    for run in found.unknown_runs:
        position = 0
        while position < len(run):
            step = _correct_at(found, run, position)
            if isinstance(step, Clarification):
                return step
            if step:
                position += step
            else:
                remaining.append(run[position])
                position += 1
    found.unknown = remaining
    return None


def _correct_at(found: Found, run: list[str], position: int) -> int | Clarification:
    """The words at ``position``, up to three, corrected into ``found``: how many were used
    (0: none), or the question to ask about them."""
    for size in range(min(3, len(run) - position), 0, -1):
        text = " ".join(run[position : position + size])
        if text in AMBIGUOUS_PLACES:
            return Clarification(
                Ask.WHICH_PLACE, Facts(words=(text,)), AMBIGUOUS_PLACES[text], replace=text
            )
        if len(text) < 4 or text.isdigit():
            continue
        # A name only suggested (not close enough to take) must start as the word does:
        # "worse" is not a misspelt "Dorset", though the letters are close.
        ranked = tuple(
            r for r in _closest_cached(text) if r[2] >= FUZZY_ACCEPT or _same_start(text, r[1])
        )
        if not ranked or ranked[0][2] < FUZZY_SUGGEST:
            continue
        best, _, score = ranked[0]
        close = [r for r in ranked[1:] if r[2] >= max(score - 4, FUZZY_SUGGEST)]
        if score >= FUZZY_ACCEPT and not close:
            if isinstance(best, Place):
                if best not in found.places:
                    found.places.append(best)
            else:
                found.offences.append(best)
            found.notes.append(ReadingNote(ReadAs.CLOSE_WORD, text, best.label))
            return size
        if size == 1 or score >= FUZZY_ACCEPT:
            options = tuple(r[0].label.removeprefix("the ") for r in [ranked[0], *close])
            return Clarification(
                Ask.DID_YOU_MEAN, Facts(words=(text,), options=options), options, replace=text
            )
    return 0


def _same_start(word: str, name: str) -> bool:
    return word[:1] == name[:1]
