"""The digest in Slack: `/crimestats subscribe | unsubscribe | subscriptions | story`, and the
"Write it up" buttons on each lead, which post a story draft in the digest's thread."""

from __future__ import annotations

import logging
import re

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.parse import Clarification
from bot.render.answer import Answer
from bot.render.blocks import answer_blocks, escape, fallback_text
from bot.render.digest import STORY_ACTION, subscription_text
from bot.render.story import Story, story_blocks
from bot.slack.oauth import remember_channel
from bot.slack.replies import Crimebot, rate_limited, say_busy_privately
from bot.state.ledger import Ledger
from bot.state.subscriptions import (
    Request,
    SubscriptionRefused,
    Subscriptions,
    parse_request,
)

log = logging.getLogger(__name__)
CANNOT_POST = (
    "I can't post in this channel, so I can't send it a digest. Invite me first "
    "(`/invite @crimebot`), then subscribe again."
)


def register(app: App, bot: Crimebot) -> None:
    @app.action(re.compile(f"^{STORY_ACTION}_\\d+$"))
    def write_it_up(ack: Ack, body: dict, action: dict, respond: Respond, client: WebClient):
        ack()
        bot.later(
            post_story,
            bot,
            body,
            action["value"],
            respond,
            client,
            busy=say_busy_privately(respond),
        )


def draft_reply(draft: Story | Answer) -> dict:
    """chat.postMessage / respond arguments for a draft or a clarification."""
    if isinstance(draft, Story):
        return {"text": fallback_text(draft), "blocks": story_blocks(draft)}
    return {"text": fallback_text(draft), "blocks": answer_blocks(draft)}


def post_story(bot: Crimebot, body: dict, question: str, respond: Respond, client: WebClient):
    """In the digest's thread, so the newsroom sees who is writing what."""
    draft = bot.story(question)
    channel = (body.get("channel") or {}).get("id")
    message_ts = (body.get("container") or {}).get("message_ts")
    reply = draft_reply(draft)
    if not channel or not message_ts:
        respond(response_type="ephemeral", replace_original=False, **reply)
        return
    user = (body.get("user") or {}).get("id", "")
    requested = {"type": "mrkdwn", "text": f"Draft requested by <@{user}>"}
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
            respond(response_type="ephemeral", replace_original=False, **draft_reply(draft))

    bot.outbox.send(channel, step)


def answer_story(bot: Crimebot, question: str, respond: Respond) -> None:
    respond(response_type="ephemeral", **draft_reply(bot.story(question)))


def answer_subscription(bot: Crimebot, command: dict, respond: Respond, client: WebClient) -> None:
    channel, user = command.get("channel_id", ""), command.get("user_id", "")
    request = parse_request(command.get("text") or "")
    if isinstance(request, Clarification):
        suggestions = ", ".join(f"`/crimestats {s}`" for s in request.questions(command["text"]))
        respond(
            response_type="ephemeral",
            text=escape(request.message + (f" {suggestions}" if suggestions else "")),
        )
        return
    subscriptions = Subscriptions(bot.state)
    if request.action == "list":
        respond(
            response_type="ephemeral",
            text=subscription_text(
                subscriptions.get(channel),
                bot.timezone,
                Ledger(bot.state).last_digest(channel),
            ),
        )
        return
    if request.action == "unsubscribe":
        _unsubscribe(bot, subscriptions, request, channel, user, respond, client)
        return
    previous = subscriptions.get(channel)
    try:
        now = subscriptions.subscribe(channel, request.forces, request.at, user)
    except SubscriptionRefused as refused:
        respond(response_type="ephemeral", text=escape(str(refused)))
        return
    # Whose channel it is: the digest is posted with that workspace's token, and stopped
    # when the workspace uninstalls.
    remember_channel(bot.state, channel, command.get("team_id"), command.get("enterprise_id"))
    text = f"<@{user}> set up this channel's digest. " + subscription_text(now, bot.timezone)
    try:
        client.chat_postMessage(channel=channel, text=text)
    except SlackApiError as error:
        log.warning("cannot post in %s: %s", channel, error.response.get("error"))
        subscriptions.restore(channel, previous)
        respond(response_type="ephemeral", text=CANNOT_POST)


def _unsubscribe(
    bot: Crimebot,
    subscriptions: Subscriptions,
    request: Request,
    channel: str,
    user: str,
    respond: Respond,
    client: WebClient,
) -> None:
    if subscriptions.get(channel) is None:
        respond(response_type="ephemeral", text=subscription_text(None, bot.timezone))
        return
    left = subscriptions.unsubscribe(channel, request.forces)
    text = (
        f"<@{user}> changed this channel's digest. " + subscription_text(left, bot.timezone)
        if left
        else f"<@{user}> stopped this channel's crimebot digest."
    )
    try:
        client.chat_postMessage(channel=channel, text=text)
    except SlackApiError:
        respond(response_type="ephemeral", text=text)
