"""Rates per 1,000 residents in words: the rate, the estimate it divides by, the year before."""

from __future__ import annotations

from bot.core.reference import force_by_name
from bot.query.findings import Findings, PlaceFindings, RankRow
from bot.query.rates import Population
from bot.render import numbers as num


def per_1000(rate: float) -> str:
    return f"{rate:,.1f} per 1,000 residents"


def estimate(population: Population) -> str:
    """'the ONS mid-2024 population estimate', saying when a newer one is not out yet."""
    text = f"the ONS mid-{population.mid_year} population estimate"
    return text + (", the newest published" if population.substitute else "")


def rate_clause(found: PlaceFindings, when: num.Earlier = num.YEAR_BEFORE) -> str:
    """': 58.1 per 1,000 residents, down from 60.2 the year before (the ONS mid-2024 …)'."""
    now = found.population[0] if found.population else None
    if now is None:
        return ""
    rate = now.per_1000(found.current.value)
    text = f": {per_1000(rate)}"
    before = found.population[1] if len(found.population) > 1 else None
    if before is not None and found.previous is not None:
        earlier = before.per_1000(found.previous.value)
        if round(earlier, 1) == round(rate, 1):
            text += f", the same as {when.name}"
        else:
            direction = "up" if rate > earlier else "down"
            text += f", {direction} from {earlier:,.1f} {when}"
    return text + f" ({estimate(now)})"


def national_rate_sentence(findings: Findings) -> str:
    national = findings.national
    if national is None or not national.population or national.population[0] is None:
        return ""
    rate = national.population[0].per_1000(national.current.value)
    return f"Across England and Wales the rate was {per_1000(rate)}."


def rate_value(row: RankRow) -> str:
    """How a ranking lists one force by rate: '10.2 per 1,000 residents (12,345 offences)'."""
    assert row.residents is not None and row.per_1000 is not None
    return f"{per_1000(row.per_1000)} ({num.count(row.offences)} offences)"


def set_aside_sentence(findings: Findings) -> str:
    """The City of London, left out of a ranking per resident, and why."""
    parts = []
    for row in findings.set_aside:
        if row.residents is None:
            continue
        force = force_by_name()[row.force]
        parts.append(
            f"{force.display_name} is not ranked: it has {num.count(row.residents.residents)} "
            f"residents but a large daytime population of workers and visitors, so its "
            f"{per_1000(row.residents.per_1000(row.offences))} is not comparable"
        )
    return ". ".join(parts) + "." if parts else ""
