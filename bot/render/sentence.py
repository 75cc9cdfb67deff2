"""Findings -> the sentence a reporter could paste into copy, with its figures and source.

The sentences are here; their phrases are in ``phrases``, the figures in ``figures``, a
ranking in ``ranking``, the notes in ``notes`` and the source line in ``releases``."""

from __future__ import annotations

import datetime as dt

from bot.core.periods import MONTHS
from bot.core.plan import Measure
from bot.datastore.manifest import ReleaseEntry
from bot.query.findings import Findings, PlaceFindings, YearFigure
from bot.render import numbers as num
from bot.render.answer import Answer, ChartFacts, ChartKind, Status
from bot.render.figures import answer_figures, series
from bot.render.notes import (
    answer_notes,
    reading_notes,
)
from bot.render.phrases import (
    across_step,
    comparable,
    earlier_phrase,
    offence_phrase,
    outcome_words,
    record_phrase,
    since_phrase,
    subject,
    understood,
)
from bot.render.ranking import ranking
from bot.render.rates import national_rate_sentence, rate_clause
from bot.render.releases import (
    release_phrase,
    source_line,
    sources,
)
from bot.render.style import WORDS, house_style, named
from bot.settings import PercentStyle


def count_sentence(findings: Findings, found: PlaceFindings, style: PercentStyle = WORDS) -> str:
    current = found.current
    text = (
        f"{subject(found.place)} recorded {offence_phrase(findings, current.value)} "
        f"in {findings.period.label()}"
    )
    if findings.plan.per_head:
        return text + rate_clause(found, earlier_phrase(findings)) + "."
    if found.revised_from is not None:
        revision = found.revised_from
        text += (
            f" (revised from {num.count(revision.value)} in "
            f"{release_phrase(revision.release, revision.release_date)})"
        )
    clauses = []
    if found.previous is not None:
        when = earlier_phrase(findings)
        percentage = not across_step(findings, found.previous)
        clauses.append(num.change(current.value, found.previous.value, when, style, percentage))
    record = record_phrase(comparable(findings, found.offences))
    if record:
        clauses.append(record)
    if clauses:
        text += ", " + " and ".join(clauses)
    return text + "."


def outcome_sentence(findings: Findings, found: PlaceFindings, style: PercentStyle = WORDS) -> str:
    """'Thames Valley Police charged or summonsed 13,087 (7.5 per cent) of the 174,087 crimes
    it recorded in the year to March 2024, up from 6.4 per cent the year before.'"""
    outcome = findings.plan.outcome
    assert outcome is not None
    outcomes, offences = found.outcomes[0].value, found.current.value
    counted = offence_phrase(findings, offences)
    when = findings.period.label()
    text = outcome_words(found.place, counted, outcomes, offences, when, outcome, style)
    return text + outcome_change(findings, found, style) + "."


def outcome_change(findings: Findings, found: PlaceFindings, style: PercentStyle = WORDS) -> str:
    """', down from 8.1 per cent the year before', or both figures when the counts are small;
    '' when there is no earlier share."""
    if len(found.outcomes) < 2 or found.previous is None:
        return ""
    outcomes, offences = found.outcomes[0].value, found.current.value
    when = earlier_phrase(findings)
    before = num.rate_text(found.outcomes[1].value, found.previous.value, style)
    if offences < num.SMALL_COUNT or found.previous.value < num.SMALL_COUNT:
        now = num.rate_text(outcomes, offences, style)
        return f" ({when.name}: {before}; now {now})"
    then_rate = found.outcomes[1].value / found.previous.value
    now_rate = outcomes / offences
    if f"{now_rate:.3f}" == f"{then_rate:.3f}":
        return f", the same share as {when.name} ({before})"
    word = "down from" if now_rate < then_rate else "up from"
    return f", {word} {before} {when}"


def national_sentence(findings: Findings, style: PercentStyle = WORDS) -> str:
    national = findings.national
    if national is None:
        return ""
    if findings.plan.per_head:
        return national_rate_sentence(findings)
    if findings.plan.outcome is not None and national.outcomes:
        outcomes, offences = national.outcomes[0].value, national.current.value
        return (
            f"Across England and Wales, {num.share(outcomes, offences, style)} of the "
            f"{offence_phrase(findings, offences)} recorded in the same period resulted in "
            f"{findings.plan.outcome.label}."
        )
    counted = offence_phrase(findings, national.current.value)
    text = f"Across England and Wales, police recorded {counted} in the same period"
    if national.previous is not None:
        when = earlier_phrase(findings)
        percentage = not across_step(findings, national.previous)
        now, before = national.current.value, national.previous.value
        text += ", " + num.change(now, before, when, style, percentage)
    return text + "."


def record_answer(figures: list[YearFigure]) -> str:
    if len(figures) < 3:
        return "The data holds too few comparable years to say whether this is a record."
    now = figures[0].value
    best = max(figures[1:], key=lambda f: f.value)
    if now > best.value:
        years = num.words(len(figures))
        return f"Yes: the latest figure is the highest in the {years} years of comparable figures."
    since = since_phrase(figures)
    return (
        f"No: the highest was {num.count(best.value)} in {best.period.label()}"
        + (f"; the latest is {since}" if since else "")
        + "."
    )


def trend_sentence(findings: Findings, found: PlaceFindings) -> str:
    figures = found.offences
    if len(figures) < 2:
        return ""
    first = figures[-1]
    years = len(figures) - 1
    ago = f"{num.words(years)} year{'s' if years > 1 else ''} earlier"
    if years <= 10:  # 'Nine years earlier, in …'; never a sentence opening on '12'
        text = f"{ago.capitalize()}, in {first.period.label()}, "
    else:
        text = f"In {first.period.label()}, {ago}, "
    text += f"the figure was {num.count(first.value)}"
    multiple = num.times(figures[0].value, first.value)
    if multiple and comparable(findings, figures) == figures:
        text += f": the latest is {multiple} as high"
    return text + "."


def _sentences(findings: Findings, style: PercentStyle) -> tuple[list[str], ChartKind]:
    """The sentences of an answer about one place (and England and Wales), and its chart."""
    plan = findings.plan
    found = findings.places[0]
    sentences, chart = [], ChartKind.NONE
    if plan.outcome is not None:
        sentences.append(outcome_sentence(findings, found, style))
    else:
        if plan.measure is Measure.RECORD:
            sentences.append(record_answer(comparable(findings, found.offences)))
        sentences.append(count_sentence(findings, found, style))
        if plan.measure in (Measure.TREND, Measure.RECORD):
            sentences.append(trend_sentence(findings, found))
            chart = ChartKind.TREND
    national = national_sentence(findings, style)
    if national:
        sentences.append(national)
    return sentences, chart


def render(
    findings: Findings,
    manifest: list[ReleaseEntry],
    today: dt.date | None = None,
    style: PercentStyle | None = None,
) -> Answer:
    """``style``: per cent in words or as a symbol; the house style when not given."""
    plan = findings.plan
    style = house_style(style)
    match plan.measure:
        case Measure.RANK:
            sentences, figures = ranking(findings, manifest, style)
            chart = ChartKind.RANKING
        case Measure.COMPARE:
            sentences = [
                outcome_sentence(findings, found, style)
                if plan.outcome
                else count_sentence(findings, found, style)
                for found in findings.places
            ]
            figures = answer_figures(findings, manifest)
            chart = ChartKind.COMPARISON
        case _:
            sentences, chart = _sentences(findings, style)
            figures = answer_figures(findings, manifest)
    return Answer(
        status=Status.ANSWER,
        title=_title(findings, chart),
        chart_facts=_chart_facts(findings, manifest),
        text=" ".join(sentences),
        understood=understood(plan, findings.period, reading_notes(findings)),
        figures=figures,
        notes=answer_notes(findings, manifest, today),
        source=source_line(findings.releases, findings.period, manifest),
        sample=findings.sample,
        series=series(findings) if chart in (ChartKind.TREND, ChartKind.COMPARISON) else [],
        chart=chart,
    )


def _chart_facts(findings: Findings, manifest: list[ReleaseEntry]) -> ChartFacts:
    counted = offence_phrase(findings)
    return ChartFacts(
        counted[0].upper() + counted[1:],
        findings.period.label(),
        sources(findings.releases, manifest),
    )


def _title(findings: Findings, chart: ChartKind) -> str:
    counted = offence_phrase(findings)
    counted = counted[0].upper() + counted[1:]
    if chart is ChartKind.TREND:
        place = named(findings.places[0].place.label)
        span = (
            "twelve" if findings.period.quarters == 4 else num.words(findings.period.quarters * 3)
        )
        month = MONTHS[findings.period.end.end_month - 1]
        return f"{counted} recorded by {place}, {span} months to {month} each year"
    if chart is ChartKind.COMPARISON:
        return f"{counted} recorded in {findings.period.label()}"
    return ""
