"""Buttons: "Share in channel" posts the answer for everyone; "Did you mean …?" asks again;
"Download CSV" uploads the rows behind an answer."""

from __future__ import annotations

import logging
import re

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.answers.ask import pinned
from bot.render.blocks import (
    CSV_ACTION,
    SHARE_ACTION,
    SUGGESTION_ACTION,
    answer_blocks,
    fallback_text,
)
from bot.render.csv_export import answer_csv
from bot.slack.replies import Crimebot, say_busy_privately

log = logging.getLogger(__name__)
CSV_FAILED = "Sorry, I couldn't upload the figures. The error has been logged."


def register(app: App, bot: Crimebot) -> None:
    @app.action(CSV_ACTION)
    def download_csv(
        ack: Ack, body: dict, action: dict, respond: Respond, client: WebClient
    ) -> None:
        ack()
        bot.later(
            send_csv,
            bot,
            body,
            action["value"],
            respond,
            client,
            busy=say_busy_privately(respond),
        )

    @app.action(SHARE_ACTION)
    def share(ack: Ack, body: dict, action: dict, respond: Respond, client: WebClient) -> None:
        ack()
        bot.later(
            share_answer,
            bot,
            body,
            action["value"],
            respond,
            client,
            busy=say_busy_privately(respond),
        )

    @app.action(re.compile(f"^{SUGGESTION_ACTION}_\\d+$"))
    def suggestion(ack: Ack, body: dict, action: dict, respond: Respond, client: WebClient) -> None:
        ack()
        bot.later(
            ask_suggestion,
            bot,
            body,
            action["value"],
            respond,
            client,
            busy=say_busy_privately(respond),
        )


def share_answer(
    bot: Crimebot, body: dict, question: str, respond: Respond, client: WebClient
) -> None:
    answer, _ = bot.answer(question)
    respond(
        response_type="in_channel",
        replace_original=False,
        text=fallback_text(answer),
        blocks=answer_blocks(answer, question, shared_by=body["user"]["id"]),
    )
    respond(delete_original=True)
    channel = (body.get("channel") or {}).get("id")
    if channel:
        bot.upload_chart(client, channel, answer, None)


def ask_suggestion(
    bot: Crimebot, body: dict, question: str, respond: Respond, client: WebClient
) -> None:
    """A private reply is replaced in place; a reply in a thread is a follow-up there."""
    container = body.get("container") or {}
    channel = (body.get("channel") or {}).get("id")
    thread_ts = container.get("thread_ts")
    if container.get("is_ephemeral") or not channel or not thread_ts:
        answer, _ = bot.answer(question)
        respond(
            replace_original=True,
            text=fallback_text(answer),
            blocks=answer_blocks(answer, question, share=answer.is_answer),
        )
        return
    previous = bot.state.thread_plan(channel, thread_ts)
    answer, plan = bot.answer(question, previous)
    if plan is not None:
        bot.state.save_thread_plan(channel, thread_ts, plan)
    bot.post(client, channel, answer, question, thread_ts=thread_ts)


def send_csv(bot: Crimebot, body: dict, question: str, respond: Respond, client: WebClient):
    """The rows behind an answer as a CSV file: in the answer's thread, or, for a private
    answer, in a direct message (a file in the channel would show everyone)."""
    db = pinned(bot.db)
    answer, _ = bot.answer(question)
    if not answer.is_answer:
        respond(
            response_type="ephemeral",
            replace_original=False,
            text="That answer needs its thread to be understood: ask the whole question to "
            "download its figures.",
        )
        return
    container = body.get("container") or {}
    channel = (body.get("channel") or {}).get("id")
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
        respond(response_type="ephemeral", replace_original=False, text=CSV_FAILED)
