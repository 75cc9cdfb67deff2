"""The figures behind an answer, each with its place, offence, period and provenance (the
release and table it came from), and the series a chart draws."""

from __future__ import annotations

from collections.abc import Iterable

from bot.core.periods import Period
from bot.datastore.manifest import ReleaseEntry
from bot.query.findings import Findings, PlaceFindings, Revision
from bot.render.answer import Figure, Provenance, SeriesPoint, Unit
from bot.render.phrases import offence_phrase


def figure(
    label: str,
    value: int | float,
    unit: Unit,
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


def provenance(
    names: Iterable[str], table: str, manifest: list[ReleaseEntry]
) -> tuple[Provenance, ...]:
    dates = {e["release"]: e.get("release_date") or "" for e in manifest}
    return tuple(Provenance(name, dates.get(name, ""), table) for name in sorted(names))


def rate_figures(
    findings: Findings, found: PlaceFindings, manifest: list[ReleaseEntry]
) -> list[Figure]:
    """Residents and the rate per 1,000, beside the count they divide, for each year shown."""
    figures = []
    place, label = found.place.label, findings.offence.selection.label
    shown: set[int] = set()  # both years may divide by the same estimate: list it once
    for counted, population in zip(found.offences[:2], found.population, strict=False):
        if population is None:
            continue
        sources = provenance([population.release], "population", manifest)
        when = counted.period.label()
        if population.mid_year not in shown:
            shown.add(population.mid_year)
            figures.append(
                figure(
                    f"{place}: residents, ONS mid-{population.mid_year} estimate",
                    population.residents,
                    Unit.RESIDENTS,
                    place,
                    label,
                    counted.period,
                    sources,
                )
            )
        figures.append(
            figure(
                f"{place}: {offence_phrase(findings)} per 1,000 residents, {when}",
                round(population.per_1000(counted.value), 1),
                Unit.PER_1000,
                place,
                label,
                counted.period,
                provenance(counted.releases, counted.table, manifest) + sources,
            )
        )
    return figures


def outcome_figures(
    findings: Findings, found: PlaceFindings, manifest: list[ReleaseEntry]
) -> list[Figure]:
    """The outcomes counted and their share of the offences, for each year shown."""
    outcome = findings.plan.outcome
    if outcome is None:
        return []
    figures = []
    place, label = found.place.label, findings.offence.selection.label
    for position, counted in enumerate(found.outcomes[:2]):
        offences = found.offences[position].value
        sources = provenance(counted.releases, counted.table, manifest)
        when = counted.period.label()
        figures.append(
            figure(
                f"{place}: offences resulting in {outcome.label}, {when}",
                counted.value,
                Unit.OUTCOMES,
                place,
                label,
                counted.period,
                sources,
            )
        )
        if offences > 0:
            share = round(counted.value / offences * 100, 1)
            figures.append(
                figure(
                    f"{place}: {outcome.name}, {when}",
                    share,
                    Unit.PERCENT,
                    place,
                    label,
                    counted.period,
                    sources,
                )
            )
    return figures


def answer_figures(findings: Findings, manifest: list[ReleaseEntry]) -> list[Figure]:
    figures = []
    label = findings.offence.selection.label
    counted = offence_phrase(findings)
    for found in findings.all_places():
        place = found.place.label
        for position, year in enumerate(found.offences[:2]):
            when = "" if position == 0 or findings.versus else " (year before)"
            figures.append(
                figure(
                    f"{place}: {counted}, {year.period.label()}{when}",
                    year.value,
                    Unit.OFFENCES,
                    place,
                    label,
                    year.period,
                    provenance(year.releases, year.table, manifest),
                    found.revised_from if position == 0 else found.revised_before,
                )
            )
        figures += rate_figures(findings, found, manifest)
        figures += outcome_figures(findings, found, manifest)
    return figures


def series(findings: Findings) -> list[SeriesPoint]:
    return [
        SeriesPoint(
            found.place.label,
            f.period.label(),
            f.period.end.end_date.isoformat(),
            f.value,
            f.period.end.end_year,
            f.period.end.end_month,
            f.period.quarters,
        )
        for found in findings.places
        for f in reversed(found.offences)
    ]
