"""Answer -> Slack Block Kit, within Slack's limits (section 3,000 chars, 10 fields of 2,000,
50 blocks, button text 75), always with fallback text."""

from __future__ import annotations

from typing import Any, Protocol

from bot.parse import EXAMPLES
from bot.render.answer import SAMPLE_WARNING, Answer, Figure

Block = dict[str, Any]  # one Block Kit block, as Slack's JSON has it


class HasPlainText(Protocol):
    def plain_text(self) -> str: ...


SECTION_LIMIT = 3000
FIELD_LIMIT = 2000
MAX_FIELDS = 10
BUTTON_TEXT_LIMIT = 75
DIGEST_HELP = (
    "Every morning's story leads for your patch: `/crimestats subscribe Thames Valley, "
    "Cumbria` (optionally `at 7am`); `unsubscribe` and `subscriptions` to change it. "
    "A draft story: `/crimestats story harassment Thames Valley`."
)
FALLBACK_LIMIT = 3900  # Slack cuts text at 40,000; notifications show far less
SHARE_ACTION = "share_answer"
CSV_ACTION = "download_csv"
SUGGESTION_ACTION = "ask_suggestion"


def cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def escape(text: str) -> str:
    """Slack treats <, > and & as markup in every mrkdwn field, the top-level `text` included:
    escape them so user and data text shows as written and never pings or links."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def section(text: str) -> dict:
    return {
        "type": "section",
        "text": {"type": "mrkdwn", "text": cut(escape(text), SECTION_LIMIT)},
    }


def context(*texts: str) -> dict:
    return {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": cut(escape(t), SECTION_LIMIT)} for t in texts[:10]],
    }


def figure_field(figure: Figure) -> dict:
    text = f"*{escape(figure.label)}*\n{figure.shown()}"
    return {"type": "mrkdwn", "text": cut(text, FIELD_LIMIT)}


def button(text: str, action_id: str, value: str, style: str | None = None) -> dict:
    button = {
        "type": "button",
        "action_id": action_id,
        "value": cut(value, 2000),
        "text": {"type": "plain_text", "text": cut(text, BUTTON_TEXT_LIMIT)},
    }
    if style:
        button["style"] = style
    return button


def answer_blocks(
    answer: Answer, question: str = "", share: bool = False, shared_by: str = ""
) -> list[dict]:
    if not answer.is_answer:
        return clarification_blocks(answer)
    blocks: list[dict] = []
    if answer.sample:
        blocks.append(context(f"⚠️ {SAMPLE_WARNING}"))
    blocks.append(section(answer.text))
    fields = [figure_field(f) for f in answer.figures[:MAX_FIELDS]]
    if fields:
        blocks.append({"type": "section", "fields": fields})
    if answer.notes:
        blocks.append(context(*answer.notes))
    blocks.append(context(answer.understood, answer.source))
    if shared_by:
        mention = f"<@{shared_by}>" if shared_by.isalnum() else escape(shared_by)
        blocks.append(
            {"type": "context", "elements": [{"type": "mrkdwn", "text": f"Shared by {mention}"}]}
        )
    buttons = [button("Share in channel", SHARE_ACTION, question, "primary")] if share else []
    if question:
        buttons.append(button("Download CSV", CSV_ACTION, question))
    if buttons:
        blocks.append({"type": "actions", "elements": buttons})
    return blocks


def clarification_blocks(answer: Answer) -> list[dict]:
    blocks = [section(answer.text)]
    if answer.understood:
        blocks.append(context(answer.understood))
    if answer.suggestions:
        blocks.append(
            {
                "type": "actions",
                "elements": [
                    button(s, f"{SUGGESTION_ACTION}_{i}", s)
                    for i, s in enumerate(answer.suggestions[:5])
                ],
            }
        )
    return blocks


def help_blocks() -> list[dict]:
    return [
        section(
            "*crimebot* gives exact police recorded crime figures for England and Wales, "
            "with the period and the source, in a sentence you can paste into copy."
        ),
        section(
            "Ask about a force (or region, or England and Wales), an offence and a period. "
            "Charge rates, outcomes, ten-year trends, records, rankings and comparisons:"
        ),
        {
            "type": "actions",
            "elements": [button(e, f"{SUGGESTION_ACTION}_{i}", e) for i, e in enumerate(EXAMPLES)],
        },
        context(
            "Mention @crimebot in a channel to ask in a thread; follow up in the thread "
            "with “and stalking?” or “what about Cumbria?”."
        ),
        context(DIGEST_HELP),
    ]


def fallback_text(reply: Answer | HasPlainText) -> str:
    """A message's top-level `text`: what notifications show, and Slack renders as mrkdwn."""
    return cut(escape(reply.plain_text()), FALLBACK_LIMIT)
