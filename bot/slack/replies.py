"""What every listener shares: answer a question, post it, upload its chart, survive errors.

Listeners stay thin (parse, call, render); the Web API calls and their failure handling
live here once.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.ask import ask, ask_story
from bot.query.database import Database
from bot.query.plan import QueryPlan
from bot.render.answer import Answer
from bot.render.blocks import answer_blocks, fallback_text
from bot.render.chart import chart_png
from bot.render.story import Story
from bot.state import State

log = logging.getLogger(__name__)
SORRY = "Sorry, I couldn't post that answer in Slack. The error has been logged."


@dataclass
class Crimebot:
    db: Database
    state: State
    today: Callable[[], dt.date] = field(default=dt.date.today)
    timezone: str = "Europe/London"  # of digest hours
    # Answers run here, not on Bolt's listener pool: a few busy threads leave the GIL free
    # for the request threads that only need to ack, so acks stay fast under a burst.
    workers: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(max_workers=2, thread_name_prefix="answer")
    )

    def later(self, work: Callable[..., object], *args: object) -> None:
        """Run ``work`` after the ack; a failure is logged, never lost silently."""

        def run() -> None:
            try:
                work(*args)
            except Exception:
                log.exception("answer work failed")

        self.workers.submit(run)

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
    ) -> str | None:
        """Post an answer (and its chart) to a channel or thread; returns the message ts."""
        try:
            response = client.chat_postMessage(
                channel=channel,
                thread_ts=thread_ts,
                text=fallback_text(answer),
                blocks=answer_blocks(answer, question, shared_by=shared_by),
                unfurl_links=False,
            )
        except SlackApiError as error:
            log.error("chat.postMessage to %s failed: %s", channel, error.response.data)
            self._apologise(client, channel, thread_ts)
            return None
        ts = response.get("ts")
        self.upload_chart(client, channel, answer, thread_ts or ts)
        return ts

    def upload_chart(
        self, client: WebClient, channel: str, answer: Answer, thread_ts: str | None
    ) -> None:
        png = chart_png(answer)
        if png is None:
            return
        try:
            client.files_upload_v2(
                channel=channel,
                thread_ts=thread_ts,
                file=png,
                filename="crimebot-chart.png",
                title=answer.title or "crimebot chart",
            )
        except SlackApiError as error:
            log.error("files_upload_v2 to %s failed: %s", channel, error.response.data)

    @staticmethod
    def _apologise(client: WebClient, channel: str, thread_ts: str | None) -> None:
        try:
            client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=SORRY)
        except SlackApiError as error:
            log.error("could not apologise in %s either: %s", channel, error.response.data)
