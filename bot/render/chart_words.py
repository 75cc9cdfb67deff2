"""A chart's words: the title that states the finding, the subtitle with the measure and the
period, the footer with the source, and the alt text with the numbers (``bot.render.chart``
draws the bars)."""

from __future__ import annotations

from typing import NamedTuple

from bot.core.periods import MONTHS
from bot.render import numbers as num
from bot.render.answer import PER_1000, Answer, Figure, SeriesPoint
from bot.render.style import named


class ChartWords(NamedTuple):
    title: str  # the finding
    subtitle: str  # the measure and the period
    footer: str  # source, release and date
    alt_text: str  # the numbers, for a screen reader


def period_of(answer: Answer) -> str:
    """'the year to December 2025'."""
    return answer.chart_facts.period if answer.chart_facts else ""


def footer(answer: Answer) -> str:
    """'Source: Home Office, …, 23 April 2026 release. Chart: crimebot'."""
    source = answer.chart_facts.source if answer.chart_facts else "Source: Home Office"
    return f"{source}. Chart: crimebot"


def _counted(answer: Answer) -> str:
    """'Harassment offences'."""
    return answer.chart_facts.counted if answer.chart_facts else "Offences"


def year_of(point: SeriesPoint) -> str:
    return str(point.end_year)


def first_place_points(answer: Answer) -> list[SeriesPoint]:
    first = answer.series[0].place
    return [p for p in answer.series if p.place == first]


def trend_words(answer: Answer) -> ChartWords:
    points = first_place_points(answer)
    place, latest, values = points[0].place, points[-1], [p.value for p in points]
    span = num.words(len(points))
    if len(points) >= 3 and latest.value > max(values[:-1]):
        finding = f"hit a {span}-year high"
    elif len(points) >= 3 and latest.value < min(values[:-1]):
        finding = f"fell to a {span}-year low"
    elif len(points) >= 2 and values[-2] and values[-2] >= num.SMALL_COUNT:
        change = (latest.value - values[-2]) / values[-2] * 100
        finding = f"{'rose' if change > 0 else 'fell'} {abs(change):.1f}% in the latest year"
    else:
        finding = f"{num.count(latest.value)} in the latest year"
    title = f"{_counted(answer)} recorded by {named(place)} {finding}"
    month = MONTHS[latest.end_month - 1]
    subtitle = (
        f"Offences recorded in the twelve months to {month} each year, "
        f"{year_of(points[0])} to {year_of(latest)}"
    )
    listed = "; ".join(f"{year_of(p)}: {num.count(p.value)}" for p in points)
    alt = (
        f"Bar chart. {title}. {subtitle}. {listed}. The latest, {latest.period}, is "
        f"{num.count(latest.value)}, against {num.count(values[0])} in {points[0].period}."
    )
    return ChartWords(title, subtitle, footer(answer), alt)


def comparison_words(answer: Answer) -> ChartWords:
    places = list(dict.fromkeys(p.place for p in answer.series))
    by_place = {place: [p for p in answer.series if p.place == place] for place in places}
    moves = []
    for place in places:
        points = by_place[place]
        if len(points) >= 2 and points[-1].value != points[-2].value:
            moves.append((place, "rose" if points[-1].value > points[-2].value else "fell"))
    counted = _counted(answer)
    directions = {direction for _, direction in moves}
    if moves and len(directions) == 1 and len(moves) == len(places):
        title = f"{counted} recorded by {_and([named(p) for p in places])} {directions.pop()}"
    elif moves:
        title = f"{counted} " + " but ".join(
            f"{direction} in {_and([named(p) for p, d in moves if d == direction])}"
            for direction in ("rose", "fell")
            if direction in directions
        )
        title = title.replace(" in ", " for ")
    else:
        top = max(places, key=lambda place: by_place[place][-1].value)
        title = f"{counted}: {named(top, start=True)} recorded the most"
    period = period_of(answer) or by_place[places[0]][-1].period
    subtitle = f"Offences recorded in {period} and the year before"
    listed = "; ".join(
        f"{place}: "
        + ", ".join(f"{num.count(p.value)} in {p.period}" for p in by_place[place])
        + _percent(by_place[place])
        for place in places
    )
    alt = f"Bar chart. {title}. {subtitle}. {listed}."
    return ChartWords(title, subtitle, footer(answer), alt)


def ranking_words(answer: Answer, ranked: list[Figure]) -> ChartWords:
    top = ranked[0]
    per_head = top.unit == PER_1000
    period = period_of(answer)
    measure = (
        f"{top.offence} offences per 1,000 residents" if per_head else f"{top.offence} offences"
    )
    leader = named(top.place, start=True)
    if per_head:
        title = f"{leader} recorded the highest {top.offence} rate per 1,000 residents"
    else:
        title = f"{leader} recorded the most {top.offence} offences"
    subtitle = f"{measure.capitalize()}, {period}, the {num.words(len(ranked))} highest forces"
    listed = "; ".join(f"{f.label}: {value_text(f)}" for f in ranked)
    alt = f"Bar chart. {title}. {subtitle}. {listed}."
    return ChartWords(title, subtitle, footer(answer), alt)


def _percent(points: list[SeriesPoint]) -> str:
    if len(points) < 2 or points[-2].value < num.SMALL_COUNT:
        return ""
    return f" ({num.signed((points[-1].value - points[-2].value) / points[-2].value * 100)})"


def short_period(point: SeriesPoint) -> str:
    """'year to Dec 2024', 'quarter to Dec 2024', '6 months to Dec 2024'."""
    span = {1: "quarter", 4: "year"}.get(point.quarters, f"{point.quarters * 3} months")
    return f"{span} to {MONTHS[point.end_month - 1][:3]} {point.end_year}"


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def value_text(figure: Figure) -> str:
    if figure.unit == PER_1000:
        return f"{figure.value:,.1f}"
    return num.count(int(figure.value))
