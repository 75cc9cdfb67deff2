"""Phrase tables the parser matches against, built once from vocabulary.toml and the
reference tables (forces, areas, offence descriptions, subgroups, groups)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from enum import StrEnum
from functools import cache, cached_property
from importlib import resources
from typing import Any

from bot.core.places import areas, force_place, local_place
from bot.core.plan import OffenceLevel, OffenceSelection, OutcomeSelection, Place
from bot.core.reference import forces, local_areas, seed_offences
from bot.parse.text import tokens

# Place names too loose to pick one force: the reporter is asked which.
AMBIGUOUS_PLACES = {
    "yorkshire": (
        "North Yorkshire",
        "South Yorkshire",
        "West Yorkshire",
        "Yorkshire and The Humber",
    ),
    "midlands": ("West Midlands", "East Midlands"),
    "devon": ("Devon and Cornwall",),
    "cornwall": ("Devon and Cornwall",),
    "somerset": ("Avon and Somerset",),
    "hampshire and thames valley": ("Hampshire", "Thames Valley"),
}


class Cue(StrEnum):
    """What a phrase in vocabulary.toml's [measures] says about the question asked."""

    TREND = "trend"
    RECORD = "record"
    RANK = "rank"
    COMPARE = "compare"
    CHANGE = "change"
    PER_HEAD = "per_head"  # per 1,000 residents
    RATE = "rate"  # a rate per head, unless an outcome is named ("charge rate")
    RISE_RANK = "rise_rank"  # a ranking by the rise on the year before
    FALL_RANK = "fall_rank"
    NATIONAL = "national"
    LOWEST = "lowest"
    WORST = "worst"  # the lowest charge rate, but the highest count
    BEST = "best"


@dataclass(frozen=True)
class NotRecorded:
    """A subject police recorded crime does not cover (bot/render/clarifications.py says why)
    and questions it can answer."""

    subject: str
    nearest: tuple[str, ...]  # with {place} to fill in


@dataclass(frozen=True)
class Vocabulary:
    offences: dict[tuple[str, ...], OffenceSelection]
    outcomes: dict[tuple[str, ...], OutcomeSelection]
    places: dict[tuple[str, ...], Place]
    towns: dict[tuple[str, ...], tuple[str, Place]]  # town -> (its name, force area)
    measures: dict[Cue, frozenset[tuple[str, ...]]]
    outside: dict[tuple[str, ...], str]  # place -> whose figures it is in
    filler: frozenset[str]
    not_recorded: dict[tuple[str, ...], NotRecorded]
    reporters_offences: frozenset[OffenceSelection] = frozenset()  # vocabulary.toml's own

    @cached_property
    def longest_phrase(self) -> int:
        tables = (
            self.offences,
            self.outcomes,
            self.places,
            self.towns,
            self.outside,
            self.not_recorded,
        )
        return max(len(p) for table in tables for p in table)


def _key(text: str) -> tuple[str, ...]:
    return tuple(tokens(text))


Raw = dict[str, Any]  # vocabulary.toml as read


@cache
def vocabulary() -> Vocabulary:
    raw = tomllib.loads(
        resources.files(__package__).joinpath("vocabulary.toml").read_text(encoding="utf-8")
    )
    offences = _offences(raw)
    outcomes = {
        _key(phrase): OutcomeSelection(tuple(e["types"]), e["label"], e["name"])
        for phrase, e in raw["outcomes"].items()
    }
    measures = {
        Cue(name): frozenset(_key(p) for p in phrases) for name, phrases in raw["measures"].items()
    }
    towns = {_key(town): (town.title(), force_place(force)) for town, force in raw["towns"].items()}
    return Vocabulary(
        offences,
        outcomes,
        _places(raw),
        towns,
        measures,
        {_key(place): subject for place, subject in raw["outside"].items()},
        frozenset(raw["filler"]["words"]),
        {
            _key(phrase): NotRecorded(entry["subject"], tuple(entry["try"]))
            for phrase, entry in raw["not_recorded"].items()
        },
        frozenset(offences[_key(phrase)] for phrase in raw["offences"]),
    )


def _offences(raw: Raw) -> dict[tuple[str, ...], OffenceSelection]:
    """The published offence names, subgroups and groups, then vocabulary.toml's own words."""
    offences: dict[tuple[str, ...], OffenceSelection] = {}
    for row in seed_offences():
        offences[_key(row["offence"])] = OffenceSelection(
            OffenceLevel.OFFENCE, (row["offence_code"],), row["offence"].lower()
        )
        offences[_key(row["subgroup"])] = OffenceSelection(
            OffenceLevel.SUBGROUP, (row["subgroup"],), row["subgroup"].lower()
        )
        offences[_key(row["offence_group"])] = OffenceSelection(
            OffenceLevel.GROUP, (row["offence_group"],), row["offence_group"].lower()
        )
    for phrase, entry in raw["offences"].items():
        level = OffenceLevel(entry["level"])
        offences[_key(phrase)] = OffenceSelection(
            level, tuple(entry["keys"]), entry["label"], entry.get("note", "")
        )
    return offences


def _places(raw: Raw) -> dict[tuple[str, ...], Place]:
    """Areas, forces (with 'police' and 'constabulary'), and local authority areas."""
    places: dict[tuple[str, ...], Place] = {}
    for name, place in areas().items():
        places[_key(name)] = place
        places[_key(f"{name} region")] = place
    places[_key("national")] = areas()["England and Wales"]
    places[_key("england & wales")] = areas()["England and Wales"]
    places[_key("east of england")] = areas()["East of England"]
    places[_key("eastern region")] = areas()["East of England"]
    for force in forces():
        place = force_place(force.force)
        for name in (force.force, force.display_name, *force.aliases):
            places[_key(name)] = place
            places[_key(f"{name} police")] = place
            places[_key(f"{name} constabulary")] = place
    local = {row["name"]: local_place(row["name"], row["force"]) for row in local_areas()}
    for name, place in local.items():
        for spelling in {name, place.label}:
            places.setdefault(_key(spelling), place)
    for alias, name in raw["local_aliases"].items():
        places[_key(alias)] = local[name]
    return places
