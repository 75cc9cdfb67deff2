"""Why the data cannot answer a plan, as typed facts; ``bot.render.refusals`` says it in words."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.core.periods import Period
from bot.core.plan import OffenceSelection, OutcomeSelection, PeriodSpec, Place, QueryPlan


class Reason(StrEnum):
    NO_SUCH_OFFENCE = "no such offence"  # label
    FRAUD_RECORDED_CENTRALLY = "fraud recorded centrally"  # place, period
    NO_COMPLETE_FIGURES = "no complete figures"  # place, period
    NO_POPULATION_ESTIMATE = "no population estimate"  # place, period
    NO_OUTCOME_FIGURES = "no outcome figures"  # place, period
    DIFFERENT_RELEASES = "counts and outcomes from different releases"
    NO_OFFENCE_OUTCOMES = "no outcomes by offence loaded"  # see OutcomesLoaded
    DATA_ENDS_BEFORE = "data ends before the year"  # year, period (the last)
    PERIODS_DO_NOT_LINE_UP = "periods do not line up"  # period, earlier
    NOT_THAT_FAR_BACK = "not that far back"  # place, earlier (the first it has, if any)
    NO_FORCE_COMPLETE = "no force has complete figures"  # period
    NO_RECORDED_DATA = "no recorded crime loaded"
    NO_OUTCOMES_DATA = "no outcomes loaded"
    FINANCIAL_YEARS_ONLY = "published by financial year only"
    NOT_BACK_TO = "data does not go back to"  # period
    PERIOD_NOT_COVERED = "period not covered"  # asked, outcomes, first, last
    NO_YEAR_TO_MONTH = "no year to that month"  # annual, year, month, nearest
    NO_POPULATION_LOADED = "no population estimates loaded"
    RATE_OF_A_SHARE = "an outcome share has no rate per head"  # outcome
    RATE_FOR_A_QUARTER = "no rate for a quarter"
    RATE_AS_SERIES = "no rate as a series"
    NO_RESIDENTS = "no residents"  # place
    SHARED_FORCE_AREA = "local areas share a force area"
    NO_LOCAL_TOTALS = "no local totals loaded"
    LOCAL_YEAR_ONLY = "local totals for one year only"  # first
    NO_LOCAL_TOTAL = "no local total"  # place
    LOCAL_UNDERSTATED = "local figures understated"  # place, force, period
    NO_LONGER_RECORDED = "no longer recorded"  # label, last (its last quarter), period


@dataclass(frozen=True)
class OutcomesLoaded:
    """For NO_OFFENCE_OUTCOMES: the outcome asked, of what, and the outcome figures loaded."""

    outcome: OutcomeSelection | None
    offence: OffenceSelection
    annual_years: tuple[str, str] | None  # first and last financial year, all crime by force
    by_group: Period | None  # the period the outcomes by offence group cover, if loaded


@dataclass(frozen=True)
class Refusal:
    """The reason, and the facts its sentence needs (which ones: see Reason)."""

    reason: Reason
    place: Place | None = None
    period: Period | None = None
    earlier: Period | None = None
    label: str = ""
    force: str = ""  # a force's display name
    year: int | None = None
    month: int | None = None
    asked: PeriodSpec | None = None
    outcomes: bool = False  # outcome figures were asked for
    annual: bool = False  # the annual force totals were asked
    first: int | None = None  # quarter index
    last: int | None = None  # quarter index
    nearest: tuple[Period, ...] = ()
    loaded: OutcomesLoaded | None = None


class Unanswerable(Exception):
    """The data cannot answer the plan as asked; ``refusal`` says why.

    ``periods`` are periods the data does have, offered as "did you mean" buttons;
    ``plans`` are the nearest questions it can answer, offered the same way.
    """

    def __init__(
        self,
        refusal: Refusal | Reason,
        suggestions: tuple[str, ...] = (),
        periods: tuple[PeriodSpec, ...] = (),
        plans: tuple[QueryPlan, ...] = (),
    ) -> None:
        if isinstance(refusal, Reason):
            refusal = Refusal(refusal)
        super().__init__(refusal.reason.value)
        self.refusal = refusal
        self.suggestions = suggestions
        self.periods = periods
        self.plans = plans

    @property
    def reason(self) -> Reason:
        return self.refusal.reason
