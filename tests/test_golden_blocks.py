"""Block Kit as Slack receives it, compared whole with files in tests/golden/: one answer,
one clarification, one digest and the Home tab, from the shipped data in data/ and a fixed
day (never today's clock). After a deliberate change, regenerate with
``CRIMEBOT_UPDATE_GOLDEN=1 python -m pytest tests/test_golden_blocks.py`` and read the diff."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest
from slack_sdk.models.blocks import Block as SdkBlock

from bot.answers.ask import ask
from bot.answers.home import data_loaded
from bot.query.database import Database
from bot.query.leads.compose import compose
from bot.render.blocks import (
    answer_blocks,
    button,
    buttons,
    context,
    fallback_text,
    help_blocks,
    section,
    suggestion_buttons,
)
from bot.render.digest import digest_message
from bot.render.home import home_view
from tests.conftest import ROOT, TODAY

GOLDEN = Path(__file__).parent / "golden"
DIGEST_DAY = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def shipped() -> Database:
    return Database(ROOT / "data")


def matches_golden(name: str, message: object) -> None:
    path = GOLDEN / f"{name}.json"
    produced = json.loads(json.dumps(message))  # enums and tuples as Slack receives them
    if os.environ.get("CRIMEBOT_UPDATE_GOLDEN"):
        path.write_text(json.dumps(produced, ensure_ascii=False, indent=2) + "\n")
    assert produced == json.loads(path.read_text())


def test_an_answer(shipped):
    question = "harassment Thames Valley year to September 2023"
    answer, _ = ask(question, shipped, TODAY)
    assert answer.is_answer
    message = {
        "text": fallback_text(answer),
        "blocks": answer_blocks(answer, question, share=answer.is_answer),
    }
    matches_golden("answer", message)


def test_a_clarification(shipped):
    answer, _ = ask("stabbings in Kent", shipped, TODAY)
    assert not answer.is_answer
    message = {"text": fallback_text(answer), "blocks": answer_blocks(answer, "stabbings in Kent")}
    matches_golden("clarification", message)


def test_a_digest(shipped):
    digest = compose(shipped, ["Thames Valley", "Kent"], DIGEST_DAY, None)
    matches_golden("digest", digest_message(digest))


def test_the_home_tab(shipped):
    matches_golden("home", home_view(data_loaded(shipped)))


LONG = "harassment " + "Thames Valley " * 300  # a question far past every limit


@pytest.mark.parametrize(
    "question",
    [
        "harassment Thames Valley year to September 2023",
        "charge rate for violent crime in Kent 2024/25",
        "which force recorded the most shoplifting",
        "burglary in Cumbria over ten years",
        "compare robbery in Thames Valley and Hampshire",
        "stabbings in Kent",
        "<!channel> harasment Thames Vally",
        LONG,
    ],
)
def test_every_block_passes_slack_sdks_block_kit_checks(shipped, question):
    """Blocks are built as plain dicts (fast); slack_sdk's models check them here: types,
    fields and Slack's length limits, whatever a user typed."""
    answer, _ = ask(question, shipped, TODAY)
    messages = [
        answer_blocks(answer, question, share=answer.is_answer),
        answer_blocks(answer, question, shared_by="U7"),
        help_blocks(),
        digest_message(compose(shipped, ["Thames Valley", "Kent"], DIGEST_DAY, None))["blocks"],
        home_view(data_loaded(shipped))["blocks"],
    ]
    for blocks in messages:
        assert len(blocks) <= 50
        for block in blocks:
            parsed = SdkBlock.parse(block)
            assert parsed is not None, block
            assert parsed.to_dict() == block  # to_dict runs the model's checks


def test_text_of_any_size_stays_within_slack_s_limits():
    huge = "x<&> " * 5000
    blocks = [
        section(huge),
        context(*[huge] * 12),
        suggestion_buttons([huge] * 5),
        buttons(button(huge, "share_answer", huge, "primary")),
    ]
    for block in blocks:
        assert SdkBlock.parse(block).to_dict() == block  # raises past a limit
