"""The App Home tab as Block Kit: what the bot knows, which release it answers from, and
example questions."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.periods import Period
from bot.datastore.manifest import ReleaseEntry
from bot.parse import EXAMPLES
from bot.render.answer import sample_warning
from bot.render.blocks import DIGEST_HELP, Block, context, section
from bot.render.releases import release_list


@dataclass(frozen=True)
class Coverage:
    """The rolling years one kind of figure covers."""

    label: str  # "Offences recorded", "Outcomes"
    first: Period
    last: Period


@dataclass(frozen=True)
class DataLoaded:
    """What the loaded data holds, as the Home tab tells it (bot.answers.home gathers it)."""

    sample: bool
    coverage: tuple[Coverage, ...]
    territorial_forces: int
    offence_codes: int
    offence_groups: tuple[str, ...]
    releases: tuple[ReleaseEntry, ...]  # the manifest's releases


def home_blocks(loaded: DataLoaded) -> list[Block]:
    blocks: list[Block] = [
        {"type": "header", "text": {"type": "plain_text", "text": "crimebot"}},
        section(
            "Exact police recorded crime figures for England and Wales, with the period "
            "and the source, in a sentence you can paste into copy."
        ),
    ]
    if loaded.sample:
        blocks.append(context(sample_warning()))
    lines = [
        f"*{span.label}:* rolling years from {span.first.label()} to {span.last.label()}"
        for span in loaded.coverage
    ]
    lines.append(
        f"*Places:* {loaded.territorial_forces} territorial forces, British Transport Police, "
        "the regions, England, Wales, England and Wales"
    )
    lines.append(
        f"*Offences:* {loaded.offence_codes} offence codes in {len(loaded.offence_groups)} "
        "groups: " + ", ".join(loaded.offence_groups)
    )
    blocks.append(section("\n".join(lines)))
    blocks.append(section("*Data loaded:*\n" + release_list(list(loaded.releases))))
    blocks.append(section("*Try:*\n" + "\n".join(f"• `/crimestats {e}`" for e in EXAMPLES)))
    blocks.append(section(f"*Daily digest.* {DIGEST_HELP}"))
    blocks.append(
        context(
            "Mention @crimebot in a channel to ask in a thread. Source: Home "
            "Office police recorded crime and outcomes open data tables, Open "
            "Government Licence v3.0."
        )
    )
    return blocks


def home_view(loaded: DataLoaded) -> dict:
    """views.publish's ``view``."""
    return {"type": "home", "blocks": home_blocks(loaded)}
