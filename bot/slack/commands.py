"""/crimestats: ack at once, then answer privately with a "Share in channel" button; the
digest's own commands (subscribe, unsubscribe, subscriptions, story) go to bot.slack.digest.

Replies go by the command's response_url, and by chat.postEphemeral (or a DM) if that
fails; with the answer queue full, the user is told at once to try again."""

from __future__ import annotations

from collections.abc import Callable

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.answers.story import is_story_request
from bot.render.blocks import answer_blocks, fallback_text, help_blocks
from bot.slack.digest import answer_story, answer_subscription
from bot.slack.replies import BUSY, Crimebot, respond_or_fall_back
from bot.state.subscriptions import is_subscription_command

HELP_WORDS = {"", "help", "?", "examples"}


def register(app: App, bot: Crimebot) -> None:
    @app.command("/crimestats")
    def crimestats(ack: Ack, command: dict, respond: Respond, client: WebClient) -> None:
        ack()  # before any query: Slack wants an answer within 3 seconds
        reply = respond_or_fall_back(
            respond, client, command.get("channel_id", ""), command.get("user_id", "")
        )
        handle_command(bot, command, reply, client)


def handle_command(
    bot: Crimebot, command: dict, reply: Callable[..., None], client: WebClient
) -> None:
    """Help at once; anything that queries waits its turn in the bounded answer queue."""
    question = (command.get("text") or "").strip()
    if question.lower() in HELP_WORDS:
        reply(
            response_type="ephemeral",
            blocks=help_blocks(),
            text="crimebot: ask for police recorded crime figures",
        )
        return

    def busy() -> None:
        reply(response_type="ephemeral", text=BUSY)

    if is_subscription_command(question):
        bot.later(answer_subscription, bot, command, reply, client, busy=busy)
    elif is_story_request(question):
        bot.later(answer_story, bot, question, reply, busy=busy)
    else:
        bot.later(answer_question, bot, question, reply, busy=busy)


def answer_question(bot: Crimebot, question: str, reply: Callable[..., None]) -> None:
    answer, _ = bot.answer(question)
    reply(
        response_type="ephemeral",
        text=fallback_text(answer),
        blocks=answer_blocks(answer, question, share=answer.is_answer),
    )
