"""The phrases sentences are built from: what was counted, who recorded it, the earlier period,
a record, and how the question was read."""

from __future__ import annotations

from dataclasses import replace

from bot.core.periods import MONTHS, Period, financial_year_label
from bot.core.plan import (
    CHARGE,
    Measure,
    OffenceSelection,
    OutcomeSelection,
    PeriodKind,
    PeriodSpec,
    Place,
    QueryPlan,
    RankOrder,
)
from bot.core.reference import ForceKind, force_by_name
from bot.query.findings import Findings, YearFigure
from bot.query.findings.model import ClassificationChange, RecordingStep
from bot.render import numbers as num
from bot.render.style import WORDS, named
from bot.settings import PercentStyle


def offence_phrase(findings: Findings, n: int | None = None) -> str:
    return offences_phrase(findings.offence.selection, n)


def offences_phrase(selection: OffenceSelection, n: int | None = None) -> str:
    """'9,632 harassment offences', '1 stalking offence', 'crimes' style wording for the
    selection counted; never '5,176 vehicle crime'."""
    label = selection.label
    counted = f"{num.count(n)} " if n is not None else ""
    if selection.level == "all":
        text = "crimes"
    elif label.startswith("fraud: "):  # 'fraud: action fraud': the body is the place already
        text = "fraud offences"
    elif label.endswith(("offences", "crimes")):
        text = label
    elif label.endswith(" crime"):
        text = label.removesuffix("crime") + "offences"
    else:
        text = f"{label} offences"
    if n == 1:
        text = text.removesuffix("s")
    return counted + text


def is_police(place: Place) -> bool:
    """A place made of police forces: not Action Fraud or the other bodies that record fraud
    centrally ('recorded by Action Fraud', never 'police forces recorded … fraud')."""
    found = force_by_name()
    return place.kind != "fraud" and not any(
        name in found and found[name].kind is ForceKind.FRAUD for name in place.forces
    )


def subject(place: Place) -> str:
    """Who recorded it, at the start of a sentence: 'The Metropolitan Police', 'Police in
    Westminster', 'Police forces in Wales', 'Action Fraud'."""
    if place.kind == "force" or not is_police(place):
        return named(place.label, start=True)
    if place.kind == "local":
        return f"Police in {place.label}"
    return f"Police forces in {place.label}"


def recorded_by(place: Place) -> str:
    """After 'crimes': 'the Metropolitan Police recorded', 'recorded in Wales'."""
    if place.kind == "force" or not is_police(place):
        return f"{named(place.label)} recorded"
    return f"recorded in {place.label}"


def outcome_words(
    place: Place,
    counted: str,
    outcomes: int,
    offences: int,
    when: str,
    outcome: OutcomeSelection,
    style: PercentStyle = WORDS,
) -> str:
    """'Thames Valley Police charged or summonsed 13,087 (7.5 per cent) of the 174,087 crimes
    it recorded in the year to March 2024', or 'Of the 9,632 harassment offences recorded in
    Wales in …, 301 (3.1 per cent) resulted in …': never a sentence that opens on a figure.
    ``counted``: the offences with their number ('174,087 crimes')."""
    small = offences < num.SMALL_COUNT
    part = num.count(outcomes) if small else num.share(outcomes, offences, style)
    if outcome.types == CHARGE.types and place.kind == "force" and is_police(place):
        return (
            f"{subject(place)} charged or summonsed {part} of the {counted} it recorded in {when}"
        )
    return f"Of the {counted} {recorded_by(place)} in {when}, {part} resulted in {outcome.label}"


def understood(
    plan: QueryPlan, period: Period | None, notes: tuple[str, ...] = (), measure: str = ""
) -> str:
    """'I read this as: count · harassment · Thames Valley · year to September 2023', with
    any notes on the reading in brackets; ``measure`` names what is given instead of the
    plan's measure ('story draft')."""
    parts = [
        measure or (plan.outcome.name if plan.outcome else plan.measure.value),
        plan.offence.label,
        " and ".join(p.label for p in plan.places) or "all forces",
    ]
    if plan.measure is Measure.RANK and not measure:
        if plan.by_change and not plan.outcome:
            biggest = "rise" if plan.rank_order is RankOrder.HIGHEST else "fall"
            parts[0] = f"rank (biggest {biggest} in offences)"
        else:
            ranked_by = (
                plan.outcome.name
                if plan.outcome
                else "rate per 1,000 residents"
                if plan.per_head
                else "number of offences"
            )
            parts[0] = f"rank ({plan.rank_order} {ranked_by})"
    if plan.per_head and not (plan.measure is Measure.RANK and not measure):
        parts.insert(1, "per 1,000 residents")  # a ranking's label says it already
    parts.append(period.label(article=False) if period else period_asked(plan.period))
    text = "I read this as: " + " · ".join(parts)
    return text + (" (" + "; ".join(notes) + ")" if notes else "")


def comparable(findings: Findings, figures: list[YearFigure]) -> list[YearFigure]:
    """The years on the latest's side of a step in how the offence is recorded, or of the
    last offence codes to begin (all of them when there is neither): a record, or a long
    change, is claimed only among these."""
    change = findings.offence.comparability
    if isinstance(change, RecordingStep):
        since = change.quarter
    elif isinstance(change, ClassificationChange):
        since = max(code.first_quarter for code in change.late)
    else:
        return figures
    return [f for f in figures if f.period.first_index >= since]


def across_step(findings: Findings, earlier: YearFigure) -> bool:
    """Whether a step in how the offence is recorded lies between ``earlier`` and the latest
    figure: a percentage change across it would be a headline the figures cannot bear."""
    step = findings.offence.comparability
    return isinstance(step, RecordingStep) and earlier.period.first_index < step.quarter


def record_phrase(figures: list[YearFigure]) -> str:
    """'the highest in the ten years of comparable figures', or 'the highest since …'."""
    if len(figures) < 3:
        return ""
    now = figures[0].value
    earlier = [f.value for f in figures[1:]]
    years = num.words(len(figures))
    if now > max(earlier):
        return f"the highest in the {years} years of comparable figures"
    if now < min(earlier):
        return f"the lowest in the {years} years of comparable figures"
    return ""


def since_phrase(figures: list[YearFigure]) -> str:
    """'the highest since the year to March 2019': only for a rise on the year before."""
    now = figures[0].value
    if len(figures) < 3 or now <= figures[1].value:
        return ""
    for figure in figures[2:]:
        if figure.value >= now:
            return f"the highest since {figure.period.label()}"
    return ""


def earlier_phrase(findings: Findings) -> num.Earlier:
    """How the second figure's period is named: 'the year before', or 'in the year to March
    2016' when two periods were asked for, or the same quarter a year earlier."""
    if findings.versus is not None:
        return num.Earlier(findings.versus.label(), "in")
    if findings.period.quarters == 1:
        return num.Earlier("the same quarter a year earlier", "in")
    return num.YEAR_BEFORE


def period_asked(spec: PeriodSpec) -> str:
    """A period as asked, before it is resolved: 'the year to September 2023', 'since 2015'."""
    if spec.quarters == 1:
        if spec.kind is PeriodKind.LATEST:
            return "the latest quarter"
        if spec.kind is PeriodKind.YEAR_TO and not spec.years_back:
            return f"the quarter ending {MONTHS[(spec.month or 1) - 1]} {spec.year}"
        return f"the quarter ending {period_asked(replace(spec, quarters=4))}"
    if spec.years_back:
        back = "the year before" if spec.years_back == 1 else f"{spec.years_back} years before"
        return f"{back} {period_asked(replace(spec, years_back=0))}"
    match spec.kind:
        case PeriodKind.YEAR_TO:
            return f"the year to {MONTHS[(spec.month or 1) - 1]} {spec.year}"
        case PeriodKind.FINANCIAL_YEAR:
            return f"financial year {financial_year_label(spec.year or 0)}"
        case PeriodKind.CALENDAR_YEAR:
            return f"{spec.year}"
        case PeriodKind.SINCE:
            return f"since {spec.year}"
    return "the latest year"
