"""Findings -> the sentence a reporter could paste into copy, with its figures and source."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from bot.core.periods import Period
from bot.core.plan import Measure, OffenceSelection, Place, QueryPlan
from bot.core.reference import force_by_name
from bot.query.findings import Findings, PlaceFindings, Revision, YearFigure
from bot.render import numbers as num
from bot.render.answer import PER_1000, Answer, Figure, Provenance, SeriesPoint
from bot.render.rates import national_rate_sentence, rate_clause, rate_value, set_aside_sentence

RECORDING_CAVEAT = (
    "Police recorded crime counts what the police record: it moves with recording practice "
    "and with victims' willingness to report, not only with crime itself."
)
OUTCOMES_CAVEAT = (
    "Outcomes for recent offences are still coming in: many recorded in the latest quarters "
    "are still under investigation, so this share will rise as cases close."
)
SOURCE_DEFAULT = "Home Office, police recorded crime and outcomes open data tables"
DATASET_PAGE = (
    "https://www.gov.uk/government/statistics/police-recorded-crime-and-outcomes-open-data-tables"
)


def offence_phrase(findings: Findings, n: int | None = None) -> str:
    return offences_phrase(findings.offence.selection, n)


def offences_phrase(selection: OffenceSelection, n: int | None = None) -> str:
    """'9,632 harassment offences', 'crimes' style wording for the selection counted."""
    label = selection.label
    counted = f"{num.count(n)} " if n is not None else ""
    if selection.level == "all":
        return f"{counted}crimes"
    if label.startswith("fraud: "):  # 'fraud: action fraud': the body is the place already
        return f"{counted}fraud offences"
    if label.endswith(("offences", "crimes", "crime")):
        return f"{counted}{label}"
    return f"{counted}{label} offences"


def subject(place: Place) -> str:
    if place.kind == "force":
        return place.label
    if place.kind == "local":
        return f"Police in {place.label}"
    return f"Police forces in {place.label}"


def understood(plan: QueryPlan, period: Period | None) -> str:
    parts = [
        plan.outcome.name if plan.outcome else plan.measure.value,
        plan.offence.label,
        " and ".join(p.label for p in plan.places) or "all forces",
    ]
    if plan.measure is Measure.RANK:
        parts[0] = f"rank ({plan.rank_order}" + (
            f" {plan.outcome.name})" if plan.outcome else " number of offences)"
        )
    if plan.per_head:
        parts.insert(1, "per 1,000 residents")
    parts.append(period.label().removeprefix("the ") if period else plan.period.describe())
    return "I read this as: " + " · ".join(parts)


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


def _since_phrase(figures: list[YearFigure]) -> str:
    """'the highest since the year to March 2019': only for a rise on the year before."""
    now = figures[0].value
    if len(figures) < 3 or now <= figures[1].value:
        return ""
    for figure in figures[2:]:
        if figure.value >= now:
            return f"the highest since {figure.period.label()}"
    return ""


def earlier_phrase(findings: Findings) -> str:
    """How the second figure's period is named: 'the year before', or 'in the year to March
    2016' when two periods were asked for, or the same quarter a year earlier."""
    if findings.versus is not None:
        return f"in {findings.versus.label()}"
    if findings.period.quarters == 1:
        return "in the same quarter a year earlier"
    return "the year before"


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
        when = earlier_phrase(findings)
        before = num.rate_text(found.outcomes[1].value, found.previous.value)
        now = num.rate_text(outcomes, offences)
        if offences >= num.SMALL_COUNT and found.previous.value >= num.SMALL_COUNT:
            then_rate = found.outcomes[1].value / found.previous.value
            now_rate = outcomes / offences
            word = "down from" if now_rate < then_rate else "up from"
            if f"{now_rate:.3f}" == f"{then_rate:.3f}":
                text += f", the same share as {when.removeprefix('in ')} ({before})"
            else:
                text += f", {word} {before} {when}"
        else:
            text += f" ({when.removeprefix('in ')}: {before}; now {now})"
    return text + "."


def recorded_by(place: Place) -> str:
    if place.kind == "force":
        return f"{place.label} recorded"
    return f"recorded in {place.label}"


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


def _figure(
    label: str,
    value: int | float,
    unit: str,
    place: str,
    offence: str,
    period: Period,
    sources: tuple[Provenance, ...] = (),
    revision: Revision | None = None,
) -> Figure:
    start, end = period.date_range()
    return Figure(
        label,
        value,
        unit,
        place,
        offence,
        start.isoformat(),
        end.isoformat(),
        sources,
        revision.value if revision else None,
        revision.release if revision else "",
    )


def provenance(names: Iterable[str], table: str, manifest: list[dict]) -> tuple[Provenance, ...]:
    dates = {e["release"]: e.get("release_date") or "" for e in manifest}
    return tuple(Provenance(name, dates.get(name, ""), table) for name in sorted(names))


def rate_figures(findings: Findings, found: PlaceFindings, manifest: list[dict]) -> list[Figure]:
    """Residents and the rate per 1,000, beside the count they divide, for each year shown."""
    figures = []
    place, label = found.place.label, findings.offence.selection.label
    for figure, population in zip(found.offences[:2], found.population, strict=False):
        if population is None:
            continue
        sources = provenance([population.release], "population", manifest)
        when = figure.period.label()
        figures.append(
            _figure(
                f"{place}: residents, ONS mid-{population.mid_year} estimate",
                population.residents,
                "residents",
                place,
                label,
                figure.period,
                sources,
            )
        )
        figures.append(
            _figure(
                f"{place}: {offence_phrase(findings)} per 1,000 residents, {when}",
                round(population.per_1000(figure.value), 1),
                PER_1000,
                place,
                label,
                figure.period,
                provenance(figure.releases, figure.table, manifest) + sources,
            )
        )
    return figures


def answer_figures(findings: Findings, manifest: list[dict]) -> list[Figure]:
    figures = []
    label = findings.offence.selection.label
    counted = offence_phrase(findings)
    for found in findings.all_places():
        place = found.place.label
        for position, figure in enumerate(found.offences[:2]):
            when = "" if position == 0 or findings.versus else " (year before)"
            figures.append(
                _figure(
                    f"{place}: {counted}, {figure.period.label()}{when}",
                    figure.value,
                    "offences",
                    place,
                    label,
                    figure.period,
                    provenance(figure.releases, figure.table, manifest),
                    found.revised_from if position == 0 else found.revised_before,
                )
            )
        figures += rate_figures(findings, found, manifest)
        outcome = findings.plan.outcome
        if outcome is None:
            continue
        for position, figure in enumerate(found.outcomes[:2]):
            offences = found.offences[position].value
            sources = provenance(figure.releases, figure.table, manifest)
            figures.append(
                _figure(
                    f"{place}: offences resulting in {outcome.label}, {figure.period.label()}",
                    figure.value,
                    "outcomes",
                    place,
                    label,
                    figure.period,
                    sources,
                )
            )
            if offences > 0:
                figures.append(
                    _figure(
                        f"{place}: {outcome.name}, {figure.period.label()}",
                        round(figure.value / offences * 100, 1),
                        "percent",
                        place,
                        label,
                        figure.period,
                        sources,
                    )
                )
    return figures


def _series(findings: Findings) -> list[SeriesPoint]:
    return [
        SeriesPoint(found.place.label, f.period.label(), f.period.end.end_date.isoformat(), f.value)
        for found in findings.places
        for f in reversed(found.offences)
    ]


def source(findings: Findings, manifest: list[dict]) -> str:
    return source_line(findings.releases, findings.period, manifest)


def release_phrase(name: str, date: dt.date | None) -> str:
    """'the 23 April 2026 release', or the file's name when it carries no date."""
    return f"the {date.day} {date:%B %Y} release" if date else f"the release {name}"


def published(entry: dict) -> str:
    date = entry.get("release_date")
    return release_phrase(entry["release"], dt.date.fromisoformat(date) if date else None)


def source_line(releases: set[str] | frozenset[str], period: Period, manifest: list[dict]) -> str:
    """One line: the releases the figures came from, with their dates, the period, the licence.
    The file names are in the --json figures and the manifest, not here."""
    entries = [e for e in manifest if e["release"] in releases] or manifest[-1:]
    by_source: dict[str, list[str]] = {}
    for entry in sorted(entries, key=lambda e: e.get("release_date") or "", reverse=True):
        dates = by_source.setdefault(entry.get("source") or SOURCE_DEFAULT, [])
        if entry.get("release_date"):
            dates.append(published(entry).removeprefix("the "))
        if entry.get("sample"):
            dates.append("SAMPLE, not official")
    parts = [
        f"{source}, {' and '.join(dates)}" if dates else source
        for source, dates in by_source.items()
    ]
    return (
        f"Source: {'; '.join(parts)} ({DATASET_PAGE}). "
        f"Period: {period.long_label()}. Open Government Licence v3.0."
    )


NATIONAL_BASIS = (
    "England and Wales here means the 43 territorial police forces; British Transport Police "
    "and the national fraud bodies (Action Fraud, CIFAS, UK Finance) are not included."
)
STALE_AFTER_MONTHS = 4


def stale_note(releases: Iterable[str], manifest: list[dict], today: dt.date) -> str:
    """One line when the newest release behind an answer is over four months old: the
    Home Office publishes quarterly, so a newer one has probably come out."""
    dates = [
        dt.date.fromisoformat(e["release_date"])
        for e in manifest
        if e["release"] in set(releases) and e.get("release_date")
    ]
    if not dates:
        return ""
    newest = max(dates)
    months = (today.year - newest.year) * 12 + today.month - newest.month
    if months < STALE_AFTER_MONTHS or (months == STALE_AFTER_MONTHS and today.day <= newest.day):
        return ""
    return (
        f"These figures are from {release_phrase('', newest)}; newer figures may have been "
        "published since. Load them with `python -m bot ingest --download`."
    )


def render(findings: Findings, manifest: list[dict], today: dt.date | None = None) -> Answer:
    plan = findings.plan
    sentences, notes = [], []
    chart = ""
    match plan.measure:
        case Measure.RANK:
            sentences, figures = _ranking(findings, manifest)
            chart = "ranking"
        case Measure.COMPARE:
            for found in findings.places:
                sentences.append(
                    outcome_sentence(findings, found)
                    if plan.outcome
                    else count_sentence(findings, found)
                )
            figures = answer_figures(findings, manifest)
            chart = "comparison"
        case _:
            found = findings.places[0]
            if plan.outcome is not None:
                sentences.append(outcome_sentence(findings, found))
            else:
                if plan.measure is Measure.RECORD:
                    sentences.append(_record_answer(found))
                sentences.append(count_sentence(findings, found))
                if plan.measure in (Measure.TREND, Measure.RECORD):
                    sentences.append(trend_sentence(findings, found))
                    chart = "trend"
            national = national_sentence(findings)
            if national:
                sentences.append(national)
            figures = answer_figures(findings, manifest)
    if plan.outcome is not None:
        latest = findings.latest_outcome_quarter
        if latest is not None and findings.period.last_index > latest - 8:
            notes.append(OUTCOMES_CAVEAT)
    if findings.offence.comparability:
        notes.append(findings.offence.comparability)
    if plan.measure in (Measure.TREND, Measure.RECORD, Measure.CHANGE):
        notes.append(RECORDING_CAVEAT)
    notes.append(f"Counted: {findings.offence.counted}.")
    if findings.national or findings.ranking or any(p.kind == "national" for p in plan.places):
        notes.append(NATIONAL_BASIS)
    stale = stale_note(findings.releases, manifest, today) if today else ""
    if stale:
        notes.append(stale)
    return Answer(
        status="answer",
        title=_title(findings, chart),
        text=" ".join(sentences),
        understood=understood(plan, findings.period)
        + (" (" + "; ".join(plan.notes) + ")" if plan.notes else ""),
        figures=figures,
        notes=notes,
        source=source(findings, manifest),
        sample=findings.sample,
        series=_series(findings) if chart in ("trend", "comparison") else [],
        chart=chart,
    )


def _title(findings: Findings, chart: str) -> str:
    counted = offence_phrase(findings)
    counted = counted[0].upper() + counted[1:]
    if chart == "trend":
        place = findings.places[0].place.label
        month = findings.period.label().removeprefix("the year to ").split()[0]
        return f"{counted} recorded by {place}, twelve months to {month} each year"
    if chart == "comparison":
        return f"{counted} recorded in {findings.period.label()}"
    return ""


def _record_answer(found: PlaceFindings) -> str:
    figures = found.offences
    if len(figures) < 3:
        return "The data holds too few comparable years to say whether this is a record."
    now = figures[0].value
    best = max(figures[1:], key=lambda f: f.value)
    if now > best.value:
        years = num.words(len(figures))
        return f"Yes: the latest figure is the highest in the {years} years of comparable figures."
    since = _since_phrase(figures)
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


def _ranking(findings: Findings, manifest: list[dict]) -> tuple[list[str], list[Figure]]:
    plan = findings.plan
    ranking = findings.ranking
    total = len(ranking)
    label = findings.offence.selection.label
    what = (
        f"{plan.outcome.name} for {offence_phrase(findings)}"
        if plan.outcome
        else f"rate of {offence_phrase(findings)} per 1,000 residents"
        if plan.per_head
        else f"{'rise' if plan.rank_order == 'highest' else 'fall'} in {offence_phrase(findings)} "
        f"on {earlier_phrase(findings).removeprefix('in ')}"
        if plan.by_change
        else f"number of {offence_phrase(findings)}"
    )
    sentences, figures = [], []

    def name(force: str) -> str:
        return force_by_name()[force].display_name

    def value(row) -> str:
        if plan.per_head:
            return rate_value(row)
        if plan.by_change:
            direction = "up" if row.offences >= row.before else "down"
            return (
                f"{direction} {abs(row.change) * 100:.1f}% "
                f"({num.count(row.before)} to {num.count(row.offences)})"
            )
        if plan.outcome:
            return (
                f"{num.percent(row.rate)} ({num.count(row.outcomes)} of {num.count(row.offences)})"
            )
        return num.count(row.offences)

    table = ("annual_" if findings.annual else "") + ("outcomes" if plan.outcome else "recorded")
    sources = provenance(findings.ranking_releases, table, manifest)
    positions = {row.force: i + 1 for i, row in enumerate(ranking)}
    for found in findings.places:
        if found.place.kind == "force" and found.place.name in positions:
            position = positions[found.place.name]
            row = ranking[position - 1]
            sentences.append(
                f"{found.place.label} had the {num.ordinal(position)}{plan.rank_order} {what} "
                f"of the {total} forces with complete figures in {findings.period.label()}: "
                f"{value(row)}."
            )
            figures.append(
                _figure(
                    f"{found.place.label}: rank ({plan.rank_order} {what})",
                    position,
                    "rank",
                    found.place.label,
                    label,
                    findings.period,
                    sources,
                )
            )
    top = ranking[: plan.rank_limit]
    listing = "; ".join(f"{i + 1}. {name(r.force)} {value(r)}" for i, r in enumerate(top))
    if plan.by_change:
        moves = "rises" if plan.rank_order == "highest" else "falls"
        sentences.append(
            f"The biggest {moves} in {offence_phrase(findings)} in {findings.period.label()}, "
            f"on {earlier_phrase(findings).removeprefix('in ')}: {listing}."
        )
    else:
        sentences.append(f"The {plan.rank_order} {what} in {findings.period.label()}: {listing}.")
    for i, row in enumerate(top):
        unit_value = (
            round(row.rate * 100, 1)
            if plan.outcome
            else round((row.change or 0.0) * 100, 1)
            if plan.by_change
            else round(row.per_1000 or 0.0, 1)
            if plan.per_head
            else row.offences
        )
        unit = (
            "percent"
            if plan.outcome or plan.by_change
            else PER_1000
            if plan.per_head
            else "offences"
        )
        figures.append(
            _figure(
                f"{i + 1}. {name(row.force)}",
                unit_value,
                unit,
                name(row.force),
                label,
                findings.period,
                sources,
            )
        )
    if findings.set_aside:
        sentences.append(set_aside_sentence(findings))
    if findings.unranked:
        basis = "the year before" if plan.by_change else ""
        sentences.append(
            f"{findings.unranked} forces with fewer than {num.SMALL_COUNT} offences "
            + (f"{basis} " if basis else "")
            + ("are not ranked by change." if plan.by_change else "are not ranked by share.")
        )
    return sentences, figures
