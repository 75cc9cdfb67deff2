"""The Bolt app, wired in one place."""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler

from bot.query.database import Database
from bot.settings import Settings
from bot.slack import actions, commands, digest, home, mentions
from bot.slack.replies import Crimebot, RetryAfterHandler
from bot.state.store import State

WARM_UP_QUESTION = "charge rate for harassment in Thames Valley"


def web_client(settings: Settings) -> WebClient:
    """Retries connection errors and honours 429 Retry-After (slack_sdk retries neither
    by default). Answers are posted through the Outbox, where a 429 does not sleep the
    thread but holds back only its channel; elsewhere (the digest) the call sleeps."""
    return WebClient(
        token=settings.SLACK_BOT_TOKEN or None,  # None in OAuth mode: each request brings one
        base_url=settings.api_url,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=2),
            RetryAfterHandler(max_retry_count=3),
        ],
    )


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


def build_app(settings: Settings, bot: Crimebot | None = None) -> App:
    settings.require_slack()
    bot = bot or Crimebot(
        Database(settings.data_dir),
        State(settings.CRIMEBOT_STATE_URL),
        timezone=settings.CRIMEBOT_TIMEZONE,
    )
    bot.state.forget_old_deliveries()  # retries come within minutes; keep the table small
    # One answer before serving builds the vocabulary and warms DuckDB, so the first
    # requests a fresh worker takes in a burst do not pay for it.
    bot.answer(WARM_UP_QUESTION)
    threads = settings.CRIMEBOT_THREADS
    options = {
        "signing_secret": settings.SLACK_SIGNING_SECRET,
        "client": web_client(settings),
        # Acks run on this pool too: it must be wider than a burst of commands.
        "listener_executor": ThreadPoolExecutor(
            max_workers=threads * 2, thread_name_prefix="listener"
        ),
        "logger": logging.getLogger("crimebot.slack"),
    }
    if settings.oauth_mode:
        from bot.slack import oauth

        store = oauth.installation_store(settings, bot.state.engine)
        app = App(**options, oauth_settings=oauth.oauth_settings(settings, bot.state, store))
        oauth.register(app, bot.state, store)
    else:
        with _bolt_blind_to_oauth_environment():
            app = App(**options)
    for module in (commands, mentions, actions, home, digest):
        module.register(app, bot)
    return app
