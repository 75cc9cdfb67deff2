"""Private replies (to whoever typed the command or pressed the button) that are not lost
when the response_url fails."""

from __future__ import annotations

import logging
from collections.abc import Callable
from enum import StrEnum
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.render.replies import BUSY

log = logging.getLogger(__name__)


class ResponseType(StrEnum):
    """Who sees a reply sent by response_url."""

    EPHEMERAL = "ephemeral"  # only whoever typed the command or pressed the button
    IN_CHANNEL = "in_channel"  # everyone in the channel


def say_busy_privately(respond: Callable[..., object]) -> Callable[[], object]:
    """The queue is full: tell whoever pressed the button, leaving the message as it is."""
    return lambda: respond(response_type=ResponseType.EPHEMERAL, replace_original=False, text=BUSY)


def respond_or_fall_back(
    respond: Callable[..., object], client: WebClient, channel: str, user: str
) -> Callable[..., None]:
    """``respond`` for a private reply that must not be lost: when the response_url fails (an
    error status, or no connection) it is logged and the message goes by chat.postEphemeral
    to the user in the channel, or failing that as a direct message."""

    def reply(**message: Any) -> None:
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
