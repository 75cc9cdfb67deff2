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

log = logging.getLogger(__name__)


def on_home_opened(event: MessageEvent, client: WebClient, context: BoltContext) -> None:
    """Published after the ack (a rate-limited views.publish may wait its Retry-After)."""
    if event.get("tab") not in (None, "home"):
        return
    bot = crimebot(context)
    bot.later(publish_home, bot.db, client, event["user"])


def publish_home(db: Database, client: WebClient, user: str) -> None:
    try:
        client.views_publish(user_id=user, view=home_view(data_loaded(db)))
    except SlackApiError as error:
        log.error("views.publish failed: %s", error.response.data)
