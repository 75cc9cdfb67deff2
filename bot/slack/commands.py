"""/crimestats: ack at once, then answer privately with a "Share in channel" button; the
digest's own commands (subscribe, unsubscribe, subscriptions, story) go to bot.slack.digest."""

from __future__ import annotations

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.digest.story import is_story_request
from bot.digest.subscriptions import is_subscription_command
from bot.render.blocks import answer_blocks, fallback_text, help_blocks
from bot.slack.digest import answer_story, answer_subscription
from bot.slack.replies import Crimebot

HELP_WORDS = {"", "help", "?", "examples"}


def register(app: App, bot: Crimebot) -> None:
    @app.command("/crimestats")
    def crimestats(ack: Ack, command: dict, respond: Respond, client: WebClient) -> None:
        ack()  # before any query: Slack wants an answer within 3 seconds
        question = (command.get("text") or "").strip()
        if question.lower() in HELP_WORDS:
            respond(
                response_type="ephemeral",
                blocks=help_blocks(),
                text="crimebot: ask for police recorded crime figures",
            )
            return
        if is_subscription_command(question):
            bot.later(answer_subscription, bot, command, respond, client)
            return
        if is_story_request(question):
            bot.later(answer_story, bot, question, respond)
            return
        answer, _ = bot.answer(question)
        respond(
            response_type="ephemeral",
            text=fallback_text(answer),
            blocks=answer_blocks(answer, question, share=answer.is_answer),
        )
