"""What more than one listener does, written once: a private answer (to a command, or in
place of a "Did you mean …?" message), a follow-up in a thread (a mention, or a suggestion
pressed in a thread), and a button's work queued after its ack."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Respond
from slack_sdk import WebClient

from bot.answers.alerts import record_answer
from bot.render.blocks import answer_blocks, fallback_text
from bot.slack.listeners.payloads import ButtonAction, ButtonPress
from bot.slack.replies import Crimebot, say_busy_privately


def answer_privately(bot: Crimebot, question: str, reply: Callable[..., Any], **how: Any) -> None:
    """The answer, with a "Share in channel" button if it is one, for the asker alone;
    ``how``: the response_url's options (``response_type``, ``replace_original``)."""
    answer, _ = bot.answer(question)
    reply(
        **how,
        text=fallback_text(answer),
        blocks=answer_blocks(answer, question, share=answer.is_answer),
    )


def follow_up(
    bot: Crimebot,
    client: WebClient,
    channel: str,
    thread_ts: str,
    question: str,
    in_thread: bool = True,
) -> None:
    """Answer in a thread, reading the question against the thread's last plan ("and
    stalking?"), and remember the plan it answered for the next follow-up. ``in_thread``
    False: the question starts the thread, so there is no earlier plan to read it against."""
    previous = bot.state.thread_plan(channel, thread_ts) if in_thread else None
    answer, plan = bot.answer(question, previous)
    if plan is not None:
        bot.state.save_thread_plan(channel, thread_ts, plan)

    def told(ts: str) -> None:  # the thread's figures, kept for revision alerts
        record_answer(bot.state, channel, thread_ts, plan, answer)

    bot.post(client, channel, answer, question, thread_ts=thread_ts, on_posted=told)


def queue_press(
    work: Callable[..., object],
    bot: Crimebot,
    body: ButtonPress,
    action: ButtonAction,
    respond: Respond,
    client: WebClient,
) -> None:
    """After a button's ack: ``work(bot, body, value, respond, client)`` in the answer queue;
    with the queue full, whoever pressed it is told to try again."""
    bot.later(work, bot, body, action["value"], respond, client, busy=say_busy_privately(respond))
