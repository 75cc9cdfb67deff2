"""A digest -> the text and the Slack message a channel gets (each lead's sentence is
``bot.render.leads``'), and the words of `/crimestats subscriptions`."""

from __future__ import annotations

import datetime as dt
from typing import NotRequired, TypedDict
from zoneinfo import ZoneInfo

from bot.core.places import force_place
from bot.core.reference import force_by_name
from bot.query.leads.compose import MATERIAL_CHANGE, MATERIAL_SHARE, Digest, ForceLeads, Revision
from bot.render import numbers as num
from bot.render.answer import sample_warning
from bot.render.blocks import FALLBACK_LIMIT, button, context, cut, escape, section
from bot.render.leads import lead_change, lead_sentence, lead_tag, story_question
from bot.render.notes import RECORDING_CAVEAT
from bot.render.releases import source_line
from bot.render.style import WORDS, house_style, named
from bot.settings import PercentStyle
from bot.state.subscriptions import Subscription

STORY_ACTION = "write_story"
NOTHING_NEW = "Nothing new since the last digest: its leads' figures are unchanged."
MAX_RELEASES_NAMED = 3
FORCES_PER_MESSAGE = 6  # six forces of five leads (seven blocks each) fill Slack's 50 blocks
NOTHING_STANDS_OUT = (
    "Nothing stands out: no ten-year high or low, and no change on the year before larger "
    "than the year-to-year noise."
)


def revision_text(revision: Revision) -> str:
    force = force_by_name()[revision.force].display_name
    what = "offences" if revision.measure == "offences" else f"outcomes ({revision.outcome})"
    return (
        f"{force}, {revision.offence or revision.offence_code} ({revision.offence_code}) "
        f"{what}, {revision.quarter.label()}: "
        f"{num.count(revision.old_value)} → {num.count(revision.new_value)}"
    )


def release_heading(digest: Digest) -> str:
    """'New Home Office figures (year to December 2025)': what a new release brings."""
    return f"New Home Office figures ({digest.period.label(article=False)})"


def moves_text(force: ForceLeads, style: PercentStyle = WORDS) -> str:
    """'Thames Valley Police: shoplifting 9,120, up 30.1 per cent from 7,010 the year before;
    …'"""
    moves = "; ".join(
        f"{move.offence.label} {num.count(move.now)}, "
        + lead_change(move.now, move.before or 0, style)
        for move in force.moves
    )
    return f"{force.place.label}: {moves or 'no change on the year before beyond the noise'}."


def release_news(digest: Digest) -> str:
    if not digest.new_releases:
        return ""
    names = "; ".join(
        entry["release"]
        + (f" (published {entry['release_date']})" if entry.get("release_date") else "")
        for entry in digest.new_releases[:MAX_RELEASES_NAMED]
    )
    more = len(digest.new_releases) - MAX_RELEASES_NAMED
    if more > 0:
        names += f" and {more} more"
    text = f"New data since the last digest: {names}."
    if not digest.revised:
        return text + " It revised no earlier figures for this channel's forces."
    text += (
        f" It revised {num.count(digest.revised)} published figure"
        f"{'s' if digest.revised != 1 else ''} for this channel's forces"
    )
    if not digest.revisions:
        return text + (
            f", none by {MATERIAL_CHANGE} offences and {MATERIAL_SHARE:.0%} or more: no "
            "figure a story printed changes."
        )
    listed = "; ".join(revision_text(r) for r in digest.revisions)
    if digest.revised == 1:
        return text + f": {listed}."
    matter = "all matter" if digest.material == digest.revised else f"{digest.material} matter"
    return (
        text
        + f"; {matter} (a change of {MATERIAL_CHANGE}+ offences and {MATERIAL_SHARE:.0%}+)"
        + f", the largest: {listed}."
    )


def release_section(digest: Digest, style: PercentStyle = WORDS) -> list[str]:
    """The heading, the biggest moves for each force, and what the release revised."""
    if not digest.new_releases:
        return []
    moves = "\n".join(
        f"• {moves_text(force, style)}" for force in digest.forces if force.has_figures
    )
    return [
        release_heading(digest),
        "Biggest moves on the year before:\n" + moves,
        release_news(digest),
    ]


def nothing_new_text(digest: Digest) -> str:
    """What a dry run prints for a channel that gets no digest today."""
    return (
        f"{title(digest.day)}\n\nNothing new: no lead with new figures and no new release "
        f"since the channel's last digest ({num.count(digest.already_shown)} lead"
        f"{'s' if digest.already_shown != 1 else ''} already shown, figures unchanged). "
        "Nothing is posted today."
    )


def _nothing(force: ForceLeads, digest: Digest) -> str:
    if force.already_shown:
        return NOTHING_NEW
    if force.has_figures:
        return NOTHING_STANDS_OUT
    return f"The data has no figures for {force.place.label} for {digest.period.label()}."


def title(day: dt.date) -> str:
    return f"Crime figures digest · {day:%A} {day.day} {day:%B %Y}"


def force_text(force: ForceLeads, digest: Digest, style: PercentStyle) -> str:
    lines = [f"{force.place.label}, {digest.period.label()}:"]
    lines += [f"• {lead_tag(lead)}: {lead_sentence(lead, style)}" for lead in force.leads]
    if not force.leads:
        lines.append(_nothing(force, digest))
    return "\n".join(lines)


def thread_note(in_thread: tuple[str, ...]) -> str:
    """Where a regional desk's other forces are: the main message names them."""
    return f"The leads for {force_names(in_thread)} are in this message's thread."


def digest_text(
    digest: Digest, style: PercentStyle | None = None, in_thread: tuple[str, ...] = ()
) -> str:
    """The digest as plain text: the terminal's dry run and Slack's fallback text.
    ``in_thread``: the forces whose leads follow in the thread (a patch over six)."""
    style = house_style(style)
    parts = [title(digest.day)]
    if digest.sample:
        parts.append(sample_warning())
    parts += release_section(digest, style)
    if digest.headline:
        parts.append(f"England and Wales: {lead_sentence(digest.headline, style)}")
    parts += [force_text(force, digest, style) for force in digest.forces]
    if in_thread:
        parts.append(thread_note(in_thread))
    parts.append(RECORDING_CAVEAT)
    parts.append(source_line(digest.releases, digest.period, digest.manifest))
    return "\n\n".join(parts)


def forces_blocks(digest: Digest, style: PercentStyle) -> list[dict]:
    """Each force's heading and leads, each lead with its "Write it up" button: seven blocks
    a force at most (five leads)."""
    blocks: list[dict] = []
    number = 0
    for force in digest.forces:
        blocks.append({"type": "divider"})
        blocks.append(section(f"*{force.place.label}* · leads from {digest.period.label()}"))
        if not force.leads:
            blocks.append(context(_nothing(force, digest)))
        for lead in force.leads:
            block = section(f"*{lead_tag(lead)}*\n{lead_sentence(lead, style)}")
            block["accessory"] = button(
                "Write it up", f"{STORY_ACTION}_{number}", story_question(lead)
            )
            blocks.append(block)
            number += 1
    return blocks


def digest_blocks(
    digest: Digest, style: PercentStyle | None = None, in_thread: tuple[str, ...] = ()
) -> list[dict]:
    """At most 6 forces of 5 leads fit Slack's 50 blocks: a patch of more is split, its
    other forces in the thread (``bot.render.digest_thread``)."""
    style = house_style(style)
    blocks: list[dict] = [
        {"type": "header", "text": {"type": "plain_text", "text": title(digest.day)}}
    ]
    if digest.sample:
        blocks.append(context(sample_warning()))
    if digest.new_releases:
        heading, moves, news = release_section(digest, style)
        blocks.append(section(f"*{heading}*\n{moves}"))
        blocks.append(section(news))
    if digest.headline:
        blocks.append(section(f"*England and Wales* · {lead_sentence(digest.headline, style)}"))
    blocks += forces_blocks(digest, style)
    if in_thread:
        blocks.append(context(thread_note(in_thread)))
    blocks.append(
        context(RECORDING_CAVEAT, source_line(digest.releases, digest.period, digest.manifest))
    )
    return blocks


class DigestReply(TypedDict):
    """One reply in the digest's thread: a regional desk's forces beyond the first six."""

    text: str
    blocks: list[dict]


class DigestMessage(TypedDict):
    """What chat.postMessage sends, stored as composed so a resumed run posts the same;
    ``thread``: the replies that follow it in its thread (a patch over six forces)."""

    text: str
    blocks: list[dict]
    thread: NotRequired[list[DigestReply]]


def digest_message(
    digest: Digest, style: PercentStyle | None = None, in_thread: tuple[str, ...] = ()
) -> DigestMessage:
    """One message of at most six forces (``bot.render.digest_thread`` splits a larger one)."""
    return {
        "text": cut(escape(digest_text(digest, style, in_thread)), FALLBACK_LIMIT),
        "blocks": digest_blocks(digest, style, in_thread),
    }


def last_digest_text(last: tuple[str, str] | None) -> str:
    """How the channel's latest digest day ended, for `/crimestats subscriptions`."""
    if last is None:
        return ""
    day, status = dt.date.fromisoformat(last[0]), last[1]
    when = f"{day:%A} {day.day} {day:%B %Y}"
    if status == "quiet":
        return (
            f" On {when} nothing was posted: there was no lead with new figures and no new "
            "release since the last digest (a lead is posted again only when its figures "
            "change, and a day with nothing new gets no digest)."
        )
    return f" The last digest was posted on {when}."


def subscription_text(
    subscription: Subscription | None, timezone: ZoneInfo, last: tuple[str, str] | None = None
) -> str:
    """``last``: the channel's latest digest day and how it ended (``Ledger.last_digest``)."""
    if subscription is None:
        return (
            "This channel has no crimebot digest. Subscribe with "
            "`/crimestats subscribe Thames Valley, Cumbria` (optionally `at 7am`)."
        )
    return (
        f"This channel gets crimebot's digest of story leads every day at "
        f"{subscription.at:%H:%M} ({timezone.key}) for {force_names(subscription.forces)}."
        + thread_part(subscription.forces)
        + last_digest_text(last)
        + " Change it with `/crimestats subscribe <forces> at <time>`; stop it with "
        "`/crimestats unsubscribe` (or `unsubscribe <force>`)."
    )


def thread_part(forces: tuple[str, ...]) -> str:
    """A regional desk's patch: where the forces beyond the first six go."""
    rest = forces[FORCES_PER_MESSAGE:]
    if not rest:
        return ""
    return (
        f" The message has the first {FORCES_PER_MESSAGE} forces' leads; those for "
        f"{force_names(rest)} follow in its thread."
    )


def force_names(forces: tuple[str, ...]) -> str:
    """'Thames Valley Police and the Metropolitan Police'."""
    names = [named(force_place(force).label) for force in forces]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
