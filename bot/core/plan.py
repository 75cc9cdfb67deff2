"""The typed query plan: what a question asks for, before any data is read."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from enum import StrEnum
from typing import Any


class PlaceKind(StrEnum):
    """What a place is made of: one force, forces grouped by geography, or a body of its own."""

    FORCE = "force"
    REGION = "region"
    COUNTRY = "country"
    NATIONAL = "national"  # England and Wales: the 43 territorial forces
    LOCAL = "local"  # a local authority area (Community Safety Partnership) inside one force
    FRAUD = "fraud"  # Action Fraud and the other bodies that record fraud centrally


# A ranking naming one of these ranks the forces in it ("which force in the North West …").
AREAS_RANKED_WITHIN = (PlaceKind.REGION, PlaceKind.COUNTRY)


class OffenceLevel(StrEnum):
    OFFENCE = "offence"  # keys are offence codes
    SUBGROUP = "subgroup"  # keys are subgroup names
    GROUP = "group"  # keys are offence group names
    ALL = "all"  # all crime: no keys


class PeriodKind(StrEnum):
    LATEST = "latest"
    YEAR_TO = "year_to"
    FINANCIAL_YEAR = "financial_year"
    CALENDAR_YEAR = "calendar_year"
    SINCE = "since"


class RankOrder(StrEnum):
    HIGHEST = "highest"
    LOWEST = "lowest"


class Measure(StrEnum):
    COUNT = "count"
    CHANGE = "change"
    OUTCOME_SHARE = "outcome share"
    TREND = "trend"
    RECORD = "record"
    RANK = "rank"
    COMPARE = "comparison"
    NATIONAL = "national figure"


@dataclass(frozen=True)
class Place:
    """A force, or an area made of forces (a region, a country, England and Wales)."""

    name: str
    kind: PlaceKind
    forces: tuple[str, ...]
    display_name: str = ""

    def __post_init__(self) -> None:
        # Callers (and plans saved as JSON) may give the kind as its string.
        object.__setattr__(self, "kind", PlaceKind(self.kind))

    @property
    def label(self) -> str:
        return self.display_name or self.name


@dataclass(frozen=True)
class OffenceSelection:
    """An offence code, subgroup, group, a named set of them, or all crime.

    ``keys`` are offence codes for level "offence" and names for "subgroup"
    and "group"; a set combines keys of one level under a reporter's word.
    """

    level: OffenceLevel
    keys: tuple[str, ...]
    label: str
    note: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "level", OffenceLevel(self.level))


@dataclass(frozen=True)
class OutcomeSelection:
    types: tuple[str, ...]
    label: str  # "a charge or summons"
    name: str  # "charge rate"


ALL_CRIME = OffenceSelection(OffenceLevel.ALL, (), "all crime")
CHARGE = OutcomeSelection(("1",), "a charge or summons", "charge rate")


@dataclass(frozen=True)
class PeriodSpec:
    """A period as asked; resolved against the quarters the data holds."""

    kind: PeriodKind
    year: int | None = None
    month: int | None = None
    years_back: int = 0  # "and the year before?" shifts the period asked for
    quarters: int = 4  # 1: a single quarter ("Q3 2024/25", "October to December 2024")

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", PeriodKind(self.kind))

    def earlier(self) -> PeriodSpec:
        return replace(self, years_back=self.years_back + 1)


LATEST = PeriodSpec(PeriodKind.LATEST)


class ReadAs(StrEnum):
    """How the parser read something the question did not say exactly."""

    CLOSE_WORD = "close word"  # 'burgalry' read as burglary
    TOWN = "town"  # Reading: the Thames Valley Police area
    FY = "fy"  # 'FY25' read as 2024/25
    OFFENCE = "offence"  # the offence's own note in vocabulary.toml (what it counts)


@dataclass(frozen=True)
class ReadingNote:
    """A note on how a question was read; ``render.notes`` words it."""

    kind: ReadAs
    said: str = ""  # the words as asked ('burgalry', 'reading', '25')
    meant: str = ""  # what they were read as (a label; an offence note's text)
    year: int | None = None  # FY: the financial year's first year

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", ReadAs(self.kind))


@dataclass(frozen=True)
class QueryPlan:
    measure: Measure
    places: tuple[Place, ...]
    offence: OffenceSelection
    period: PeriodSpec = LATEST
    outcome: OutcomeSelection | None = None
    rank_order: RankOrder = RankOrder.HIGHEST
    rank_limit: int = 5
    notes: tuple[ReadingNote, ...] = field(default=())
    per_head: bool = False  # offences per 1,000 residents, beside the count
    by_change: bool = False  # a ranking by the change on the year before ("biggest rise")
    years: int | None = None  # a trend over this many years ("5-year trend"), not ten
    versus: PeriodSpec | None = None  # the earlier period of a two-period comparison

    def __post_init__(self) -> None:
        object.__setattr__(self, "rank_order", RankOrder(self.rank_order))

    def with_changes(self, **changes: Any) -> QueryPlan:
        return replace(self, **changes)


PlanJSON = dict[str, Any]  # plan_to_dict's form: json.dumps writes its StrEnums as strings


def plan_to_dict(plan: QueryPlan) -> PlanJSON:
    """JSON-safe form, so a thread's last question survives a restart."""
    data = asdict(plan)
    data["measure"] = plan.measure.value
    return data


def _reading_note(data: dict[str, Any] | str) -> ReadingNote:
    """A stored note; plans saved before notes were typed kept the words themselves."""
    if isinstance(data, str):
        return ReadingNote(ReadAs.OFFENCE, meant=data)
    return ReadingNote(**data)


def plan_from_dict(data: PlanJSON) -> QueryPlan:
    outcome = data.get("outcome")
    return QueryPlan(
        measure=Measure(data["measure"]),
        places=tuple(
            Place(p["name"], p["kind"], tuple(p["forces"]), p.get("display_name", ""))
            for p in data["places"]
        ),
        offence=OffenceSelection(
            data["offence"]["level"],
            tuple(data["offence"]["keys"]),
            data["offence"]["label"],
            data["offence"].get("note", ""),
        ),
        period=PeriodSpec(**data["period"]),
        outcome=OutcomeSelection(tuple(outcome["types"]), outcome["label"], outcome["name"])
        if outcome
        else None,
        rank_order=RankOrder(data.get("rank_order", RankOrder.HIGHEST)),
        rank_limit=data.get("rank_limit", 5),
        notes=tuple(_reading_note(note) for note in data.get("notes", ())),
        per_head=bool(data.get("per_head", False)),
        by_change=bool(data.get("by_change", False)),
        years=data.get("years"),
        versus=PeriodSpec(**data["versus"]) if data.get("versus") else None,
    )
