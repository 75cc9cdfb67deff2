"""What every listener shares: answer a question, post it, upload its chart, survive errors.

Listeners stay thin (parse, call, render); the Web API calls and their failure handling
live here once.

Two things keep answers prompt under load. The answer queue is bounded (Crimebot.later): a
burst beyond it is told at once to try again rather than answered minutes late. And posts
go through an Outbox that keeps each channel's posts in order and, on a 429, holds back only
that channel until its Retry-After has passed, on a timer: no thread sleeps, so other
channels are answered meanwhile.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from bot.answers.ask import ask, ask_story
from bot.core.plan import QueryPlan
from bot.query.database import Database
from bot.render.answer import Answer
from bot.render.blocks import answer_blocks, fallback_text
from bot.render.chart import chart
from bot.render.story import Story
from bot.settings import LONDON
from bot.state.store import State

log = logging.getLogger(__name__)
SORRY = "Sorry, I couldn't post that answer in Slack. The error has been logged."
BUSY = "I'm busy right now: try again in a minute."
# Answers waiting or running at once. The two answer threads compute about 95 answers a
# second (measured on 2 cores) and the server answered 5,000 mentions in 108 s (46 a second,
# posting included), so the last of 200 waits 2 to 4 s; beyond that a reply would come
# minutes late, and "try again" is the more useful answer.
MAX_PENDING = 200
MAX_RATE_LIMITED = 5  # 429s one post may get before it is given up (and logged)
PostStep = Callable[[], "PostStep | None"]  # a Web API call; may return the next step

_in_outbox = threading.local()


def retry_after(headers: dict | None, default: float = 1.0) -> float:
    """Seconds a 429 asks us to wait: its Retry-After, fractional or not, within [0, 60]."""
    for key, value in (headers or {}).items():
        if key.lower() == "retry-after":
            value = value[0] if isinstance(value, list) else value
            try:
                return min(max(float(value), 0.0), 60.0)
            except ValueError:
                break
    return default


class RetryAfterHandler(RateLimitErrorRetryHandler):
    """slack_sdk's 429 handler, but it reads a fractional Retry-After ("1.5" made it raise),
    and in the Outbox's threads it does not sleep: there the 429 is raised, and the Outbox
    waits for that channel alone."""

    def _can_retry(self, *, state, request, response=None, error=None) -> bool:
        if getattr(_in_outbox, "active", False):
            return False
        return super()._can_retry(state=state, request=request, response=response, error=error)

    def prepare_for_next_attempt(self, *, state, request, response=None, error=None) -> None:
        if response is None:
            raise error  # type: ignore[misc]
        state.next_attempt_requested = True
        time.sleep(retry_after(response.headers))
        state.increment_current_attempt()


def rate_limited(error: SlackApiError) -> bool:
    return getattr(error.response, "status_code", None) == 429


@dataclass
class _Post:
    step: PostStep
    limited: int = 0  # 429s so far


class Outbox:
    """Web API posts, in order within each channel, a few channels at a time. A 429 holds back
    that channel's queue until Retry-After has passed (a timer, not a sleeping thread), then
    the same post is sent again, up to MAX_RATE_LIMITED times, then logged and dropped."""

    def __init__(self, threads: int = 4, max_rate_limited: int = MAX_RATE_LIMITED) -> None:
        self.pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="post")
        self.max_rate_limited = max_rate_limited
        self.lock = threading.Lock()
        self.queues: dict[str, deque[_Post]] = {}  # a channel is here while it has posts

    def send(self, channel: str, step: PostStep) -> None:
        with self.lock:
            queue = self.queues.get(channel)
            if queue is not None:  # being drained, or waiting out a 429: it will get there
                queue.append(_Post(step))
                return
            self.queues[channel] = deque([_Post(step)])
        self.pool.submit(self._drain, channel)

    def _drain(self, channel: str) -> None:
        _in_outbox.active = True
        while True:
            with self.lock:
                queue = self.queues[channel]
                if not queue:
                    del self.queues[channel]
                    return
                post = queue[0]
            following = None
            try:
                following = post.step()
            except SlackApiError as error:
                if rate_limited(error) and post.limited < self.max_rate_limited:
                    post.limited += 1
                    delay = retry_after(error.response.headers)
                    timer = threading.Timer(delay, self.pool.submit, (self._drain, channel))
                    timer.daemon = True
                    timer.start()
                    return  # the channel stays queued: later posts wait behind this one
                log.error("a post to %s failed: %s", channel, error.response.data)
            except Exception:
                log.exception("a post to %s failed", channel)
            with self.lock:
                queue.popleft()
                if following is not None:  # the chart goes before the next answer
                    queue.appendleft(_Post(following))


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
    _pending: int = field(default=0, init=False, repr=False)
    _refused: int = field(default=0, init=False, repr=False)  # in a row, while full
    _pending_lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def later(
        self, work: Callable[..., object], *args: object, busy: Callable[[], object] | None = None
    ) -> bool:
        """Run ``work`` after the ack; a failure is logged, never lost silently. With
        max_pending answers already waiting, ``busy`` is called at once instead (it tells the
        user to try again) and False returned."""
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
                try:
                    busy()
                except Exception:
                    log.exception("could not say the bot is busy")
            return False

        def run() -> None:
            try:
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
    ) -> None:
        """Queue an answer (then its chart) for a channel or thread, behind that channel's
        earlier posts; a post Slack refuses gets an apology in its place."""
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
            return lambda: self._upload_chart(client, channel, answer, thread_ts or ts)

        self.outbox.send(channel, message)

    def send(self, client: WebClient, channel: str, **message: object) -> None:
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
            client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=SORRY)
        except SlackApiError as error:
            if rate_limited(error):
                raise
            log.error("could not apologise in %s either: %s", channel, error.response.data)


def say_busy_privately(respond: Callable[..., object]) -> Callable[[], object]:
    """The queue is full: tell whoever pressed the button, leaving the message as it is."""
    return lambda: respond(response_type="ephemeral", replace_original=False, text=BUSY)


def respond_or_fall_back(
    respond: Callable[..., object], client: WebClient, channel: str, user: str
) -> Callable[..., None]:
    """``respond`` for a private reply that must not be lost: when the response_url fails (an
    error status, or no connection) it is logged and the message goes by chat.postEphemeral
    to the user in the channel, or failing that as a direct message."""

    def reply(**message: object) -> None:
        try:
            status = getattr(respond(**message), "status_code", 200)
            problem = None if 200 <= status < 300 else f"HTTP {status}"
        except Exception as error:  # the webhook client raises on a refused connection
            problem = f"{type(error).__name__}: {error}"
        if problem is None:
            return
        log.warning("response_url failed (%s): sending to %s in %s instead", problem, user, channel)
        content = {k: v for k, v in message.items() if k in ("text", "blocks")}
        try:
            client.chat_postEphemeral(channel=channel, user=user, **content)
            return
        except SlackApiError as error:
            log.warning("chat.postEphemeral to %s failed: %s", channel, error.response.data)
        try:
            client.chat_postMessage(channel=user, **content)
        except SlackApiError as error:
            log.error("could not send %s the reply at all: %s", user, error.response.data)

    return reply
