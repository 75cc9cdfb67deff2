"""`/crimestats subscribe | unsubscribe | subscriptions`: a channel's morning digest, set up,
changed or described. The change is announced in the channel, which also proves the bot
can post there."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.parse import Clarification
from bot.parse.subscriptions import Action, Request, parse_request
from bot.render.blocks import escape
from bot.render.clarifications import clarification_text
from bot.render.digest import subscription_text
from bot.render.replies import (
    CANNOT_POST,
    digest_changed,
    digest_set_up,
    digest_stopped,
    patch_refused,
)
from bot.slack.listeners.payloads import SlashCommand
from bot.slack.replies import Crimebot
from bot.slack.replies.private import ResponseType
from bot.state.ledger import Ledger
from bot.state.subscriptions import MAX_FORCES, SubscriptionRefused, Subscriptions
from bot.state.workspaces import remember_channel

log = logging.getLogger(__name__)
Reply = Callable[..., Any]
PRIVATELY = ResponseType.EPHEMERAL


def answer_subscription(
    bot: Crimebot, command: SlashCommand, respond: Reply, client: WebClient
) -> None:
    channel = command.get("channel_id", "")
    request = parse_request(command.get("text") or "")
    if isinstance(request, Clarification):
        suggestions = ", ".join(f"`/crimestats {s}`" for s in request.questions(command["text"]))
        respond(
            response_type=PRIVATELY,
            text=escape(clarification_text(request) + (f" {suggestions}" if suggestions else "")),
        )
        return
    subscriptions = Subscriptions(bot.state)
    if request.action is Action.LIST:
        last = Ledger(bot.state).last_digest(channel)
        text = subscription_text(subscriptions.get(channel), bot.timezone, last)
        respond(response_type=PRIVATELY, text=text)
    elif request.action is Action.UNSUBSCRIBE:
        _unsubscribe(bot, subscriptions, request, command, respond, client)
    else:
        _subscribe(bot, subscriptions, request, command, respond, client)


def _subscribe(
    bot: Crimebot,
    subscriptions: Subscriptions,
    request: Request,
    command: SlashCommand,
    respond: Reply,
    client: WebClient,
) -> None:
    channel, user = command.get("channel_id", ""), command.get("user_id", "")
    previous = subscriptions.get(channel)
    try:
        now = subscriptions.subscribe(channel, request.forces, request.at, user)
    except SubscriptionRefused as refused:
        respond(response_type=PRIVATELY, text=patch_refused(refused.forces, MAX_FORCES))
        return
    # Whose channel it is: the digest is posted with that workspace's token, and stopped
    # when the workspace uninstalls.
    remember_channel(bot.state, channel, command.get("team_id"), command.get("enterprise_id"))
    text = digest_set_up(user, subscription_text(now, bot.timezone))
    try:
        client.chat_postMessage(channel=channel, text=text)
    except SlackApiError as error:
        log.warning("cannot post in %s: %s", channel, error.response.get("error"))
        subscriptions.restore(channel, previous)
        respond(response_type=PRIVATELY, text=CANNOT_POST)


def _unsubscribe(
    bot: Crimebot,
    subscriptions: Subscriptions,
    request: Request,
    command: SlashCommand,
    respond: Reply,
    client: WebClient,
) -> None:
    channel, user = command.get("channel_id", ""), command.get("user_id", "")
    if subscriptions.get(channel) is None:
        respond(response_type=PRIVATELY, text=subscription_text(None, bot.timezone))
        return
    left = subscriptions.unsubscribe(channel, request.forces)
    text = (
        digest_changed(user, subscription_text(left, bot.timezone))
        if left
        else digest_stopped(user)
    )
    try:
        client.chat_postMessage(channel=channel, text=text)
    except SlackApiError:
        respond(response_type=PRIVATELY, text=text)
