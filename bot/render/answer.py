"""What every reply carries: the sentence, the figures behind it, how it was read, the source."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

SAMPLE_WARNING = (
    "These figures include SAMPLE data generated for demonstration: they are not official "
    "statistics and must not be published. Load the real Home Office release with "
    "`python -m bot ingest --download`."
)


def sample_warning() -> str:
    """The warning line every reply built on sample data opens with."""
    return f"⚠️ {SAMPLE_WARNING}"


class Status(StrEnum):
    ANSWER = "answer"
    CLARIFICATION = "clarification"


class ChartKind(StrEnum):
    """Which chart an answer comes with (render/chart.py draws it)."""

    NONE = ""
    TREND = "trend"
    COMPARISON = "comparison"
    RANKING = "ranking"


class Unit(StrEnum):
    OFFENCES = "offences"
    OUTCOMES = "outcomes"
    PERCENT = "percent"
    RANK = "rank"
    RESIDENTS = "residents"
    PER_1000 = "per 1,000 residents"


PER_1000 = Unit.PER_1000


@dataclass(frozen=True)
class Provenance:
    """Where a figure came from: the release (its file and publication date) and the table."""

    release: str
    published: str  # ISO date, "" when the release carries none
    table: str


@dataclass(frozen=True)
class Figure:
    label: str
    value: int | float
    unit: Unit
    place: str
    offence: str
    period_start: str
    period_end: str
    sources: tuple[Provenance, ...] = ()
    revised_from: int | None = None  # what an earlier release said
    revised_in: str = ""  # that release

    def __post_init__(self) -> None:
        object.__setattr__(self, "unit", Unit(self.unit))  # a plain string is accepted too

    def shown(self) -> str:
        """The value as printed in a figures list: '9,632', '3.1%', '−11.6%'."""
        if self.unit is Unit.PERCENT:  # a fall with a true minus sign: '−11.6%'
            return f"{self.value:.1f}%".replace("-", "\u2212")
        if self.unit is Unit.PER_1000:
            return f"{self.value:,.1f} per 1,000"
        if isinstance(self.value, int):
            return f"{self.value:,}"
        return str(self.value)


@dataclass(frozen=True)
class SeriesPoint:
    place: str
    period: str
    period_end: str
    value: int
    end_year: int = 0  # of the period's last quarter: charts label by these, not the words
    end_month: int = 0
    quarters: int = 4


@dataclass(frozen=True)
class ChartFacts:
    """What a chart's words need, kept apart so nothing is read back out of the sentences."""

    counted: str  # 'Harassment offences'
    period: str  # 'the year to December 2025'
    source: str  # 'Source: Home Office, …, 23 April 2026 release' (no address, no period)


@dataclass
class Answer:
    """A reply: an answer with figures, or a clarification with suggestions and no figure."""

    status: Status
    text: str
    understood: str = ""
    figures: list[Figure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    source: str = ""
    sample: bool = False
    suggestions: list[str] = field(default_factory=list)
    series: list[SeriesPoint] = field(default_factory=list)
    chart: ChartKind = ChartKind.NONE
    title: str = ""  # a chart title: what is counted, where, over what
    chart_facts: ChartFacts | None = None

    def __post_init__(self) -> None:
        self.status = Status(self.status)  # plain strings are accepted too
        self.chart = ChartKind(self.chart)

    @property
    def is_answer(self) -> bool:
        return self.status is Status.ANSWER

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def plain_text(self) -> str:
        """The whole reply as plain text, for the terminal and Slack's fallback text."""
        parts = [sample_warning()] if self.sample else []
        parts.append(self.text)
        if self.figures and self.is_answer:
            parts.append("\n".join(f"• {f.label}: {f.shown()}" for f in self.figures))
        parts += self.notes
        if self.suggestions:  # after "…, for example:" the list needs no "Try:" of its own
            lead = "" if self.text.rstrip().endswith(":") else "Try: "
            parts.append(lead + " | ".join(f"“{s}”" for s in self.suggestions))
        if self.understood:
            parts.append(self.understood)
        if self.source:
            parts.append(self.source)
        return "\n\n".join(p for p in parts if p)


def clarification(text: str, suggestions: list[str], understood: str = "") -> Answer:
    return Answer(Status.CLARIFICATION, text, understood=understood, suggestions=suggestions)
