"""Rendering never lets user text become Slack markup, in any field Slack renders."""

from __future__ import annotations

import datetime as dt

from bot.parse import Clarification, parse
from bot.render.answer import Answer, Figure, clarification
from bot.render.blocks import answer_blocks, fallback_text
from tests.test_slack import HOSTILE, RAW_MARKUP, rendered_fields


def hostile_answer() -> Answer:
    figure = Figure(f"{HOSTILE} label", 12, "offences", "Kent", "burglary", "2023-01", "2023-12")
    return Answer(
        "answer",
        f"text {HOSTILE}",
        understood=f"I read this as: {HOSTILE}",
        figures=[figure],
        notes=[f"note {HOSTILE}"],
        source=f"Source: {HOSTILE}",
        suggestions=[f"try {HOSTILE}"],
    )


def test_every_rendered_field_of_an_answer_escapes_markup():
    answer = hostile_answer()
    message = {"text": fallback_text(answer), "blocks": answer_blocks(answer, "q", share=True)}
    fields = rendered_fields(message)
    assert len(fields) >= 5
    for text in fields:
        assert not any(raw in text for raw in RAW_MARKUP), text
    assert "&lt;!channel&gt;" in message["text"]


def test_clarification_fallback_escapes_and_data_ampersands_survive():
    reply = clarification("Devon & Cornwall <!here>", [f"stalking {HOSTILE}"])
    text = fallback_text(reply)
    assert "Devon &amp; Cornwall &lt;!here&gt;" in text
    assert "<" not in text


def test_suggestions_built_from_the_question_carry_no_markup():
    question = f"stalking yorkshire {HOSTILE} 2023"
    parsed = parse(question, dt.date(2026, 11, 30))
    assert isinstance(parsed, Clarification)
    suggestions = parsed.questions(question)
    assert suggestions[0] == "stalking North Yorkshire Official figures 2023"
    assert all("<" not in s and ">" not in s and "!channel" not in s for s in suggestions)
