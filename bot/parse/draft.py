"""Found words -> a plan: the measure they ask for, what a follow-up keeps from the question
before, and the defaults (England and Wales, all crime, the latest year)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from bot.core.places import areas, force_place
from bot.core.plan import (
    ALL_CRIME,
    AREAS_RANKED_WITHIN,
    LATEST,
    Measure,
    OffenceLevel,
    OffenceSelection,
    OutcomeSelection,
    PeriodKind,
    PeriodSpec,
    Place,
    PlaceKind,
    QueryPlan,
    RankOrder,
    ReadAs,
    ReadingNote,
)
from bot.core.reference import canonical_force
from bot.parse.periods import FoundPeriod
from bot.parse.scan import Found
from bot.parse.vocabulary import Cue, vocabulary

DEFAULT_LIMIT = 5  # a ranking lists the top five unless a number is given
_RANKED = {Cue.RANK, Cue.WORST, Cue.BEST, Cue.RISE_RANK, Cue.FALL_RANK}


def measure(found: Found, places: list[Place], outcome: OutcomeSelection | None) -> Measure:
    measures = found.measures
    ranked = bool(_RANKED & measures)
    if ranked and (not places or found.limit is not None):
        return Measure.RANK
    if Cue.RECORD in measures:
        return Measure.RECORD
    if Cue.TREND in measures:
        return Measure.TREND
    if len(places) > 1:
        return Measure.COMPARE
    if ranked and places:
        return Measure.RANK
    if outcome is not None:
        return Measure.OUTCOME_SHARE
    if Cue.CHANGE in measures:
        return Measure.CHANGE
    national = places[0].kind is PlaceKind.NATIONAL if places else Cue.NATIONAL in measures
    if national:
        return Measure.NATIONAL
    return Measure.COUNT


@dataclass
class Draft:
    """A plan being put together, one named step at a time."""

    places: list[Place]
    offence: OffenceSelection | None
    outcome: OutcomeSelection | None
    measure: Measure
    period: PeriodSpec | None
    rank_order: RankOrder
    by_change: bool
    limit: int
    per_head: bool


def draft(found: Found, period: PeriodSpec | None) -> Draft:
    """What the words of this question say, before any earlier question fills gaps."""
    places = list(found.places)
    outcome = found.outcomes[0] if found.outcomes else None
    lowest = bool({Cue.LOWEST, Cue.FALL_RANK} & found.measures)
    if {Cue.WORST, Cue.BEST} & found.measures:
        charge_like = outcome is not None and "1" in outcome.types
        lowest = (Cue.WORST in found.measures) == charge_like
    return Draft(
        places=places,
        offence=found.offences[0] if found.offences else None,
        outcome=outcome,
        measure=measure(found, places, outcome),
        period=period,
        rank_order=RankOrder.LOWEST if lowest else RankOrder.HIGHEST,
        by_change=bool({Cue.RISE_RANK, Cue.FALL_RANK} & found.measures),
        limit=found.limit if found.limit is not None else DEFAULT_LIMIT,
        per_head=Cue.PER_HEAD in found.measures or (Cue.RATE in found.measures and outcome is None),
    )


def follow(draft: Draft, found: Found, previous: QueryPlan) -> None:
    """A follow-up in a thread changes what it names and keeps the rest of the last plan."""
    draft.places = draft.places or list(previous.places)
    draft.offence = draft.offence or previous.offence
    if draft.outcome is None and not found.asks_how and found.offences == []:
        draft.outcome = previous.outcome
    if not found.asks_how and draft.outcome == previous.outcome:
        if len(draft.places) == len(previous.places):
            draft.measure = previous.measure
        draft.per_head = previous.per_head
    if draft.period is None:
        draft.period = previous.period.earlier() if found.year_before else previous.period


def _fraud_body(offence: OffenceSelection | None) -> Place | None:
    """'Fraud: Action Fraud' is recorded by that body alone: asked with no place, it is the
    place (England and Wales, the 43 forces, has none of it)."""
    if offence is None or offence.level is not OffenceLevel.SUBGROUP or len(offence.keys) != 1:
        return None
    prefix, _, body = offence.keys[0].partition(": ")
    force = canonical_force(body) if prefix.lower() == "fraud" else None
    return force_place(force) if force else None


def _fraud_of(places: list[Place]) -> OffenceSelection | None:
    """'CIFAS' alone asks for what CIFAS records: its fraud, not all crime (which it has
    no part in)."""
    if len(places) != 1:
        return None
    return _fraud_subgroups().get(f"fraud: {places[0].name}".lower())


@cache
def _fraud_subgroups() -> dict[str, OffenceSelection]:
    """Each single-subgroup selection by its lower-case key ('fraud: cifas'), looked up once."""
    found: dict[str, OffenceSelection] = {}
    for s in vocabulary().offences.values():
        if s.level is OffenceLevel.SUBGROUP and len(s.keys) == 1:
            found.setdefault(s.keys[0].lower(), s)  # the first, as the vocabulary lists it
    return found


def finish(draft: Draft, found: Found, asked: FoundPeriod) -> QueryPlan:
    """Defaults (England and Wales, all crime, the latest year) and the shape the period asks
    for: two periods make a change, N years or "since" a trend."""
    measure, places = draft.measure, draft.places
    if asked.versus is not None and measure is not Measure.RANK:
        measure = Measure.CHANGE
    elif asked.years is not None and measure in (Measure.COUNT, Measure.CHANGE, Measure.NATIONAL):
        measure = Measure.TREND
    if measure is Measure.COMPARE and Cue.NATIONAL in found.measures:
        places.append(areas()["England and Wales"])
    if measure is Measure.RANK:  # forces to point out, and regions to rank within
        places = [p for p in places if p.kind in (PlaceKind.FORCE, *AREAS_RANKED_WITHIN)]
    elif not places:
        places = [_fraud_body(draft.offence) or areas()["England and Wales"]]
    offence = draft.offence or _fraud_of(places) or ALL_CRIME
    period = draft.period
    if period is not None and period.kind is PeriodKind.SINCE and measure is not Measure.RANK:
        measure = Measure.TREND if measure in (Measure.COUNT, Measure.CHANGE) else measure
    notes = tuple(found.notes)
    if offence.note:
        notes += (ReadingNote(ReadAs.OFFENCE, meant=offence.note),)
    return QueryPlan(
        measure=measure,
        places=tuple(dict.fromkeys(places)),  # 'national' and 'England and Wales' are one place
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
