"""Post each subscribed channel's digest once a day, when its hour has come.

`python -m bot digest` and the clock process both call ``run``: it is safe to call as often
as you like, from as many processes as you like (see ``bot.state.ledger``).
"""

from __future__ import annotations

import copy
import datetime as dt
import http.client
import logging
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.query.database import Database
from bot.query.leads.compose import Digest, compose
from bot.render.digest import digest_message, digest_text, nothing_new_text
from bot.state.ledger import Claim, Ledger
from bot.state.store import State
from bot.state.subscriptions import Subscription, Subscriptions

log = logging.getLogger(__name__)
DIGEST_EVENT = "crimebot_digest"  # message metadata: finds a digest already in the channel
NOTHING_NEW = "no lead with new figures and no new release since the last digest"


def leads_record(digest: Digest) -> list[dict]:
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


@dataclass(frozen=True)
class Delivery:
    """What one run did for one channel."""

    channel: str
    outcome: str  # posted | found already posted | nothing new | skipped | failed | unknown
    ts: str | None = None
    detail: str = ""


def local_now(now: dt.datetime, timezone: ZoneInfo) -> dt.datetime:
    return now.astimezone(timezone)


def is_due(subscription: Subscription, local: dt.datetime) -> bool:
    return local.time() >= subscription.at


def preview(
    db: Database,
    state: State,
    forces: tuple[str, ...],
    day: dt.date,
    channel: str | None = None,
) -> str:
    """The digest a channel would get today, as text: nothing is posted or recorded."""
    if not channel:
        return digest_text(compose(db, list(forces), day))
    ledger = Ledger(state)
    seen = ledger.last_releases(channel, day.isoformat())
    digest = compose(db, list(forces), day, seen, ledger.shown(channel, day.isoformat()))
    if seen is not None and not digest.has_news:
        return nothing_new_text(digest)
    return digest_text(digest)


def without_blind_retries(client: WebClient) -> WebClient:
    """The client, minus the retries that could post a message twice: a connection lost, or a
    5xx, after Slack took the post looks like a failure, and slack_sdk would send it again.
    Rate-limit retries stay (a 429 means nothing was posted)."""
    posting = copy.copy(client)
    posting.retry_handlers = [
        handler
        for handler in client.retry_handlers
        if not isinstance(handler, ConnectionErrorRetryHandler | ServerErrorRetryHandler)
    ]
    return posting


class Poster:
    """Claims, composes, records and posts; one instance per run."""

    def __init__(
        self,
        state: State,
        client: WebClient,
        database: Callable[[], Database],
        ledger: Ledger | None = None,
    ) -> None:
        self.state = state
        self.client = client  # reads (the channel's history) may be retried
        self.post_client = without_blind_retries(client)  # the digest's post is not
        self.database = database  # loaded only if something is to be composed
        self.ledger = ledger or Ledger(state)

    def deliver(self, subscription: Subscription, day: dt.date) -> Delivery:
        channel = subscription.channel
        claim = self.ledger.claim(channel, day.isoformat())
        if claim is None:
            status = self.ledger.status(channel, day.isoformat())
            why = {
                "posted": "already posted today",
                "quiet": "nothing new today (already checked)",
            }.get(status or "", "another run is posting it")
            return Delivery(channel, "skipped", detail=why)
        if claim.status == "posting":
            found = self._find_posted(claim)
            if found is None:
                return Delivery(channel, "unknown", detail="could not read the channel history")
            if found:
                self.ledger.posted(claim, found)
                return Delivery(channel, "found already posted", found)
        message = claim.message
        if message is None:
            try:
                seen = self.ledger.last_releases(channel, claim.day)
                shown = self.ledger.shown(channel, claim.day)
                digest = compose(self.database(), list(subscription.forces), day, seen, shown)
                message = digest_message(digest)
            except Exception:
                # Nothing was composed or sent: let the next run (the next tick) try again at
                # once rather than wait for the claim to go stale. A process that dies here
                # keeps its claim; the claim's timeout covers that.
                self._release(claim)
                raise
            if seen is not None and not digest.has_news:
                # The channel has had a digest and nothing in it has changed: a repeat is noise.
                self.ledger.quiet(claim, digest.release_names)
                return Delivery(channel, "nothing new", detail=NOTHING_NEW)
            self.ledger.composed(claim, message, digest.release_names, leads_record(digest))
        return self._post(claim, message)

    def _release(self, claim: Claim) -> None:
        try:
            self.ledger.release(claim)
        except Exception:
            log.exception("digest for %s: could not release the claim", claim.channel)

    def _post(self, claim: Claim, message: dict) -> Delivery:
        posting_at = self.ledger.posting(claim)
        try:
            response = self.post_client.chat_postMessage(
                channel=claim.channel,
                text=message["text"],
                blocks=message["blocks"],
                unfurl_links=False,
                metadata={"event_type": DIGEST_EVENT, "event_payload": {"digest": claim.key}},
            )
        except SlackApiError as error:
            reason = str(error.response.get("error") or error)
            log.error("digest for %s was refused: %s", claim.channel, reason)
            self.ledger.failed(claim, reason)
            return Delivery(claim.channel, "failed", detail=reason)
        except (OSError, http.client.HTTPException) as error:
            # Slack may have taken the post before the connection went: look, never resend.
            log.warning("digest for %s: connection lost while posting (%r)", claim.channel, error)
            found = self._find_posted(claim, posting_at)
            if found:
                self.ledger.posted(claim, found)
                return Delivery(claim.channel, "posted", found, detail="found after the error")
            # Left "posting": a later run looks in the history again before it posts.
            return Delivery(
                claim.channel,
                "unknown",
                detail=f"connection lost while posting ({type(error).__name__}); a later run "
                "checks the channel history before posting it",
            )
        ts = response["ts"]
        self.ledger.posted(claim, ts)
        return Delivery(claim.channel, "posted", ts)

    def _find_posted(self, claim: Claim, posting_at: dt.datetime | None = None) -> str | None:
        """The ts of this digest if the channel has it, "" if it does not, None if unknown."""
        posting_at = posting_at or claim.posting_at or dt.datetime.now(dt.UTC)
        since = posting_at - dt.timedelta(minutes=1)
        try:
            response = self.client.conversations_history(
                channel=claim.channel,
                oldest=f"{since.timestamp():.6f}",
                include_all_metadata=True,
                limit=200,
            )
        except SlackApiError as error:
            log.error(
                "digest for %s may have been posted by a run that crashed, and the channel "
                "history cannot be read (%s): not posting it again",
                claim.channel,
                error.response.get("error"),
            )
            return None
        for message in response.get("messages", []):
            payload = (message.get("metadata") or {}).get("event_payload") or {}
            if payload.get("digest") == claim.key:
                return message["ts"]
        return ""


def run(
    poster: Poster,
    timezone: ZoneInfo,
    now: dt.datetime,
    channel: str | None = None,
    ignore_hour: bool = False,
) -> list[Delivery]:
    """Post every subscribed channel's digest that is due (all of them with ``ignore_hour``)."""
    local = local_now(now, timezone)
    found = []
    for subscription in Subscriptions(poster.state).all():
        if channel and subscription.channel != channel:
            continue
        if not ignore_hour and not is_due(subscription, local):
            continue
        try:
            found.append(poster.deliver(subscription, local.date()))
        except Exception as error:  # one channel's failure must not stop the others
            log.exception("digest for %s failed", subscription.channel)
            found.append(Delivery(subscription.channel, "failed", detail=str(error)))
    return found
