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

from bot.answers.ask import ask
from bot.answers.home import data_loaded
from bot.query.database import Database
from bot.query.leads.compose import compose
from bot.render.blocks import answer_blocks, fallback_text
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
