"""Answer -> Slack Block Kit, within Slack's limits (section 3,000 chars, 10 fields of 2,000,
50 blocks, button text 75), always with fallback text.

Blocks are the plain dicts Slack receives, built here with text cut to the limits and
escaped first. slack_sdk's Block Kit models check every block in the tests
(tests/test_golden_blocks.py), not on each answer: validating them cost more than the rest of
a help reply."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Protocol

from bot.parse import EXAMPLES
from bot.render.answer import Answer, Figure, sample_warning

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
VALUE_LIMIT = 2000  # a button's value


class ActionId(StrEnum):
    """The buttons' action ids (suggestions are numbered: ``ask_suggestion_0``, …)."""

    SHARE = "share_answer"
    CSV = "download_csv"
    SUGGESTION = "ask_suggestion"


SHARE_ACTION = ActionId.SHARE
CSV_ACTION = ActionId.CSV
SUGGESTION_ACTION = ActionId.SUGGESTION


def cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def escape(text: str) -> str:
    """Slack treats <, > and & as markup in every mrkdwn field, the top-level `text` included:
    escape them so user and data text shows as written and never pings or links."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _mrkdwn(text: str, limit: int = SECTION_LIMIT) -> Block:
    return {"type": "mrkdwn", "text": cut(escape(text), limit)}


def section(text: str) -> Block:
    return {"type": "section", "text": _mrkdwn(text)}


def context(*texts: str) -> Block:
    return {"type": "context", "elements": [_mrkdwn(t) for t in texts[:10]]}


def figure_field(figure: Figure) -> Block:
    text = f"*{escape(figure.label)}*\n{figure.shown()}"
    return {"type": "mrkdwn", "text": cut(text, FIELD_LIMIT)}


def button(text: str, action_id: str, value: str, style: str | None = None) -> Block:
    element: Block = {
        "type": "button",
        "text": {"type": "plain_text", "text": cut(text, BUTTON_TEXT_LIMIT)},
        "action_id": action_id,
        "value": cut(value, VALUE_LIMIT),
    }
    if style:
        element["style"] = style
    return element


def buttons(*elements: Block) -> Block:
    return {"type": "actions", "elements": list(elements)}


def answer_blocks(
    answer: Answer, question: str = "", share: bool = False, shared_by: str = ""
) -> list[Block]:
    if not answer.is_answer:
        return clarification_blocks(answer)
    blocks: list[Block] = []
    if answer.sample:
        blocks.append(context(sample_warning()))
    blocks.append(section(answer.text))
    fields = [figure_field(f) for f in answer.figures[:MAX_FIELDS]]
    if fields:
        blocks.append({"type": "section", "fields": fields})
    if answer.notes:
        blocks.append(context(*answer.notes))
    blocks.append(context(answer.understood, answer.source))
    if shared_by:
        mention = f"<@{shared_by}>" if shared_by.isalnum() else escape(shared_by)
        shared = {"type": "mrkdwn", "text": f"Shared by {mention}"}  # the mention is markup
        blocks.append({"type": "context", "elements": [shared]})
    pressed = [button("Share in channel", SHARE_ACTION, question, "primary")] if share else []
    if question:
        pressed.append(button("Download CSV", CSV_ACTION, question))
    if pressed:
        blocks.append(buttons(*pressed))
    return blocks


def suggestion_buttons(questions: list[str]) -> Block:
    """ "Did you mean …?": each button asks its question."""
    return buttons(*(button(q, f"{SUGGESTION_ACTION}_{i}", q) for i, q in enumerate(questions)))


def clarification_blocks(answer: Answer) -> list[Block]:
    blocks = [section(answer.text)]
    if answer.understood:
        blocks.append(context(answer.understood))
    if answer.suggestions:
        blocks.append(suggestion_buttons(answer.suggestions[:5]))
    return blocks


def help_blocks() -> list[Block]:
    return [
        section(
            "*crimebot* gives exact police recorded crime figures for England and Wales, "
            "with the period and the source, in a sentence you can paste into copy."
        ),
        section(
            "Ask about a force (or region, or England and Wales), an offence and a period. "
            "Charge rates, outcomes, ten-year trends, records, rankings and comparisons:"
        ),
        suggestion_buttons(list(EXAMPLES)),
        context(
            "Mention @crimebot in a channel to ask in a thread; follow up in the thread "
            "with “and stalking?” or “what about Cumbria?”."
        ),
        context(DIGEST_HELP),
    ]


def fallback_text(reply: Answer | HasPlainText) -> str:
    """A message's top-level `text`: what notifications show, and Slack renders as mrkdwn."""
    return cut(escape(reply.plain_text()), FALLBACK_LIMIT)
