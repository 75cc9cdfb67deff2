"""Findings -> the sentence a reporter could paste into copy, with its figures and source.

The sentences are here; their phrases are in ``phrases``, the figures in ``figures``, a
ranking in ``ranking``, the notes in ``notes`` and the source line in ``releases``."""

from __future__ import annotations

import datetime as dt

from bot.core.periods import MONTHS
from bot.core.plan import Measure
from bot.datastore.manifest import ReleaseEntry
from bot.query.findings import Findings, PlaceFindings
from bot.render import numbers as num
from bot.render.answer import Answer, ChartKind, Status
from bot.render.figures import answer_figures, series
from bot.render.notes import (
    answer_notes,
    reading_notes,
)
from bot.render.phrases import (
    earlier_phrase,
    offence_phrase,
    record_phrase,
    recorded_by,
    since_phrase,
    subject,
    understood,
)
from bot.render.ranking import ranking
from bot.render.rates import national_rate_sentence, rate_clause
from bot.render.releases import (
    release_phrase,
    source_line,
)


def count_sentence(findings: Findings, found: PlaceFindings) -> str:
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
        clauses.append(num.change(current.value, found.previous.value, earlier_phrase(findings)))
    record = record_phrase(found.offences)
    if record:
        clauses.append(record)
    if clauses:
        text += ", " + " and ".join(clauses)
    return text + "."


def outcome_sentence(findings: Findings, found: PlaceFindings) -> str:
    outcome = findings.plan.outcome
    assert outcome is not None
    outcomes, offences = found.outcomes[0].value, found.current.value
    text = (
        f"{num.share(outcomes, offences)} of the {offence_phrase(findings, offences)} "
        f"{recorded_by(found.place)} in {findings.period.label()} resulted in {outcome.label}"
    )
    if len(found.outcomes) > 1 and found.previous is not None:
        text += _outcome_change(findings, found)
    return text + "."


def _outcome_change(findings: Findings, found: PlaceFindings) -> str:
    """', down from 8.1% the year before', or both figures when the counts are small."""
    assert found.previous is not None
    outcomes, offences = found.outcomes[0].value, found.current.value
    when = earlier_phrase(findings)
    before = num.rate_text(found.outcomes[1].value, found.previous.value)
    if offences < num.SMALL_COUNT or found.previous.value < num.SMALL_COUNT:
        return f" ({when.name}: {before}; now {num.rate_text(outcomes, offences)})"
    then_rate = found.outcomes[1].value / found.previous.value
    now_rate = outcomes / offences
    if f"{now_rate:.3f}" == f"{then_rate:.3f}":
        return f", the same share as {when.name} ({before})"
    word = "down from" if now_rate < then_rate else "up from"
    return f", {word} {before} {when}"


def national_sentence(findings: Findings) -> str:
    national = findings.national
    if national is None:
        return ""
    if findings.plan.per_head:
        return national_rate_sentence(findings)
    if findings.plan.outcome is not None and national.outcomes:
        outcomes, offences = national.outcomes[0].value, national.current.value
        return (
            f"Across England and Wales, {num.share(outcomes, offences)} of "
            f"{offence_phrase(findings, offences)} recorded in the same period resulted in "
            f"{findings.plan.outcome.label}."
        )
    counted = offence_phrase(findings, national.current.value)
    text = f"Across England and Wales, police recorded {counted} in the same period"
    if national.previous is not None:
        when = earlier_phrase(findings)
        text += ", " + num.change(national.current.value, national.previous.value, when)
    return text + "."


def record_answer(found: PlaceFindings) -> str:
    figures = found.offences
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
    text = (
        f"{num.words(years).capitalize()} year{'s' if years > 1 else ''} earlier, in "
        f"{first.period.label()}, "
        f"the figure was {num.count(first.value)}"
    )
    multiple = num.times(figures[0].value, first.value)
    if multiple:
        text += f": the latest is a {multiple} increase"
    return text + "."


def _sentences(findings: Findings) -> tuple[list[str], ChartKind]:
    """The sentences of an answer about one place (and England and Wales), and its chart."""
    plan = findings.plan
    found = findings.places[0]
    sentences, chart = [], ChartKind.NONE
    if plan.outcome is not None:
        sentences.append(outcome_sentence(findings, found))
    else:
        if plan.measure is Measure.RECORD:
            sentences.append(record_answer(found))
        sentences.append(count_sentence(findings, found))
        if plan.measure in (Measure.TREND, Measure.RECORD):
            sentences.append(trend_sentence(findings, found))
            chart = ChartKind.TREND
    national = national_sentence(findings)
    if national:
        sentences.append(national)
    return sentences, chart


def render(
    findings: Findings, manifest: list[ReleaseEntry], today: dt.date | None = None
) -> Answer:
    plan = findings.plan
    match plan.measure:
        case Measure.RANK:
            sentences, figures = ranking(findings, manifest)
            chart = ChartKind.RANKING
        case Measure.COMPARE:
            sentences = [
                outcome_sentence(findings, found)
                if plan.outcome
                else count_sentence(findings, found)
                for found in findings.places
            ]
            figures = answer_figures(findings, manifest)
            chart = ChartKind.COMPARISON
        case _:
            sentences, chart = _sentences(findings)
            figures = answer_figures(findings, manifest)
    return Answer(
        status=Status.ANSWER,
        title=_title(findings, chart),
        text=" ".join(sentences),
        understood=understood(plan, findings.period, reading_notes(findings)),
        figures=figures,
        notes=answer_notes(findings, manifest, today),
        source=source_line(findings.releases, findings.period, manifest),
        sample=findings.sample,
        series=series(findings) if chart in (ChartKind.TREND, ChartKind.COMPARISON) else [],
        chart=chart,
    )


def _title(findings: Findings, chart: ChartKind) -> str:
    counted = offence_phrase(findings)
    counted = counted[0].upper() + counted[1:]
    if chart is ChartKind.TREND:
        place = findings.places[0].place.label
        span = (
            "twelve" if findings.period.quarters == 4 else num.words(findings.period.quarters * 3)
        )
        month = MONTHS[findings.period.end.end_month - 1]
        return f"{counted} recorded by {place}, {span} months to {month} each year"
    if chart is ChartKind.COMPARISON:
        return f"{counted} recorded in {findings.period.label()}"
    return ""
