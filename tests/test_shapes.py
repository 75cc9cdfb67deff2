"""The question shapes reporters ask, answered on the shipped data as asked: two periods, a
single quarter, an N-year trend, a ranking by change. Expected figures are summed here from
the raw April 2026 release with pandas, not through the bot."""

from __future__ import annotations

import pandas as pd
import pytest

from bot.answers.ask import ask
from bot.query.database import Database
from bot.settings import ROOT
from tests.conftest import TODAY

RAW = ROOT / "raw" / "pfa-apr2026" / "prc-pfa-230426-all-years.csv.gz"
BURGLARY = (
    "Domestic burglary",
    "Non-domestic burglary",
    "Residential burglary",
    "Non-residential burglary",
)


@pytest.fixture(scope="module")
def shipped():
    return Database(ROOT / "data")


@pytest.fixture(scope="module")
def raw() -> pd.DataFrame:
    return pd.read_csv(RAW, dtype={"Offence Code": str})


def burglary(raw, force, quarters):
    rows = raw[(raw["Force"] == force) & raw["Offence Subgroup"].isin(BURGLARY)]
    picked = rows.set_index(["FY", "Financial Quarter"]).loc[quarters]
    return int(picked["n"].sum())


def reply(db, question):
    return ask(question, db, TODAY)[0]


def whole_year(fy):
    return [(fy, q) for q in (1, 2, 3, 4)]


def test_two_periods_give_both_figures_and_the_change(shipped, raw):
    now = burglary(raw, "Kent", whole_year("2023/24"))
    then = burglary(raw, "Kent", whole_year("2019/20"))
    answer = reply(shipped, "burglary kent 2019/20 vs 2023/24")
    change = (now - then) / then * 100
    assert answer.text.startswith(
        f"Kent Police recorded {now:,} burglary offences in the year to March 2024, down "
        f"{-change:.1f} per cent from {then:,} in the year to March 2020."
    )
    assert "in the year to March 2020" in answer.text.split("Across England and Wales")[1]


def test_periods_that_do_not_line_up_are_refused(shipped):
    answer = reply(shipped, "burglary kent year to june 2024 vs 2019/20")
    assert not answer.is_answer
    assert "same months of the year" in answer.text


def test_a_single_quarter_against_the_same_quarter_a_year_earlier(shipped, raw):
    now = burglary(raw, "Kent", [("2024/25", 3)])
    then = burglary(raw, "Kent", [("2023/24", 3)])
    answer = reply(shipped, "burglary kent q3 2024/25")
    assert answer.text.startswith(
        f"Kent Police recorded {now:,} burglary offences in the quarter to December 2024, down "
        f"{(then - now) / then * 100:.1f} per cent from {then:,} in the same quarter a year "
        "earlier"
    )
    assert reply(shipped, "burglary kent october to december 2024").text == answer.text


def test_an_n_year_trend_covers_the_years_asked(shipped):
    answer = reply(shipped, "5-year trend burglary kent")
    assert "Four years earlier, in the year to December 2021" in answer.text
    assert len(answer.series) == 5
    decade = reply(shipped, "burglary kent over the last decade")
    assert "Nine years earlier" in decade.text and len(decade.series) == 10


def test_a_ranking_by_change_lists_the_biggest_moves_with_both_figures(shipped):
    answer = reply(shipped, "fastest falling burglary 2024/25")
    assert answer.text.startswith(
        "The biggest falls in burglary offences in the year to March 2025"
    )
    changes = [f.value for f in answer.figures if f.label[0].isdigit()]
    assert changes == sorted(changes) and changes[0] < 0
    assert all(f.unit == "percent" for f in answer.figures if f.label[0].isdigit())


@pytest.mark.parametrize(
    "question",
    ["robbery essex 21/22", "robbery essex fy22", "robbery essex 2021-22", "robbery essex 2021 22"],
)
def test_financial_year_spellings_answer_that_year(shipped, question):
    assert "in the year to March 2022" in reply(shipped, question).text


@pytest.mark.parametrize(
    ("question", "says"),
    [
        ("burglary Kent H1 2024/25", "I don't know “h1”"),
        ("burglary Kent Q5 2024/25", "I don't know “q5”"),
        ("top 50 forces for burglary", "I don't know “50”"),
        ("burglary Kent 2019/20 vs 2023/24 vs 2024/25", "Compare two periods at a time"),
        ("burglary Kent 2024/25 vs 2024/25", "the same period twice"),
        ("burglary Kent since 2030", "no figures for 2030"),
        ("crime rate Kent Q3 2024/25", "for a year, not a single quarter"),
        ("crime in Brighton vs Hastings", "share a police force area"),
    ],
)
def test_parts_of_a_question_are_never_dropped(shipped, question, says):
    """Each of these was answered as a different question before the review."""
    answer = reply(shipped, question)
    assert not answer.is_answer, answer.text
    assert says in answer.text


def test_british_transport_police_financial_year_comes_from_its_own_rows(shipped, raw):
    btp = raw[(raw["Force"] == "British Transport Police") & (raw["FY"] == "2023/24")]
    answer = reply(shipped, "crime BTP 2023/24")
    assert answer.text.startswith(
        f"British Transport Police recorded {int(btp['n'].sum()):,} crimes in the year to "
        "March 2024"
    )


def test_the_year_befores_revision_is_carried_too(shipped):
    answer = reply(shipped, "harassment Thames Valley year to June 2023")
    before = next(f for f in answer.figures if "(year before)" in f.label)
    assert (before.value, before.revised_from) == (7567, 7569)


def test_fraud_is_answered_for_the_body_that_records_it(shipped, raw):
    kent = reply(shipped, "fraud in Kent")
    assert not kent.is_answer
    assert "recorded centrally by Action Fraud" in kent.text
    [suggestion] = kent.suggestions
    answer = reply(shipped, suggestion)
    rows = raw[(raw["Force"] == "Action Fraud") & (raw["FY"] == "2023/24")]
    body = reply(shipped, "fraud Action Fraud 2023/24")
    assert answer.is_answer
    assert body.text.startswith(
        f"Action Fraud recorded {int(rows['n'].sum()):,} fraud offences in the year to March 2024"
    )
