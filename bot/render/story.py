"""A story draft in the shape of a local crime story: headline, intro with the year before,
the ten-year context, the charge rate, England and Wales, a caveat and the source. Every figure
comes from the findings; quotes are left to the reporter, marked where one belongs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.datastore.manifest import ReleaseEntry
from bot.query.findings import Findings
from bot.query.story import StoryFindings
from bot.render import numbers as num
from bot.render.answer import Figure, sample_warning
from bot.render.blocks import MAX_FIELDS, context, figure_field, section
from bot.render.figures import answer_figures
from bot.render.notes import OUTCOMES_CAVEAT, RECORDING_CAVEAT, comparability_text, counted_text
from bot.render.phrases import (
    comparable,
    offence_phrase,
    record_phrase,
    recorded_by,
    understood,
)
from bot.render.refusals import refusal_text
from bot.render.releases import source_line
from bot.render.sentence import count_sentence, national_sentence, outcome_change, trend_sentence
from bot.render.style import WORDS, house_style, named
from bot.settings import PercentStyle

QUOTE_PLACEHOLDER = (
    "[QUOTE NEEDED: a response from {who}, or from a victims' charity or another named "
    "source. crimebot does not write quotes: add a real one or cut this line.]"
)
HEADLINE_LIMIT = 150  # Slack's header block
Block = dict[str, Any]  # a Block Kit block


@dataclass
class Story:
    headline: str
    paragraphs: list[str]
    quote: str
    notes: list[str] = field(default_factory=list)
    source: str = ""
    sample: bool = False
    figures: list[Figure] = field(default_factory=list)
    understood: str = ""

    def plain_text(self) -> str:
        parts = [sample_warning()] if self.sample else []
        parts.append(self.headline)
        parts += [*self.paragraphs[:1], self.quote, *self.paragraphs[1:]]
        parts += self.notes
        parts += [self.understood, self.source]
        return "\n\n".join(p for p in parts if p)


def headline(trend: Findings) -> str:
    """'Harassment offences recorded by Thames Valley Police hit ten-year high'."""
    found = trend.places[0]
    selection = trend.offence.selection
    what = "Crime" if selection.level == "all" else f"{selection.label} offences"
    what = what[0].upper() + what[1:]
    place = (
        named(found.place.label)
        if found.place.kind == "force"
        else f"police in {found.place.label}"
    )
    # No record or rise across a step in how the offence is recorded: the latest year alone.
    figures = comparable(trend, found.offences) or found.offences[:1]
    record = record_phrase(figures)
    span = "ten-year" if len(figures) == 10 else f"{num.words(len(figures))}-year"
    now, before = figures[0].value, figures[1].value if len(figures) > 1 else None
    if record.startswith("the highest"):
        text = f"{what} recorded by {place} hit {span} high"
    elif record.startswith("the lowest"):
        text = f"{what} recorded by {place} fall to {span} low"
    elif before is not None and before >= num.SMALL_COUNT and abs(now - before) >= 0.1 * before:
        word = "up" if now > before else "down"
        text = f"{what} recorded by {place} {word} {abs(now - before) / before:.0%} in a year"
    else:
        text = f"{place[0].upper() + place[1:]} recorded {offence_phrase(trend, now)}"
        text += f" in {trend.period.label()}"
    return text[:HEADLINE_LIMIT]


def _daily(trend: Findings) -> str:
    """'That is an average of 26 a day.' (only where there is at least one a day)."""
    start, end = trend.period.date_range()
    days = (end - start).days + 1
    now = trend.places[0].current.value
    if now < days:
        return ""
    return f"That is an average of {num.count(round(now / days))} a day."


def _paragraphs(found: StoryFindings, style: PercentStyle = WORDS) -> list[str]:
    """The intro (with the daily average), the ten years, England and Wales, then the charge
    rate with its caveat: no two paragraphs in a row open alike or repeat a figure."""
    trend, charges = found.trend, found.charges
    place = trend.places[0]
    paragraphs = [count_sentence(trend, place, style)]
    daily = _daily(trend)
    if daily:
        paragraphs[0] += " " + daily
    if len(place.offences) >= 3:
        paragraphs.append(trend_sentence(trend, place))
    if trend.national is not None:
        paragraphs.append(national_sentence(trend, style))
    if charges is not None:
        paragraphs.append(charge_paragraph(trend, charges, style))
    elif found.charges_missing is not None:
        # An editor's note, marked like the quote line: the reason is not copy to print.
        paragraphs.append(f"[CHARGE RATE NEEDED: {refusal_text(found.charges_missing)}]")
    return paragraphs


def charge_paragraph(trend: Findings, charges: Findings, style: PercentStyle = WORDS) -> str:
    """'Of the crimes Thames Valley Police recorded in the year to March 2024, 13,087 (7.5 per
    cent) resulted in a charge or summons, up from 6.4 per cent the year before, against 8.0
    per cent across England and Wales.', with the caveat on recent outcomes beside the share
    it qualifies."""
    outcome = charges.plan.outcome
    assert outcome is not None
    found = charges.places[0]
    outcomes, offences = found.outcomes[0].value, found.current.value
    part = num.share(outcomes, offences, style) if offences >= num.SMALL_COUNT else f"{outcomes:,}"
    counted = offence_phrase(charges, offences)
    if charges.period == trend.period and offences == trend.places[0].current.value:
        counted = offence_phrase(charges)  # the intro gave the count
    when = charges.period.label()
    text = f"Of the {counted} {recorded_by(found.place)} in {when}, {part}"
    text += f" resulted in {outcome.label}" + outcome_change(charges, found, style)
    national = charges.national
    if national is not None and national.outcomes:
        share = num.rate_text(national.outcomes[0].value, national.current.value, style)
        text += f", against {share} across England and Wales"
    text += "."
    if charges.outcomes_recent:
        text += f" {OUTCOMES_CAVEAT}"
    return text


def _notes(found: StoryFindings) -> list[str]:
    """The caveat on recorded crime, comparability and what was counted (the caveat on
    recent outcomes sits in the charge-rate paragraph)."""
    trend = found.trend
    notes = [f"Caveat: {RECORDING_CAVEAT}"]
    comparability = comparability_text(trend.offence.comparability)
    if comparability:
        notes.append(comparability)
    notes.append(f"Counted: {counted_text(trend.offence.counted)}.")
    return notes


def render_story(
    found: StoryFindings, manifest: list[ReleaseEntry], style: PercentStyle | None = None
) -> Story:
    """``style``: per cent in words or as a symbol; the house style when not given."""
    trend, charges = found.trend, found.charges
    place = trend.places[0]
    paragraphs = _paragraphs(found, house_style(style))
    notes = _notes(found)
    releases = trend.releases | (charges.releases if charges else set())
    who = named(place.place.label) if place.place.kind == "force" else "the police forces named"
    figures = answer_figures(trend, manifest) + (
        answer_figures(charges, manifest) if charges else []
    )
    return Story(
        headline=headline(trend),
        paragraphs=paragraphs,
        quote=QUOTE_PLACEHOLDER.format(who=who),
        notes=notes,
        source=source_line(releases, trend.period, manifest),
        sample=trend.sample or bool(charges and charges.sample),
        figures=figures,
        understood=understood(trend.plan, trend.period, measure="story draft"),
    )


def story_blocks(story: Story) -> list[Block]:
    blocks: list[Block] = [
        {"type": "header", "text": {"type": "plain_text", "text": story.headline}}
    ]
    if story.sample:
        blocks.append(context(sample_warning()))
    blocks.append(section(story.paragraphs[0]))
    blocks.append(section(f"_{story.quote}_"))
    blocks += [section(paragraph) for paragraph in story.paragraphs[1:]]
    fields = [figure_field(f) for f in story.figures[:MAX_FIELDS]]
    if fields:
        blocks.append({"type": "section", "fields": fields})
    blocks.append(context(*story.notes))
    blocks.append(context(story.understood, story.source))
    return blocks
