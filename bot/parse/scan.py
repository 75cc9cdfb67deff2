"""Words -> what they name: places, offences, outcomes, measure cues, and what is left over.

The longest known phrase wins ("thames valley" before "valley"); what no phrase and no filler
word covers is kept, in runs, for the fuzzy matcher and the refusals to look at.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.core.plan import OffenceSelection, OutcomeSelection, Place, ReadAs, ReadingNote
from bot.parse.vocabulary import Cue, NotRecorded, Vocabulary, vocabulary

NUMBER_WORDS = {"three": 3, "five": 5, "ten": 10, "3": 3, "5": 5, "10": 10}  # "top five"


@dataclass
class Found:
    places: list[Place] = field(default_factory=list)
    offences: list[OffenceSelection] = field(default_factory=list)
    outcomes: list[OutcomeSelection] = field(default_factory=list)
    measures: set[Cue] = field(default_factory=set)
    limit: int | None = None  # how many a ranking lists ("top 10"), if a number was given
    unknown: list[str] = field(default_factory=list)
    unknown_runs: list[list[str]] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)  # whose figures places asked about are in
    not_recorded: list[NotRecorded] = field(default_factory=list)  # subjects it has no data on
    notes: list[ReadingNote] = field(default_factory=list)
    year_before: bool = False

    @property
    def asks_how(self) -> bool:
        """Whether the words say anything about the measure: a cue, or a ranking's length."""
        return bool(self.measures) or self.limit is not None


def scan(words: list[str]) -> Found:
    """Match the longest known phrases first; what is left is filler or unknown."""
    vocab = vocabulary()
    found = Found()
    used = [False] * len(words)
    placed: list[tuple[int, Place]] = []
    for size in range(min(vocab.longest_phrase, len(words)), 0, -1):
        for start in range(len(words) - size + 1):
            if any(used[start : start + size]):
                continue
            phrase = tuple(words[start : start + size])
            if _match(vocab, phrase, start, found, placed):
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


def _match(
    vocab: Vocabulary,
    phrase: tuple[str, ...],
    start: int,
    found: Found,
    placed: list[tuple[int, Place]],
) -> bool:
    """Record what ``phrase`` names in ``found``; whether it used the words."""
    hit = True
    if phrase in vocab.outside:
        found.outside.append(vocab.outside[phrase])
    elif phrase in vocab.not_recorded:
        found.not_recorded.append(vocab.not_recorded[phrase])
    elif phrase in vocab.places:
        placed.append((start, vocab.places[phrase]))
    elif phrase in vocab.towns:
        town, place = vocab.towns[phrase]
        placed.append((start, place))
        found.notes.append(ReadingNote(ReadAs.TOWN, town, place.label))
    elif phrase in vocab.outcomes:
        found.outcomes.append(vocab.outcomes[phrase])
    elif phrase in vocab.offences:
        found.offences.append(vocab.offences[phrase])
    else:
        hit = False
    if phrase in (("year", "before"), ("previous", "year")):
        found.year_before = True
        hit = True
    for cue, phrases in vocab.measures.items():
        if phrase in phrases:
            found.measures.add(cue)
            hit = True
    if len(phrase) == 1 and phrase[0] in NUMBER_WORDS and found.limit is None:
        found.limit = NUMBER_WORDS[phrase[0]]  # a number is noted, not used: it may be filler
    return hit
