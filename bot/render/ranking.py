"""A ranking of the forces in words: where the places asked about stand, the top of the list,
and the forces left out of it."""

from __future__ import annotations

from bot.core.plan import AREAS_RANKED_WITHIN
from bot.core.reference import force_by_name
from bot.datastore.manifest import ReleaseEntry
from bot.query.findings import Findings, RankRow
from bot.render import numbers as num
from bot.render.answer import Figure, Unit
from bot.render.figures import figure, provenance
from bot.render.phrases import earlier_phrase, offence_phrase
from bot.render.rates import rate_value, set_aside_sentence
from bot.render.style import WORDS, named
from bot.settings import PercentStyle


def _name(force: str) -> str:
    return force_by_name()[force].display_name


def ranked_what(findings: Findings) -> str:
    """What the forces are ranked by: 'charge rate for stalking offences'."""
    plan = findings.plan
    if plan.outcome:
        return f"{plan.outcome.name} for {offence_phrase(findings)}"
    if plan.per_head:
        return f"rate of {offence_phrase(findings)} per 1,000 residents"
    if plan.by_change:
        move = "rise" if plan.rank_order == "highest" else "fall"
        return f"{move} in {offence_phrase(findings)} on {earlier_phrase(findings).name}"
    return f"number of {offence_phrase(findings)}"


def ranked_value(findings: Findings, row: RankRow, style: PercentStyle = WORDS) -> str:
    """How the list gives one force's figure: '7.5 per cent (13,087 of 174,087)'."""
    plan = findings.plan
    if plan.per_head:
        return rate_value(row)
    if plan.by_change:
        assert row.before is not None and row.change is not None
        direction = "up" if row.offences >= row.before else "down"
        return (
            f"{direction} {num.per_cent(abs(row.change) * 100, style)} "
            f"({num.count(row.before)} to {num.count(row.offences)})"
        )
    if plan.outcome:
        assert row.rate is not None and row.outcomes is not None
        counts = f"{num.count(row.outcomes)} of {num.count(row.offences)}"
        return f"{num.percent(row.rate, style)} ({counts})"
    return num.count(row.offences)


def _ranked_figure(findings: Findings, row: RankRow) -> tuple[int | float, Unit]:
    plan = findings.plan
    if plan.outcome:
        return round((row.rate or 0.0) * 100, 1), Unit.PERCENT
    if plan.by_change:
        return round((row.change or 0.0) * 100, 1), Unit.PERCENT
    if plan.per_head:
        return round(row.per_1000 or 0.0, 1), Unit.PER_1000
    return row.offences, Unit.OFFENCES


def ranking(
    findings: Findings, manifest: list[ReleaseEntry], style: PercentStyle = WORDS
) -> tuple[list[str], list[Figure]]:
    plan = findings.plan
    rows = findings.ranking
    label = findings.offence.selection.label
    what = ranked_what(findings)
    when = findings.period.label()
    table = ("annual_" if findings.annual else "") + ("outcomes" if plan.outcome else "recorded")
    sources = provenance(findings.ranking_releases, table, manifest)
    sentences, figures = [], []
    positions = {row.force: i + 1 for i, row in enumerate(rows)}
    for found in findings.places:
        if found.place.kind == "force" and found.place.name in positions:
            position = positions[found.place.name]
            place = found.place.label
            sentences.append(
                f"{named(place, start=True)} had the {num.ordinal(position)}{plan.rank_order} "
                f"{what} of the {len(rows)} forces with complete figures in {when}: "
                f"{ranked_value(findings, rows[position - 1], style)}."
            )
            rank = f"{place}: rank ({plan.rank_order} {what})"
            figures.append(
                figure(rank, position, Unit.RANK, place, label, findings.period, sources)
            )
    top = rows[: plan.rank_limit]
    sentences.append(_top_sentence(findings, top, what, style))
    for i, row in enumerate(top):
        value, unit = _ranked_figure(findings, row)
        name = _name(row.force)
        figures.append(
            figure(f"{i + 1}. {name}", value, unit, name, label, findings.period, sources)
        )
    sentences += _left_out(findings)
    return sentences, figures


def _top_sentence(
    findings: Findings, top: list[RankRow], what: str, style: PercentStyle = WORDS
) -> str:
    plan = findings.plan
    listing = "; ".join(
        f"{i + 1}. {_name(r.force)} {ranked_value(findings, r, style)}" for i, r in enumerate(top)
    )
    regions = [p.label for p in plan.places if p.kind in AREAS_RANKED_WITHIN]
    among = f" among the forces of {' and '.join(regions)}" if regions else ""
    if plan.by_change:
        moves = "rises" if plan.rank_order == "highest" else "falls"
        return (
            f"The biggest {moves} in {offence_phrase(findings)}{among} in "
            f"{findings.period.label()}, on {earlier_phrase(findings).name}: {listing}."
        )
    return f"The {plan.rank_order} {what}{among} in {findings.period.label()}: {listing}."


def _left_out(findings: Findings) -> list[str]:
    """The forces ranked apart (per resident) and those with too few offences to rank."""
    sentences = []
    if findings.set_aside:
        sentences.append(set_aside_sentence(findings))
    if findings.unranked:
        by_change = findings.plan.by_change
        forces = "one force" if findings.unranked == 1 else f"{num.words(findings.unranked)} forces"
        sentences.append(
            f"Not ranked by {'change' if by_change else 'share'}: {forces} with fewer than "
            f"{num.SMALL_COUNT} offences" + (" the year before." if by_change else ".")
        )
    return sentences
