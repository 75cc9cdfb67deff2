"""Reference tables kept with the code: forces and their names, outcome types, offence codes.

Forces and outcome types change by Act of Parliament, not by release, so they
live here; offence codes are seeded here and extended by each release ingested.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import TypedDict, cast

# Outcome types the real annual force totals carry (raw/oocd-dashboard-outcomes).
ANNUAL_OUTCOME_TYPES = frozenset({"1", "2", "3", "6", "7", "8", "22"})
# Forces that did not supply (some) 2014/15 outcomes: their 2014/15 figures are understated.
INCOMPLETE_2014_15 = frozenset(
    {
        "Bedfordshire",
        "British Transport Police",
        "Cumbria",
        "Dyfed-Powys",
        "Hertfordshire",
        "Leicestershire",
        "Metropolitan Police",
        "South Yorkshire",
    }
)


class ForceKind(StrEnum):
    TERRITORIAL = "territorial"  # one of the 43 forces with an area of England and Wales
    TRANSPORT = "transport"  # British Transport Police
    FRAUD = "fraud"  # Action Fraud and the other bodies that record fraud centrally


@dataclass(frozen=True)
class Force:
    force: str
    display_name: str
    kind: ForceKind
    region: str
    country: str
    aliases: tuple[str, ...]


class LocalArea(TypedDict):
    """A row of local_areas.csv."""

    name: str
    force: str
    understated: str  # the Home Office says its total is understated: "true" | "false"


class OutcomeType(TypedDict):
    """A row of outcome_types.csv."""

    outcome_type: str  # '1', '3', '14', ...
    short_name: str
    description: str
    outcome_group: str


class SeedOffence(TypedDict):
    """A row of offences.csv: an offence code and its place in the Home Office's groups."""

    offence_code: str
    offence: str
    subgroup: str
    offence_group: str
    note: str


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@cache
def forces() -> tuple[Force, ...]:
    return tuple(
        Force(
            force=row["force"],
            display_name=row["display_name"],
            kind=ForceKind(row["kind"]),
            region=row["region"],
            country=row["country"],
            aliases=tuple(a.strip() for a in row["aliases"].split(";") if a.strip()),
        )
        for row in _rows("forces.csv")
    )


def name_key(name: str) -> str:
    """Loose key for a force spelling: case, '&', punctuation and 'Police' do not matter."""
    text = name.lower().replace("&", " and ")
    text = re.sub(r"[^a-z0-9]+", " ", text)
    text = re.sub(r"\b(police|constabulary|service|force)\b", " ", text)
    return " ".join(text.split())


@cache
def force_spellings() -> dict[str, str]:
    """Every known spelling (as a name_key) -> canonical force name."""
    spellings: dict[str, str] = {}
    for force in forces():
        for name in (force.force, force.display_name, *force.aliases):
            spellings[name_key(name)] = force.force
    return spellings


def canonical_force(name: str) -> str | None:
    return force_spellings().get(name_key(name))


@cache
def local_areas() -> tuple[LocalArea, ...]:
    """Local authority areas with a Community Safety Partnership total: name, force, and
    whether the Home Office says its total is understated (bot/ingest/local_areas.py)."""
    return tuple(cast(LocalArea, row) for row in _rows("local_areas.csv"))


@cache
def force_by_name() -> dict[str, Force]:
    return {force.force: force for force in forces()}


@cache
def outcome_types() -> tuple[OutcomeType, ...]:
    return tuple(cast(OutcomeType, row) for row in _rows("outcome_types.csv"))


@cache
def seed_offences() -> tuple[SeedOffence, ...]:
    return tuple(cast(SeedOffence, row) for row in _rows("offences.csv"))


def normalise_outcome_type(value: object) -> str:
    """'1', 1, 1.0 and ' 1a ' are all outcome type '1'/'1A' as printed by the Home Office."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip().upper()
    text = re.sub(r"^(OUTCOME\s*)?(TYPE\s*)?", "", text)
    return text
