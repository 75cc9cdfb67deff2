"""The dataset shipped in data/: real where it can be, plainly SAMPLE where it is not."""

from __future__ import annotations

import pandas as pd
import pytest

from bot.ask import ask
from bot.ingest.shipped import build_shipped
from bot.periods import Quarter
from bot.query.database import Database
from bot.reference import forces, seed_offences
from bot.settings import ROOT
from tests.conftest import TODAY

DATA = ROOT / "data"


@pytest.fixture(scope="module")
def shipped():
    return Database(DATA)


def reply(db, question):
    return ask(question, db, TODAY)[0]


def test_real_annual_charge_rate_is_not_sample(shipped):
    answer = reply(shipped, "charge rate Thames Valley 2023/24")
    assert answer.text.startswith(
        "13,087 (7.5%) of the 174,087 crimes Thames Valley Police recorded in the year to March "
        "2024 resulted in a charge or summons"
    )
    assert not answer.sample
    assert "SAMPLE" not in answer.plain_text()
    assert "annual force totals" in answer.source


def test_real_england_and_wales_charge_rate_counts_the_same_forces(shipped):
    answer = reply(shipped, "charge rate England and Wales 2025/26")
    assert answer.text.startswith(
        "442,512 (8.6%) of the 5,143,915 crimes recorded in England and Wales in the year to "
        "March 2026 resulted in a charge or summons"
    )


def test_real_2017_18_quarters_with_sample_context_say_so(shipped):
    answer = reply(shipped, "stalking and harassment Cumbria 2017/18")
    assert "Cumbria Constabulary recorded 1,228 stalking and harassment offences" in answer.text
    assert answer.sample  # the year before is generated
    text = answer.plain_text()
    assert text.startswith("⚠️ These figures include SAMPLE data")
    assert "python -m bot ingest --download" in text


def test_every_sample_answer_is_labelled(shipped):
    for question in (
        "harassment Thames Valley",
        "which force has the most shoplifting",
        "compare burglary in the Met and GMP",
        "is knife crime in Kent at a record high?",
    ):
        answer = reply(shipped, question)
        assert answer.is_answer, question
        assert answer.sample, question
        assert "SAMPLE" in answer.source


def test_coverage_forces_offences_quarters_outcomes():
    recorded = pd.read_parquet(DATA / "recorded.parquet")
    outcomes = pd.read_parquet(DATA / "outcomes.parquet")
    assert set(recorded.force) == {f.force for f in forces()}
    assert set(recorded.offence_code) >= {o["offence_code"] for o in seed_offences()} - {
        o["offence_code"] for o in seed_offences() if "outcome only" in o["offence"]
    }
    indexes = set(recorded.quarter_index)
    assert indexes == set(range(Quarter(2012, 1).index, Quarter(2025, 4).index + 1))
    assert set(recorded[~recorded["sample"]].financial_year) == {"2017/18"}
    assert {"0", "1", "14", "16", "18"} <= set(outcomes.outcome_type)
    assert outcomes["sample"].all()


def test_shipped_data_is_what_the_generator_builds(tmp_path):
    """A change to the generator or the raw files must come with a rebuilt data/."""
    build_shipped(tmp_path / "data")
    for table in ("recorded", "outcomes", "annual_recorded", "annual_outcomes", "offences"):
        built = pd.read_parquet(tmp_path / "data" / f"{table}.parquet")
        shipped = pd.read_parquet(DATA / f"{table}.parquet")
        pd.testing.assert_frame_equal(built, shipped, check_like=True)
