"""A regional desk's digest: a patch of more than six forces is one channel message (the
national headline, what a new release brings, the first six forces' leads) and, in its
thread, a reply for each further six. Six forces of five leads is what one message's 50
blocks hold; the split keeps the patch's order."""

from __future__ import annotations

import dataclasses

from bot.query.leads.compose import Digest
from bot.render.blocks import FALLBACK_LIMIT, context, cut, escape, section
from bot.render.digest import (
    FORCES_PER_MESSAGE,
    DigestMessage,
    DigestReply,
    digest_message,
    digest_text,
    force_text,
    forces_blocks,
    moves_text,
    title,
)
from bot.render.notes import RECORDING_CAVEAT
from bot.render.releases import source_line
from bot.render.style import house_style
from bot.settings import PercentStyle

IN_THE_THREAD = "— in the thread —"  # the dry run's line between the message and its replies


def split(digest: Digest) -> tuple[Digest, list[Digest]]:
    """The channel message's digest (the first six forces), and each thread reply's."""
    forces = digest.forces
    first = dataclasses.replace(digest, forces=forces[:FORCES_PER_MESSAGE])
    size = FORCES_PER_MESSAGE
    rest = [
        dataclasses.replace(digest, headline=None, forces=forces[start : start + size])
        for start in range(size, len(forces), size)
    ]
    return first, rest


def _in_thread(replies: list[Digest]) -> tuple[str, ...]:
    return tuple(force.place.name for reply in replies for force in reply.forces)


def threaded_digest(digest: Digest, style: PercentStyle | None = None) -> DigestMessage:
    """The channel message, with its thread replies when the patch is over six forces."""
    first, replies = split(digest)
    message = digest_message(first, style, _in_thread(replies))
    if replies:
        message["thread"] = [_reply(digest, part, style) for part in replies]
    return message


def threaded_text(digest: Digest, style: PercentStyle | None = None) -> str:
    """The dry run's text: the message, then each reply after an "in the thread" line."""
    first, replies = split(digest)
    parts = [digest_text(first, style, _in_thread(replies))]
    parts += [f"{IN_THE_THREAD}\n\n{reply_text(digest, part, style)}" for part in replies]
    return "\n\n".join(parts)


def _continued(digest: Digest, part: Digest) -> str:
    """'Crime figures digest · Monday 23 November 2026, continued: forces 7 to 9 of 9'."""
    start = next(i for i, force in enumerate(digest.forces) if force is part.forces[0]) + 1
    end = start + len(part.forces) - 1
    which = f"force {start}" if start == end else f"forces {start} to {end}"
    return f"{title(digest.day)}, continued: {which} of {len(digest.forces)}"


def _moves(part: Digest, style: PercentStyle) -> str:
    """A new release's biggest moves for this reply's forces (the message has the rest)."""
    if not part.new_releases:
        return ""
    lines = [f"• {moves_text(force, style)}" for force in part.forces if force.has_figures]
    return "Biggest moves on the year before:\n" + "\n".join(lines) if lines else ""


def reply_text(digest: Digest, part: Digest, style: PercentStyle | None = None) -> str:
    style = house_style(style)
    parts = [_continued(digest, part), _moves(part, style)]
    parts += [force_text(force, part, style) for force in part.forces]
    parts += [RECORDING_CAVEAT, source_line(part.releases, part.period, part.manifest)]
    return "\n\n".join(p for p in parts if p)


def _reply(digest: Digest, part: Digest, style: PercentStyle | None) -> DigestReply:
    """At most 1 + 1 + 6 × 7 + 1 = 45 blocks."""
    style = house_style(style)
    blocks = [section(f"*{_continued(digest, part)}*")]
    moves = _moves(part, style)
    if moves:
        blocks.append(section(moves))
    blocks += forces_blocks(part, style)
    blocks.append(context(RECORDING_CAVEAT, source_line(part.releases, part.period, part.manifest)))
    return {"text": cut(escape(reply_text(digest, part, style)), FALLBACK_LIMIT), "blocks": blocks}
