"""App Home: publish what the loaded data holds (bot.answers.home gathers it,
bot.render.home lays it out)."""

from __future__ import annotations

import logging

from slack_bolt import BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.answers.home import data_loaded
from bot.query.database import Database
from bot.render.home import home_view
from bot.slack.listeners.context import crimebot
from bot.slack.listeners.payloads import MessageEvent
from bot.slack.replies import rate_limited

log = logging.getLogger(__name__)


def on_home_opened(event: MessageEvent, client: WebClient, context: BoltContext) -> None:
    """Published after the ack, through the outbox: a 429 holds back this user's Home tab on
    a timer instead of sleeping a thread."""
    if event.get("tab") not in (None, "home"):
        return
    bot, user = crimebot(context), event["user"]
    bot.outbox.send(f"home:{user}", lambda: publish_home(bot.db, client, user))


def publish_home(db: Database, client: WebClient, user: str) -> None:
    try:
        client.views_publish(user_id=user, view=home_view(data_loaded(db)))
    except SlackApiError as error:
        if rate_limited(error):
            raise  # the outbox publishes it again after Retry-After
        log.error("views.publish failed: %s", error.response.data)
