"""App Home: publish what the loaded data holds (bot.answers.home gathers it,
bot.render.home lays it out)."""

from __future__ import annotations

import logging

from slack_bolt import BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.answers.home import data_loaded
from bot.render.home import home_view
from bot.slack.listeners.context import crimebot
from bot.slack.listeners.payloads import MessageEvent

log = logging.getLogger(__name__)


def on_home_opened(event: MessageEvent, client: WebClient, context: BoltContext) -> None:
    if event.get("tab") not in (None, "home"):
        return
    try:
        client.views_publish(
            user_id=event["user"], view=home_view(data_loaded(crimebot(context).db))
        )
    except SlackApiError as error:
        log.error("views.publish failed: %s", error.response.data)
