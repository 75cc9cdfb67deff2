"""Story drafts: `/crimestats story …` answers privately, "@crimebot story …" in the thread,
and a lead's "Write it up" button posts one in the digest's thread, so the newsroom sees
who is writing what."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.render.answer import Answer
from bot.render.blocks import Block, answer_blocks, fallback_text
from bot.render.replies import draft_requested
from bot.render.story import Story, story_blocks
from bot.slack.listeners.context import crimebot
from bot.slack.listeners.payloads import (
    ButtonAction,
    ButtonPress,
    channel_of,
    container_of,
    user_of,
)
from bot.slack.listeners.shared import queue_press
from bot.slack.replies import Crimebot, rate_limited
from bot.slack.replies.private import ResponseType

log = logging.getLogger(__name__)


def write_it_up(
    ack: Ack,
    body: ButtonPress,
    action: ButtonAction,
    respond: Respond,
    client: WebClient,
    context: BoltContext,
) -> None:
    ack()
    queue_press(post_story, crimebot(context), body, action, respond, client)


def draft_reply(draft: Story | Answer) -> dict[str, Any]:
    """chat.postMessage / respond arguments for a draft or a clarification."""
    blocks: list[Block] = story_blocks(draft) if isinstance(draft, Story) else answer_blocks(draft)
    return {"text": fallback_text(draft), "blocks": blocks}


def answer_story(bot: Crimebot, question: str, respond: Callable[..., Any]) -> None:
    respond(response_type=ResponseType.EPHEMERAL, **draft_reply(bot.story(question)))


def post_story(
    bot: Crimebot, body: ButtonPress, question: str, respond: Respond, client: WebClient
) -> None:
    """In the digest's thread, signed with who asked; privately if there is no thread."""
    draft = bot.story(question)
    channel = channel_of(body)
    container = container_of(body)
    # A regional desk's button may be in a reply in the digest's thread: post in that thread.
    message_ts = container.get("thread_ts") or container.get("message_ts")
    reply = draft_reply(draft)
    if not channel or not message_ts:
        respond(response_type=ResponseType.EPHEMERAL, replace_original=False, **reply)
        return
    user = user_of(body)
    requested = {"type": "mrkdwn", "text": draft_requested(user)}
    reply["blocks"] = [*reply["blocks"], {"type": "context", "elements": [requested]}][:50]

    def step() -> None:
        try:
            client.chat_postMessage(
                channel=channel, thread_ts=message_ts, unfurl_links=False, **reply
            )
        except SlackApiError as error:
            if rate_limited(error):
                raise  # the outbox sends it again after Retry-After
            log.error("story draft to %s failed: %s", channel, error.response.data)
            respond(
                response_type=ResponseType.EPHEMERAL, replace_original=False, **draft_reply(draft)
            )

    bot.outbox.send(channel, step)
