"""Why the data cannot answer, in words: one sentence (or two) for each typed refusal."""

from __future__ import annotations

from collections.abc import Callable

from bot.core.periods import MONTHS, Period, Quarter
from bot.core.plan import PeriodSpec
from bot.query.errors import OutcomesLoaded, Reason, Refusal, Unanswerable
from bot.render.style import named

LOAD_OUTCOMES = "Load the full outcome tables with `python -m bot ingest --download`."
NO_RATE = "rate per 1,000 residents"


def refusal_text(refusal: Refusal | Unanswerable) -> str:
    """The reply's text for a refusal (or for the Unanswerable carrying one)."""
    if isinstance(refusal, Unanswerable):
        refusal = refusal.refusal
    return _WORDS[refusal.reason](refusal)


def _label(period: Period | None) -> str:
    assert period is not None
    return period.label()


def _place(refusal: Refusal) -> str:
    """The place as a newspaper names it after 'for': 'the Metropolitan Police'."""
    assert refusal.place is not None
    return named(refusal.place.label)


def covered_text(first: int, last: int) -> str:
    """'from the year to March 2013 to the year to December 2025': the rolling years held."""
    earliest = Period(Quarter.from_index(first + 3))
    latest = Period(Quarter.from_index(last))
    return f"from {earliest.label()} to {latest.label()}"


def _asked(spec: PeriodSpec) -> str:
    year = spec.year or 0
    match spec.kind:
        case "financial_year":
            return f"the financial year {year}/{(year + 1) % 100:02d}"
        case "year_to":
            return f"the year to {MONTHS[(spec.month or 1) - 1]} {year}"
    return f"{year}"


def _not_covered(refusal: Refusal) -> str:
    assert refusal.asked is not None and refusal.first is not None and refusal.last is not None
    what = "outcome figures" if refusal.outcomes else "figures"
    return (
        f"The data has no {what} for {_asked(refusal.asked)}. It covers rolling years "
        f"{covered_text(refusal.first, refusal.last)}."
    )


def _no_year_to_month(refusal: Refusal) -> str:
    why = (
        "These figures are published by financial year (the year to March)"
        if refusal.annual
        else "Figures are published by quarter"
    )
    options = [p.label() for p in refusal.nearest]
    return f"{why}, so there is no year to {MONTHS[(refusal.month or 1) - 1]} {refusal.year}." + (
        f" The nearest are {' and '.join(options)}." if options else ""
    )


def _no_offence_outcomes(refusal: Refusal) -> str:
    """What is loaded, and where the outcomes by offence are published."""
    found: OutcomesLoaded | None = refusal.loaded
    assert found is not None
    outcome = found.outcome.label if found.outcome else "outcome"
    if found.annual_years:
        first, last = found.annual_years
        loaded = f"outcomes for all crime by force and financial year ({first} to {last})"
    else:
        loaded = "no outcome figures"
    if found.by_group is not None:
        loaded += f", and by offence group for {found.by_group.label()} (not ranked)"
    what = (
        f"outcome figures for {found.offence.label}, so it cannot say how many resulted in "
        f"{outcome}"
        if found.offence.level != "all"
        else f"figures for crimes resulting in {outcome}"
    )
    return (
        f"The loaded data has no {what}: outcomes by offence are in the Home Office's outcomes "
        f"open data tables, which are not loaded here. It has {loaded}. {LOAD_OUTCOMES}"
    )


def _not_that_far_back(refusal: Refusal) -> str:
    first = refusal.earlier.label() if refusal.earlier else ""
    return f"There are no complete figures for {_place(refusal)} that far back" + (
        f": they start with {first}." if first else "."
    )


def _local_understated(refusal: Refusal) -> str:
    assert refusal.period is not None
    year = Quarter.from_index(refusal.period.last_index).financial_year
    return (
        f"The Home Office says {refusal.force}'s local figures for {year} are understated (some "
        f"crimes were recorded under an 'unassigned' area), so {_place(refusal)}'s total is not "
        "comparable and is not given. Try the force-wide figure:"
    )


_WORDS: dict[Reason, Callable[[Refusal], str]] = {
    Reason.NO_SUCH_OFFENCE: lambda r: f"The data has no offence called {r.label!r}.",
    Reason.NO_LONGER_RECORDED: lambda r: (
        f"No force in England and Wales has recorded {r.label} under its offence codes since "
        f"{Quarter.from_index(r.last or 0).label()} (most likely they were replaced by "
        f"others), so there are no figures for {_label(r.period)}: the data's zeros since "
        "then are not a count."
    ),
    Reason.FRAUD_RECORDED_CENTRALLY: lambda r: (
        "Fraud has been recorded centrally by Action Fraud (with CIFAS and UK Finance), not by "
        f"local police forces, so there are no {r.place.label if r.place else ''} figures for "
        f"{_label(r.period)}."
    ),
    Reason.NO_COMPLETE_FIGURES: lambda r: (
        f"There are no complete figures for {_place(r)} for {_label(r.period)}."
    ),
    Reason.NO_POPULATION_ESTIMATE: lambda r: (
        f"There is no population estimate for {_place(r)} for {_label(r.period)}, so no {NO_RATE}."
    ),
    Reason.NO_OUTCOME_FIGURES: lambda r: (
        f"There are no outcome figures for {_place(r)} for {_label(r.period)}."
    ),
    Reason.DIFFERENT_RELEASES: lambda r: (
        "The loaded offence counts and outcome figures for that period come from different "
        "releases, so their share would not be a published figure."
    ),
    Reason.NO_OFFENCE_OUTCOMES: _no_offence_outcomes,
    Reason.DATA_ENDS_BEFORE: lambda r: (
        f"The data has no figures for {r.year}: it ends with {_label(r.period)}."
    ),
    Reason.PERIODS_DO_NOT_LINE_UP: lambda r: (
        "To compare like with like, both periods must cover the same months of the year: "
        f"{_label(r.period)} and {_label(r.earlier)} do not."
    ),
    Reason.NOT_THAT_FAR_BACK: _not_that_far_back,
    Reason.NO_FORCE_COMPLETE: lambda r: f"No force has complete figures for {_label(r.period)}.",
    Reason.NO_RECORDED_DATA: lambda r: "No recorded crime figures have been loaded.",
    Reason.NO_OUTCOMES_DATA: lambda r: (
        "No outcomes data has been loaded, so there is no charge rate or other outcome figure "
        "to give."
    ),
    Reason.FINANCIAL_YEARS_ONLY: lambda r: (
        "These figures are published by financial year only, not by quarter."
    ),
    Reason.NOT_BACK_TO: lambda r: f"The data does not go back to {_label(r.period)}.",
    Reason.PERIOD_NOT_COVERED: _not_covered,
    Reason.NO_YEAR_TO_MONTH: _no_year_to_month,
    Reason.NO_POPULATION_LOADED: lambda r: (
        f"No population estimates are loaded, so there is no {NO_RATE}."
    ),
    Reason.RATE_OF_A_SHARE: lambda r: f"A {r.label} is a share of offences, not a {NO_RATE}.",
    Reason.RATE_FOR_A_QUARTER: lambda r: (
        "Rates per 1,000 residents are given for a year, not a single quarter."
    ),
    Reason.RATE_AS_SERIES: lambda r: (
        "I give rates per 1,000 residents for one period, not as a series yet."
    ),
    Reason.NO_RESIDENTS: lambda r: (
        f"{_place(r)[0].upper()}{_place(r)[1:]} polices no residential area of its own, so it "
        f"has no {NO_RATE}."
    ),
    Reason.SHARED_FORCE_AREA: lambda r: (
        "Those places share a police force area, and local totals are loaded only for all "
        "crime in 2024/25, so I can't compare them for this question. Ask about each:"
    ),
    Reason.NO_LOCAL_TOTALS: lambda r: "No local area totals are loaded.",
    Reason.LOCAL_YEAR_ONLY: lambda r: (
        f"Local area totals are loaded for the financial year "
        f"{Quarter.from_index(r.first or 0).financial_year} only (all crime excluding fraud)."
    ),
    Reason.NO_LOCAL_TOTAL: lambda r: f"There is no local total for {_place(r)}.",
    Reason.LOCAL_UNDERSTATED: _local_understated,
}
