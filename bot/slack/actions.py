"""Buttons: "Share in channel" posts the answer for everyone; "Did you mean …?" asks again."""

from __future__ import annotations

import re

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.render.blocks import SHARE_ACTION, SUGGESTION_ACTION, answer_blocks, fallback_text
from bot.slack.replies import Crimebot, say_busy_privately


def register(app: App, bot: Crimebot) -> None:
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
