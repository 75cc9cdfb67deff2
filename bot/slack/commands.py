"""/crimestats: ack at once, then answer privately with a "Share in channel" button."""

from __future__ import annotations

from slack_bolt import Ack, App, Respond

from bot.render.blocks import answer_blocks, fallback_text, help_blocks
from bot.slack.replies import Crimebot

HELP_WORDS = {"", "help", "?", "examples"}


def register(app: App, bot: Crimebot) -> None:
    @app.command("/crimestats")
    def crimestats(ack: Ack, command: dict, respond: Respond) -> None:
        ack()  # before any query: Slack wants an answer within 3 seconds
        question = (command.get("text") or "").strip()
        if question.lower() in HELP_WORDS:
            respond(
                response_type="ephemeral",
                blocks=help_blocks(),
                text="crimebot: ask for police recorded crime figures",
            )
            return
        answer, _ = bot.answer(question)
        respond(
            response_type="ephemeral",
            text=fallback_text(answer),
            blocks=answer_blocks(answer, question, share=answer.is_answer),
        )
