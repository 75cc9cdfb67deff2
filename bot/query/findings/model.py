"""The findings an answer is written from: figures, and typed facts about them (what was
counted, why earlier years may not compare). No words: ``bot.render`` writes those."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from bot.core.periods import Period
from bot.core.plan import OffenceSelection, Place, QueryPlan
from bot.query.rates import Population

SERIES_YEARS = 10
SMALL_COUNT = 50  # below this, shares are given as "3 of 12", never as a percentage


@dataclass(frozen=True)
class YearFigure:
    period: Period
    value: int
    sample: bool
    releases: tuple[str, ...] = ()  # the releases its quarters came from
    table: str = "recorded"  # the table it was summed from


class Basis(StrEnum):
    """Where a count comes from, which decides how "what was counted" is described."""

    ALL_CRIME = "all crime"  # every offence code in the quarterly tables
    OFFENCES = "offences"  # named offence codes
    GROUPS = "groups"  # every code of some subgroups or groups
    ANNUAL_TOTALS = "annual totals"  # the annual force totals: no offence detail
    LOCAL_TOTALS = "local totals"  # the Community Safety Partnership totals


@dataclass(frozen=True)
class CountedCode:
    name: str  # the offence, in the data's own words
    code: str


@dataclass(frozen=True)
class Counted:
    """What was counted, in the data's own words."""

    basis: Basis
    codes: tuple[CountedCode, ...] = ()  # Basis.OFFENCES: each code counted
    groups: tuple[str, ...] = ()  # Basis.GROUPS: the subgroups' or groups' names, sorted
    level: str = ""  # Basis.GROUPS: "subgroup" or "group"
    code_count: int = 0  # Basis.GROUPS: how many offence codes they hold


@dataclass(frozen=True)
class LateCode:
    """An offence code first counted after the start of the series."""

    code: str
    first_quarter: int  # quarter index
    name: str = ""  # the offence's name, looked up only when the code is named


@dataclass(frozen=True)
class ClassificationChange:
    """Some of the codes counted begin after the series does, so earlier years are not
    directly comparable."""

    codes: int  # offence codes counted in all
    late: tuple[LateCode, ...]


class Note(StrEnum):
    """A fact about the figures that a reader must be told."""

    INCOMPLETE_2014_15_OUTCOMES = "incomplete 2014/15 outcomes"


@dataclass(frozen=True)
class RecordingStep:
    """England and Wales's count jumped (or dropped) in one quarter inside the years compared
    and stayed there: more likely a change in how the offence is recorded than in crime."""

    quarter: int  # quarter index of the first quarter at the new level
    before: int  # England and Wales's offences the quarter before
    after: int  # and in that quarter
    part: str = ""  # the offence counted here that stepped, when not the whole selection


Comparability = ClassificationChange | Note | RecordingStep


@dataclass(frozen=True)
class ResolvedOffence:
    selection: OffenceSelection
    codes: tuple[str, ...]
    counted: Counted
    comparability: Comparability | None = None


@dataclass(frozen=True)
class Revision:
    """What an earlier loaded release said for the same figure."""

    value: int
    release: str
    release_date: dt.date | None


@dataclass
class PlaceFindings:
    place: Place
    offences: list[YearFigure]  # [0] is the period asked, [1] the year before, ...
    outcomes: list[YearFigure] = field(default_factory=list)
    revised_from: Revision | None = None
    revised_before: Revision | None = None  # the same, for the year before's figure
    releases: set[str] = field(default_factory=set)
    population: list[Population | None] = field(default_factory=list)  # beside offences[i]

    @property
    def current(self) -> YearFigure:
        return self.offences[0]

    @property
    def previous(self) -> YearFigure | None:
        return self.offences[1] if len(self.offences) > 1 else None


@dataclass(frozen=True)
class RankRow:
    force: str
    offences: int
    outcomes: int | None
    sample: bool
    residents: Population | None = None
    before: int | None = None  # the same period a year earlier, for a ranking by change

    @property
    def change(self) -> float | None:
        """The change on the year before, as a fraction (0.25 = up a quarter)."""
        if self.before is None or self.before <= 0:
            return None
        return (self.offences - self.before) / self.before

    @property
    def per_1000(self) -> float | None:
        return self.residents.per_1000(self.offences) if self.residents else None

    @property
    def rate(self) -> float | None:
        if self.outcomes is None or self.offences <= 0:
            return None
        return self.outcomes / self.offences


@dataclass(frozen=True)
class InForceArea:
    """A local area answered with the figures of the force area that covers it."""

    local: Place
    force: Place


@dataclass
class Findings:
    plan: QueryPlan
    period: Period
    offence: ResolvedOffence
    places: list[PlaceFindings]
    national: PlaceFindings | None = None
    ranking: list[RankRow] = field(default_factory=list)
    latest_outcome_quarter: int | None = None
    ranking_releases: set[str] = field(default_factory=set)
    unranked: int = 0  # forces left out of a ranking by share: too few offences
    annual: bool = False  # from the annual force totals, not the quarterly tables
    set_aside: list[RankRow] = field(default_factory=list)  # ranked apart (City of London)
    versus: Period | None = None  # the earlier period of a two-period comparison
    in_force_area: tuple[InForceArea, ...] = ()  # local areas answered for their force area

    @property
    def sample(self) -> bool:
        """Whether any figure an answer may print (a trend prints every year) is sample."""
        figures = [f for p in self.all_places() for f in (*p.offences, *p.outcomes)]
        return any(f.sample for f in figures) or any(r.sample for r in self.ranking)

    def all_places(self) -> list[PlaceFindings]:
        return self.places + ([self.national] if self.national else [])

    @property
    def releases(self) -> set[str]:
        return self.ranking_releases.union(*(p.releases for p in self.all_places()))

    @property
    def outcomes_recent(self) -> bool:
        """Whether the outcomes of this period are still coming in: it ends within two
        years of the latest quarter outcomes are published for."""
        latest = self.latest_outcome_quarter
        return latest is not None and self.period.last_index > latest - 8
