"""The morning digest as a use case: which channels are due, what each would get, and the
composing of a claimed day's digest, recorded in the ledger before anything is posted.

Posting it through Slack (once, however many runs) is ``bot.slack.digest_poster``'s job; the
dry run (`python -m bot digest --dry-run`) uses ``preview`` and posts nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.query.database import Database
from bot.query.leads.compose import Digest, compose
from bot.render.digest import DigestMessage, nothing_new_text
from bot.render.digest_thread import threaded_digest, threaded_text
from bot.state.ledger import Claim, Ledger, ShownLead
from bot.state.store import State
from bot.state.subscriptions import Subscription, Subscriptions

log = logging.getLogger(__name__)
NOTHING_NEW = "no lead with new figures and no new release since the last digest"
SKIPPED_BECAUSE = {
    "posted": "already posted today",
    "quiet": "nothing new today (already checked)",
}
ANOTHER_RUN = "another run is posting it"


class Outcome(StrEnum):
    """What one run did for one channel (printed by `python -m bot digest`)."""

    POSTED = "posted"
    FOUND = "found already posted"
    NOTHING_NEW = "nothing new"
    SKIPPED = "skipped"
    FAILED = "failed"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Delivery:
    """What one run did for one channel."""

    channel: str
    outcome: Outcome
    ts: str | None = None
    detail: str = ""


def leads_record(digest: Digest) -> list[ShownLead]:
    """What the ledger keeps of each lead a digest shows."""
    return [
        {
            "lead_key": lead.key,
            "signature": lead.signature(),
            "figures": lead.figures(),
            "period": lead.period.label(),
            "releases": sorted(lead.releases),
        }
        for lead in digest.leads
    ]


def local_now(now: dt.datetime, timezone: ZoneInfo) -> dt.datetime:
    return now.astimezone(timezone)


def is_due(subscription: Subscription, local: dt.datetime) -> bool:
    return local.time() >= subscription.at


def due(
    state: State, local: dt.datetime, channel: str | None = None, ignore_hour: bool = False
) -> list[Subscription]:
    """The subscriptions whose hour has come (all of them with ``ignore_hour``), or only
    ``channel``'s."""
    return [
        subscription
        for subscription in Subscriptions(state).all()
        if (not channel or subscription.channel == channel)
        and (ignore_hour or is_due(subscription, local))
    ]


def preview(
    db: Database,
    state: State,
    forces: tuple[str, ...],
    day: dt.date,
    channel: str | None = None,
) -> str:
    """The digest a channel would get today, as text: nothing is posted or recorded. A patch
    over six forces shows its thread replies after an "in the thread" line."""
    if not channel:
        return threaded_text(compose(db, list(forces), day))
    ledger = Ledger(state)
    seen = ledger.last_releases(channel, day.isoformat())
    digest = compose(db, list(forces), day, seen, ledger.shown(channel, day.isoformat()))
    if seen is not None and not digest.has_news:
        return nothing_new_text(digest)
    return threaded_text(digest)


def skipped(ledger: Ledger, channel: str, day: dt.date) -> Delivery:
    """A channel whose day another run has claimed, or which is done for the day."""
    status = ledger.status(channel, day.isoformat())
    return Delivery(channel, Outcome.SKIPPED, detail=SKIPPED_BECAUSE.get(status or "", ANOTHER_RUN))


def compose_claimed(
    ledger: Ledger,
    claim: Claim,
    subscription: Subscription,
    day: dt.date,
    database: Callable[[], Database],
) -> DigestMessage | None:
    """Compose the claimed day's digest and record it (with the leads it shows) before it is
    posted, so a run that crashes later is resumed with this very message. None: the channel
    has had a digest and nothing in it has changed (recorded as a quiet day)."""
    channel = subscription.channel
    try:
        seen = ledger.last_releases(channel, claim.day)
        shown = ledger.shown(channel, claim.day)
        digest = compose(database(), list(subscription.forces), day, seen, shown)
        message = threaded_digest(digest)
    except Exception:
        # Nothing was composed or sent: let the next run (the next tick) try again at once
        # rather than wait for the claim to go stale. A process that dies here keeps its
        # claim; the claim's timeout covers that.
        _release(ledger, claim)
        raise
    if seen is not None and not digest.has_news:
        # The channel has had a digest and nothing in it has changed: a repeat is noise.
        ledger.quiet(claim, digest.release_names)
        return None
    ledger.composed(claim, dict(message), digest.release_names, leads_record(digest))
    return message


def _release(ledger: Ledger, claim: Claim) -> None:
    try:
        ledger.release(claim)
    except Exception:
        log.exception("digest for %s: could not release the claim", claim.channel)
