"""The Bolt app, built in one place: a Crimebot, warmed up, and every listener registered."""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Callable, Iterator
from typing import TypedDict

from slack_bolt import App
from slack_sdk import WebClient

from bot.query.database import Database
from bot.settings import Settings
from bot.slack import listeners
from bot.slack.replies import Crimebot
from bot.slack.web import web_client
from bot.state.store import State

WARM_UP_QUESTION = "charge rate for harassment in Thames Valley"


class _AppOptions(TypedDict):
    signing_secret: str
    process_before_response: bool
    client: WebClient
    logger: logging.Logger


@contextlib.contextmanager
def _bolt_blind_to_oauth_environment() -> Iterator[None]:
    """Bolt turns on its own OAuth flow (files on local disk) whenever SLACK_CLIENT_ID and
    SLACK_CLIENT_SECRET are in the environment, even empty, as a copied .env.example leaves
    them: in single-workspace mode it must not see them."""
    hidden = {
        k: os.environ.pop(k) for k in ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET") if k in os.environ
    }
    try:
        yield
    finally:
        os.environ.update(hidden)


def build_app(
    settings: Settings,
    bot: Crimebot | None = None,
    before_answer: Callable[[], object] = lambda: None,
) -> App:
    """``before_answer``: called before each answer starts (the server's wait for acks)."""
    settings.require_slack()
    bot = bot or Crimebot(
        Database(settings.data_dir),
        State(settings.CRIMEBOT_STATE_URL),
        timezone=settings.CRIMEBOT_TIMEZONE,
        before_answer=before_answer,
    )
    bot.state.forget_old_deliveries()  # retries come within minutes; keep the table small
    # One answer before serving builds the vocabulary and warms DuckDB, so the first
    # requests a fresh worker takes in a burst do not pay for it.
    bot.answer(WARM_UP_QUESTION)
    options = _AppOptions(
        signing_secret=settings.SLACK_SIGNING_SECRET,
        # Listeners run in the request's own thread and the ack is the HTTP response the
        # moment they return. Every listener only queues its work (Crimebot.later), so that is
        # at once; otherwise Bolt runs each on a pool and checks for its ack every 10 ms.
        process_before_response=True,
        client=web_client(settings),
        logger=logging.getLogger("crimebot.slack"),
    )
    if settings.oauth_mode:
        from bot.slack.oauth import installation_store, oauth_settings

        store = installation_store(settings, bot.state.engine)
        app = App(**options, oauth_settings=oauth_settings(settings, bot.state, store))
        listeners.register(app, bot, store)
    else:
        with _bolt_blind_to_oauth_environment():
            app = App(**options)
        listeners.register(app, bot)
    return app
