"""Post each subscribed channel's digest once a day, when its hour has come.

`python -m bot digest` and the clock process both call ``run``: it is safe to call as often
as you like, from as many processes as you like (see ``bot.state.ledger``). What a digest
says, and which channels are due, is ``bot.answers.digest``'s; this module claims, posts,
and looks in the channel's history when a post may or may not have reached Slack.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import http.client
import logging
from collections.abc import Callable, Mapping
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.answers.alerts import record_digest
from bot.answers.digest import (
    NOTHING_NEW,
    Delivery,
    Outcome,
    compose_claimed,
    due,
    local_now,
    skipped,
)
from bot.query.database import Database
from bot.state.digest_thread import ThreadReplies
from bot.state.ledger import Claim, DigestStatus, Ledger
from bot.state.store import State
from bot.state.subscriptions import Subscription

log = logging.getLogger(__name__)
DIGEST_EVENT = "crimebot_digest"  # message metadata: finds a digest already in the channel
DIGEST_REPLY_EVENT = "crimebot_digest_reply"  # and a regional desk's reply in its thread


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
        self.thread = ThreadReplies(self.ledger)

    def deliver(self, subscription: Subscription, day: dt.date) -> Delivery:
        channel = subscription.channel
        claim = self.ledger.claim(channel, day.isoformat())
        if claim is None:
            return skipped(self.ledger, channel, day)
        if claim.status == DigestStatus.THREADING:
            return self._thread(claim, Outcome.POSTED, "the thread of a digest posted earlier")
        if claim.status == DigestStatus.POSTING:
            found = self._find_posted(claim)
            if found is None:
                return Delivery(
                    channel, Outcome.UNKNOWN, detail="could not read the channel history"
                )
            if found:
                return self._posted(claim, claim.message or {}, found, Outcome.FOUND)
        message: Mapping[str, Any] | None = claim.message
        if message is None:
            message = compose_claimed(self.ledger, claim, subscription, day, self.database)
            if message is None:
                return Delivery(channel, Outcome.NOTHING_NEW, detail=NOTHING_NEW)
        return self._post(claim, message)

    def _post(self, claim: Claim, message: Mapping[str, Any]) -> Delivery:
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
            return Delivery(claim.channel, Outcome.FAILED, detail=reason)
        except (OSError, http.client.HTTPException) as error:
            return self._lost(claim, message, posting_at, error)
        return self._posted(claim, message, response["ts"], Outcome.POSTED)

    def _posted(
        self, claim: Claim, message: Mapping[str, Any], ts: str, outcome: Outcome, detail: str = ""
    ) -> Delivery:
        """Record the post, then what it told the channel (for revision alerts in its thread),
        then post a regional desk's replies in its thread."""
        replies = message.get("thread") or []
        if replies:
            self.thread.started(claim, ts)
        else:
            self.ledger.posted(claim, ts)
        record_digest(self.state, claim.channel, claim.day, ts, self.database)
        if not replies:
            return Delivery(claim.channel, outcome, ts, detail)
        threading = DigestStatus.THREADING
        claim = dataclasses.replace(claim, status=threading, message=dict(message), ts=ts)
        return self._thread(dataclasses.replace(claim, replies=0, reply_posting_at=None), outcome)

    def _lost(
        self,
        claim: Claim,
        message: Mapping[str, Any],
        posting_at: dt.datetime,
        error: Exception,
    ) -> Delivery:
        """Slack may have taken the post before the connection went: look, never resend."""
        log.warning("digest for %s: connection lost while posting (%r)", claim.channel, error)
        found = self._find_posted(claim, posting_at)
        if found:
            return self._posted(claim, message, found, Outcome.POSTED, "found after the error")
        # Left "posting": a later run looks in the history again before it posts.
        return Delivery(
            claim.channel,
            Outcome.UNKNOWN,
            detail=f"connection lost while posting ({type(error).__name__}); a later run "
            "checks the channel history before posting it",
        )

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
        messages: list[dict] = response.get("messages", [])
        return _with_metadata(messages, DIGEST_EVENT, {"digest": claim.key})

    def _thread(self, claim: Claim, outcome: Outcome, detail: str = "") -> Delivery:
        """Post the replies the thread does not have yet, each once; then the day is done."""
        assert claim.message is not None and claim.ts is not None
        replies = claim.message.get("thread") or []
        first = claim.replies
        if claim.reply_posting_at is not None:  # a run died while sending this one: look
            found = self._find_reply(claim, first)
            if found is None:
                return Delivery(
                    claim.channel, Outcome.UNKNOWN, claim.ts, "could not read the digest's thread"
                )
            if found:
                self.thread.posted(claim, first)
                first += 1
        for part in range(first, len(replies)):
            stopped = self._reply(claim, part, replies[part])
            if stopped is not None:
                return stopped
        self.ledger.posted(claim, claim.ts)
        return Delivery(claim.channel, outcome, claim.ts, detail)

    def _reply(self, claim: Claim, part: int, reply: Mapping[str, Any]) -> Delivery | None:
        """Post one reply in the thread and record it; a Delivery if this run must stop."""
        assert claim.ts is not None
        posting_at = self.thread.posting(claim)
        which = f"the thread's reply {part + 1}"
        try:
            self.post_client.chat_postMessage(
                channel=claim.channel,
                thread_ts=claim.ts,
                text=reply["text"],
                blocks=reply["blocks"],
                unfurl_links=False,
                metadata={
                    "event_type": DIGEST_REPLY_EVENT,
                    "event_payload": {"digest": claim.key, "part": part},
                },
            )
        except SlackApiError as error:
            reason = str(error.response.get("error") or error)
            log.error("digest for %s: %s was refused: %s", claim.channel, which, reason)
            self.thread.failed(claim, reason)
            detail = f"{which} was refused ({reason}); a later run posts it"
            return Delivery(claim.channel, Outcome.FAILED, claim.ts, detail)
        except (OSError, http.client.HTTPException) as error:
            log.warning(
                "digest for %s: connection lost posting %s (%r)", claim.channel, which, error
            )
            if not self._find_reply(claim, part, posting_at):
                detail = f"connection lost posting {which}; a later run looks before posting it"
                return Delivery(claim.channel, Outcome.UNKNOWN, claim.ts, detail)
        self.thread.posted(claim, part)
        return None

    def _find_reply(
        self, claim: Claim, part: int, posting_at: dt.datetime | None = None
    ) -> str | None:
        """The ts of the thread's reply ``part`` if Slack has it, "" if not, None if unknown."""
        assert claim.ts is not None
        try:
            response = self.client.conversations_replies(
                channel=claim.channel, ts=claim.ts, include_all_metadata=True, limit=200
            )
        except SlackApiError as error:
            log.error(
                "digest for %s: its thread cannot be read (%s): not posting reply %d again",
                claim.channel,
                error.response.get("error"),
                part + 1,
            )
            return None
        expected = {"digest": claim.key, "part": part}
        return _with_metadata(response.get("messages", []), DIGEST_REPLY_EVENT, expected)


def _with_metadata(messages: list[dict], event: str, payload: dict[str, Any]) -> str:
    """The ts of the message carrying this metadata, or ""."""
    for message in messages:
        metadata = message.get("metadata") or {}
        found = metadata.get("event_payload") or {}
        if metadata.get("event_type") == event and all(
            found.get(k) == v for k, v in payload.items()
        ):
            return str(message["ts"])
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
    for subscription in due(poster.state, local, channel, ignore_hour):
        try:
            found.append(poster.deliver(subscription, local.date()))
        except Exception as error:  # one channel's failure must not stop the others
            log.exception("digest for %s failed", subscription.channel)
            found.append(Delivery(subscription.channel, Outcome.FAILED, detail=str(error)))
    return found
