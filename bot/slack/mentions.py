"""@crimebot in a channel: answer in the thread; later mentions there are follow-ups.
"@crimebot story harassment Thames Valley" gets a story draft in the thread.

One message can arrive several times (Slack's retries, and as both an app_mention and a
message event): it is answered once, keyed on channel and message ts. With the answer queue
full, the thread is told at once to try again (and the message counts as answered).
"""

from __future__ import annotations

import re

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.answers.story import is_story_request
from bot.slack.digest import draft_reply
from bot.slack.replies import Crimebot

_MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")


def register(app: App, bot: Crimebot) -> None:
    @app.event("app_mention")
    def on_mention(event: dict, client: WebClient) -> None:
        queue_reply(bot, client, event)

    @app.event("message")
    def on_message(event: dict, client: WebClient, context: BoltContext) -> None:
        mentioned = context.bot_user_id and f"<@{context.bot_user_id}>" in event.get("text", "")
        if mentioned and not event.get("subtype") and not event.get("bot_id"):
            queue_reply(bot, client, event)


def queue_reply(bot: Crimebot, client: WebClient, event: dict) -> None:
    channel, ts = event["channel"], event["ts"]

    def busy() -> None:
        if bot.state.first_delivery(f"message:{channel}:{ts}"):
            bot.say_busy(client, channel, event.get("thread_ts") or ts)

    bot.later(reply_in_thread, bot, client, event, busy=busy)


def reply_in_thread(bot: Crimebot, client: WebClient, event: dict) -> None:
    channel, ts = event["channel"], event["ts"]
    if not bot.state.first_delivery(f"message:{channel}:{ts}"):
        return
    thread_ts = event.get("thread_ts") or ts
    question = _MENTION.sub(" ", event.get("text", "")).strip()
    if is_story_request(question):
        reply = draft_reply(bot.story(question))
        bot.send(client, channel, thread_ts=thread_ts, unfurl_links=False, **reply)
        return
    previous = bot.state.thread_plan(channel, thread_ts) if event.get("thread_ts") else None
    answer, plan = bot.answer(question, previous)
    if plan is not None:
        bot.state.save_thread_plan(channel, thread_ts, plan)
    bot.post(client, channel, answer, question, thread_ts=thread_ts)
