"""Buttons: "Share in channel" posts the answer for everyone; "Did you mean …?" asks again;
"Download CSV" uploads the rows behind an answer. Each acks, then queues its work."""

from __future__ import annotations

import logging

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.answers.ask import pinned
from bot.render.blocks import answer_blocks, fallback_text
from bot.render.csv_export import answer_csv
from bot.render.replies import CSV_FAILED, CSV_NEEDS_THREAD
from bot.slack.listeners.context import crimebot
from bot.slack.listeners.payloads import (
    ButtonAction,
    ButtonPress,
    channel_of,
    container_of,
)
from bot.slack.listeners.shared import answer_privately, follow_up, queue_press
from bot.slack.replies import Crimebot
from bot.slack.replies.private import ResponseType

log = logging.getLogger(__name__)


def share(
    ack: Ack,
    body: ButtonPress,
    action: ButtonAction,
    respond: Respond,
    client: WebClient,
    context: BoltContext,
) -> None:
    ack()
    queue_press(share_answer, crimebot(context), body, action, respond, client)


def suggestion(
    ack: Ack,
    body: ButtonPress,
    action: ButtonAction,
    respond: Respond,
    client: WebClient,
    context: BoltContext,
) -> None:
    ack()
    queue_press(ask_suggestion, crimebot(context), body, action, respond, client)


def download_csv(
    ack: Ack,
    body: ButtonPress,
    action: ButtonAction,
    respond: Respond,
    client: WebClient,
    context: BoltContext,
) -> None:
    ack()
    queue_press(send_csv, crimebot(context), body, action, respond, client)


def share_answer(
    bot: Crimebot, body: ButtonPress, question: str, respond: Respond, client: WebClient
) -> None:
    answer, _ = bot.answer(question)
    respond(
        response_type=ResponseType.IN_CHANNEL,
        replace_original=False,
        text=fallback_text(answer),
        blocks=answer_blocks(answer, question, shared_by=body["user"]["id"]),
    )
    respond(delete_original=True)
    channel = channel_of(body)
    if channel:
        bot.upload_chart(client, channel, answer, None)


def ask_suggestion(
    bot: Crimebot, body: ButtonPress, question: str, respond: Respond, client: WebClient
) -> None:
    """A private reply is replaced in place; a reply in a thread is a follow-up there."""
    container = container_of(body)
    channel = channel_of(body)
    thread_ts = container.get("thread_ts")
    if container.get("is_ephemeral") or not channel or not thread_ts:
        answer_privately(bot, question, respond, replace_original=True)
        return
    follow_up(bot, client, channel, thread_ts, question)


def send_csv(
    bot: Crimebot, body: ButtonPress, question: str, respond: Respond, client: WebClient
) -> None:
    """The rows behind an answer as a CSV file: in the answer's thread, or, for a private
    answer, in a direct message (a file in the channel would show everyone)."""
    db = pinned(bot.db)
    answer, _ = bot.answer(question)
    if not answer.is_answer:
        respond(response_type=ResponseType.EPHEMERAL, replace_original=False, text=CSV_NEEDS_THREAD)
        return
    container = container_of(body)
    channel = channel_of(body)
    thread_ts = container.get("thread_ts") or container.get("message_ts")
    try:
        if container.get("is_ephemeral") or not channel:
            opened = client.conversations_open(users=body["user"]["id"])
            channel, thread_ts = opened["channel"]["id"], None
        client.files_upload_v2(
            channel=channel,
            thread_ts=thread_ts,
            content=answer_csv(answer, db.manifest["releases"]),
            filename="crimebot-figures.csv",
            title=f"Figures: {question}"[:250],
        )
    except SlackApiError as error:
        log.error("CSV upload to %s failed: %s", channel, error.response.data)
        respond(response_type=ResponseType.EPHEMERAL, replace_original=False, text=CSV_FAILED)
