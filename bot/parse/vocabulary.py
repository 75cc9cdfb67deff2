"""Phrase tables the parser matches against, built once from vocabulary.toml and the
reference tables (forces, areas, offence descriptions, subgroups, groups)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from bot.core.places import areas, force_place, local_place
from bot.core.plan import OffenceSelection, OutcomeSelection, Place
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


@dataclass(frozen=True)
class NotRecorded:
    """A subject police recorded crime does not cover: why, and questions it can answer."""

    why: str
    nearest: tuple[str, ...]  # with {place} to fill in


@dataclass(frozen=True)
class Vocabulary:
    offences: dict[tuple[str, ...], OffenceSelection]
    outcomes: dict[tuple[str, ...], OutcomeSelection]
    places: dict[tuple[str, ...], Place]
    towns: dict[tuple[str, ...], tuple[str, Place]]  # town -> (its name, force area)
    measures: dict[str, frozenset[tuple[str, ...]]]
    outside: dict[tuple[str, ...], str]
    filler: frozenset[str]
    not_recorded: dict[tuple[str, ...], NotRecorded]
    reporters_offences: frozenset[OffenceSelection] = frozenset()  # vocabulary.toml's own

    @property
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


@cache
def vocabulary() -> Vocabulary:
    raw = tomllib.loads(
        resources.files(__package__).joinpath("vocabulary.toml").read_text(encoding="utf-8")
    )
    offences: dict[tuple[str, ...], OffenceSelection] = {}
    for row in seed_offences():
        offences[_key(row["offence"])] = OffenceSelection(
            "offence", (row["offence_code"],), row["offence"].lower()
        )
        offences[_key(row["subgroup"])] = OffenceSelection(
            "subgroup", (row["subgroup"],), row["subgroup"].lower()
        )
        offences[_key(row["offence_group"])] = OffenceSelection(
            "group", (row["offence_group"],), row["offence_group"].lower()
        )
    for phrase, entry in raw["offences"].items():
        offences[_key(phrase)] = OffenceSelection(
            entry["level"], tuple(entry["keys"]), entry["label"], entry.get("note", "")
        )
    outcomes = {
        _key(phrase): OutcomeSelection(tuple(e["types"]), e["label"], e["name"])
        for phrase, e in raw["outcomes"].items()
    }
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
    measures = {
        name: frozenset(_key(p) for p in phrases) for name, phrases in raw["measures"].items()
    }
    towns = {_key(town): (town.title(), force_place(force)) for town, force in raw["towns"].items()}
    return Vocabulary(
        offences,
        outcomes,
        places,
        towns,
        measures,
        {_key(place): why for place, why in raw["outside"].items()},
        frozenset(raw["filler"]["words"]),
        {
            _key(phrase): NotRecorded(entry["why"], tuple(entry["try"]))
            for phrase, entry in raw["not_recorded"].items()
        },
        frozenset(offences[_key(phrase)] for phrase in raw["offences"]),
    )
