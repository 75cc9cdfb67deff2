"""The bot as Slack listeners see it: a bounded answer queue, answers and drafts for the
day, and the posts that carry them (through the Outbox, in order, with their charts).

The answer queue is bounded (Crimebot.later): a burst beyond it is told at once to try again
rather than answered minutes late.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.answers.ask import ask
from bot.answers.story import ask_story
from bot.core.plan import QueryPlan
from bot.query.database import Database
from bot.render.answer import Answer
from bot.render.blocks import answer_blocks, fallback_text
from bot.render.chart import chart
from bot.render.replies import BUSY, NOT_POSTED
from bot.render.story import Story
from bot.settings import LONDON
from bot.slack.replies.outbox import Outbox, PostStep, rate_limited
from bot.state.store import State

log = logging.getLogger(__name__)
# Answers waiting or running at once. The two answer threads compute about 95 answers a
# second (measured on 2 cores) and the server answered 5,000 mentions in 108 s (46 a second,
# posting included), so the last of 200 waits 2 to 4 s; beyond that a reply would come
# minutes late, and "try again" is the more useful answer.
MAX_PENDING = 200
BUSY_QUEUE = "busy"  # the outbox queue the "try again" replies go out on, in order


def _post_step(call: Callable[[], object]) -> PostStep:
    def step() -> None:
        call()

    return step


@dataclass
class Crimebot:
    db: Database
    state: State
    today: Callable[[], dt.date] = field(default=dt.date.today)
    timezone: ZoneInfo = LONDON  # of digest hours
    # Answers run here, not on Bolt's listener pool: a few busy threads leave the GIL free
    # for the request threads that only need to ack, so acks stay fast under a burst.
    workers: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(max_workers=2, thread_name_prefix="answer")
    )
    max_pending: int = MAX_PENDING
    outbox: Outbox = field(default_factory=Outbox)
    # Called before each answer starts: the server waits there for the acks in flight
    # (bot.slack.acks_first).
    before_answer: Callable[[], object] = field(default=lambda: None)
    _pending: int = field(default=0, init=False, repr=False)
    _refused: int = field(default=0, init=False, repr=False)  # in a row, while full
    _pending_lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def later(
        self, work: Callable[..., object], *args: object, busy: Callable[[], object] | None = None
    ) -> bool:
        """Run ``work`` after the ack; a failure is logged, never lost silently. With
        max_pending answers already waiting, False is returned and ``busy`` (which tells the
        user to try again) is sent through the outbox at once, never in the caller's thread:
        that is the request's, and its ack waits for it."""
        with self._pending_lock:
            full = self._pending >= self.max_pending
            refused, self._refused = self._refused, (self._refused + 1 if full else 0)
            if not full:
                self._pending += 1
        if full and not refused:  # once per spell of overload, not once per message
            log.warning("answer queue full (%d): telling users to try again", self.max_pending)
        elif not full and refused:
            log.info("answer queue accepting again, after refusing %d", refused)
        if full:
            if busy is not None:
                self.outbox.send(BUSY_QUEUE, _post_step(busy))
            return False

        def run() -> None:
            try:
                self.before_answer()
                work(*args)
            except Exception:
                log.exception("answer work failed")
            finally:
                with self._pending_lock:
                    self._pending -= 1

        self.workers.submit(run)
        return True

    def say_busy(self, client: WebClient, channel: str, thread_ts: str | None) -> None:
        """The queue is full: say so in the thread (through the outbox, so in order)."""
        self.send(client, channel, thread_ts=thread_ts, text=BUSY)

    def answer(
        self, question: str, previous: QueryPlan | None = None
    ) -> tuple[Answer, QueryPlan | None]:
        return ask(question, self.db, self.today(), previous)

    def story(self, question: str) -> Story | Answer:
        return ask_story(question, self.db, self.today())

    def post(
        self,
        client: WebClient,
        channel: str,
        answer: Answer,
        question: str,
        thread_ts: str | None = None,
        shared_by: str = "",
        on_posted: Callable[[str], object] | None = None,
    ) -> None:
        """Queue an answer (then its chart) for a channel or thread, behind that channel's
        earlier posts; a post Slack refuses gets an apology in its place. ``on_posted`` is
        called with the message's ts once Slack has taken it (a failure there is logged)."""
        text = fallback_text(answer)
        blocks = answer_blocks(answer, question, shared_by=shared_by)

        def message() -> PostStep | None:
            try:
                response = client.chat_postMessage(
                    channel=channel,
                    thread_ts=thread_ts,
                    text=text,
                    blocks=blocks,
                    unfurl_links=False,
                )
            except SlackApiError as error:
                if rate_limited(error):
                    raise  # the outbox sends it again after Retry-After
                log.error("chat.postMessage to %s failed: %s", channel, error.response.data)
                return lambda: self._apologise(client, channel, thread_ts)
            ts = response.get("ts")
            if on_posted is not None and ts:
                try:
                    on_posted(ts)
                except Exception:
                    log.exception("after posting to %s", channel)
            return lambda: self._upload_chart(client, channel, answer, thread_ts or ts)

        self.outbox.send(channel, message)

    def send(self, client: WebClient, channel: str, **message: Any) -> None:
        """Queue one chat.postMessage (a story draft, say) behind the channel's earlier posts."""

        def step() -> None:
            try:
                client.chat_postMessage(channel=channel, **message)
            except SlackApiError as error:
                if rate_limited(error):
                    raise
                log.error("chat.postMessage to %s failed: %s", channel, error.response.data)

        self.outbox.send(channel, step)

    def upload_chart(
        self, client: WebClient, channel: str, answer: Answer, thread_ts: str | None
    ) -> None:
        """Queue the answer's chart (if it has one) behind the channel's earlier posts."""
        self.outbox.send(channel, lambda: self._upload_chart(client, channel, answer, thread_ts))

    @staticmethod
    def _upload_chart(
        client: WebClient, channel: str, answer: Answer, thread_ts: str | None
    ) -> None:
        drawn = chart(answer)
        if drawn is None:
            return
        try:
            client.files_upload_v2(
                channel=channel,
                thread_ts=thread_ts,
                file=drawn.png,
                filename="crimebot-chart.png",
                title=drawn.title or answer.title or "crimebot chart",
                alt_txt=drawn.alt_text,  # screen readers, and Slack's own preview text
            )
        except SlackApiError as error:
            if rate_limited(error):
                raise
            log.error("files_upload_v2 to %s failed: %s", channel, error.response.data)

    @staticmethod
    def _apologise(client: WebClient, channel: str, thread_ts: str | None) -> None:
        try:
            client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=NOT_POSTED)
        except SlackApiError as error:
            if rate_limited(error):
                raise
            log.error("could not apologise in %s either: %s", channel, error.response.data)
