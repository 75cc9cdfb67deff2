"""@crimebot in a channel: answer in the thread; later mentions there are follow-ups.
"@crimebot story harassment Thames Valley" gets a story draft in the thread.

One message can arrive several times (Slack's retries, and as both an app_mention and a
message event): it is answered once, keyed on channel and message ts. With the answer queue
full, the thread is told at once to try again (and the message counts as answered).
"""

from __future__ import annotations

import re

from slack_bolt import BoltContext
from slack_sdk import WebClient

from bot.parse.story import is_story_request
from bot.slack.listeners.context import crimebot
from bot.slack.listeners.payloads import MessageEvent
from bot.slack.listeners.shared import follow_up
from bot.slack.listeners.stories import draft_reply
from bot.slack.replies import Crimebot

_MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")


def on_mention(event: MessageEvent, client: WebClient, context: BoltContext) -> None:
    queue_reply(crimebot(context), client, event)


def on_message(event: MessageEvent, client: WebClient, context: BoltContext) -> None:
    """A message naming the bot where app_mention is not sent (a private channel, say)."""
    mentioned = context.bot_user_id and f"<@{context.bot_user_id}>" in event.get("text", "")
    if mentioned and not event.get("subtype") and not event.get("bot_id"):
        queue_reply(crimebot(context), client, event)


def _key(event: MessageEvent) -> str:
    return f"message:{event['channel']}:{event['ts']}"


def queue_reply(bot: Crimebot, client: WebClient, event: MessageEvent) -> None:
    def busy() -> None:
        if bot.state.first_delivery(_key(event)):
            bot.say_busy(client, event["channel"], event.get("thread_ts") or event["ts"])

    bot.later(reply_in_thread, bot, client, event, busy=busy)


def reply_in_thread(bot: Crimebot, client: WebClient, event: MessageEvent) -> None:
    if not bot.state.first_delivery(_key(event)):
        return
    channel = event["channel"]
    thread_ts = event.get("thread_ts") or event["ts"]
    question = _MENTION.sub(" ", event.get("text", "")).strip()
    if is_story_request(question):
        reply = draft_reply(bot.story(question))
        bot.send(client, channel, thread_ts=thread_ts, unfurl_links=False, **reply)
        return
    follow_up(bot, client, channel, thread_ts, question, in_thread=bool(event.get("thread_ts")))
