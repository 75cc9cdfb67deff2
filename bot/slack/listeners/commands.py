"""/crimestats: ack at once, then answer privately with a "Share in channel" button; the
digest's own commands (subscribe, unsubscribe, subscriptions, story) go to their listeners.

Replies go by the command's response_url, and by chat.postEphemeral (or a DM) if that
fails; with the answer queue full, the ack itself tells the user to try again."""

from __future__ import annotations

import functools

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot.parse.story import is_story_request
from bot.parse.subscriptions import is_subscription_command
from bot.render.blocks import help_blocks
from bot.render.replies import BUSY
from bot.slack.listeners.context import crimebot
from bot.slack.listeners.payloads import SlashCommand
from bot.slack.listeners.shared import answer_privately
from bot.slack.listeners.stories import answer_story
from bot.slack.listeners.subscriptions import answer_subscription
from bot.slack.replies import respond_or_fall_back
from bot.slack.replies.private import ResponseType

COMMAND = "/crimestats"
HELP_WORDS = {"", "help", "?", "examples"}
HELP_TEXT = "crimebot: ask for police recorded crime figures"


def crimestats(
    ack: Ack, command: SlashCommand, respond: Respond, client: WebClient, context: BoltContext
) -> None:
    """Help, and "busy" when the answer queue is full, come in the ack itself: Slack shows
    it at once, with no second request. Anything that queries waits its turn in the bounded
    answer queue and replies by the response_url."""
    question = (command.get("text") or "").strip()
    if question.lower() in HELP_WORDS:
        ack(response_type=ResponseType.EPHEMERAL, blocks=help_blocks(), text=HELP_TEXT)
        return
    bot = crimebot(context)
    reply = respond_or_fall_back(
        respond, client, command.get("channel_id", ""), command.get("user_id", "")
    )
    if is_subscription_command(question):
        queued = bot.later(answer_subscription, bot, command, reply, client)
    elif is_story_request(question):
        queued = bot.later(answer_story, bot, question, reply)
    else:
        private = functools.partial(answer_privately, response_type=ResponseType.EPHEMERAL)
        queued = bot.later(private, bot, question, reply)
    if queued:
        ack()  # the HTTP response goes once this listener returns (process_before_response)
    else:
        ack(response_type=ResponseType.EPHEMERAL, text=BUSY)
