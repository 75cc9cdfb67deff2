"""Posts that keep each channel's order and survive 429s without sleeping a thread.

The Outbox keeps each channel's posts in order and, on a 429, holds back only that channel
until its Retry-After has passed, on a timer: no thread sleeps, so other channels are
answered meanwhile.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

log = logging.getLogger(__name__)
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
            raise error
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
