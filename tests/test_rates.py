"""Rates per 1,000 residents on the shipped data: the mid-year estimate a period holds, the
43-force basis for England and Wales, the City of London ranked apart, honest refusals.

Expected residents are read here straight from the ONS file in raw/, not through ingest.
"""

from __future__ import annotations

import pandas as pd
import pytest

from bot.answers.ask import ask
from bot.query.database import Database
from bot.settings import ROOT
from tests.conftest import TODAY

POPULATION = ROOT / "raw" / "ons-pfa-population" / "pfa_population_mid2011_to_mid2024.csv"


@pytest.fixture(scope="module")
def shipped():
    return Database(ROOT / "data")


@pytest.fixture(scope="module")
def residents() -> pd.DataFrame:
    return pd.read_csv(POPULATION)


def people(residents, name, year):
    return int(
        residents[(residents.pfa23_name == name) & (residents.mid_year == year)].population.iloc[0]
    )


def reply(db, question):
    return ask(question, db, TODAY)[0]


def figure(answer, label_start):
    return next(f for f in answer.figures if f.label.startswith(label_start))


def test_a_financial_year_uses_the_estimate_for_the_30_june_it_holds(shipped, residents):
    answer = reply(shipped, "burglary rate Kent 2024/25")
    kent = people(residents, "Kent", 2024)
    count = figure(answer, "Kent Police: burglary offences, the year to March 2025").value
    rate = count / kent * 1000
    assert answer.text.startswith(
        f"Kent Police recorded {count:,} burglary offences in the year to March 2025: "
        f"{rate:.1f} per 1,000 residents, down from"
    )
    assert "(the ONS mid-2024 population estimate)" in answer.text
    assert figure(answer, "Kent Police: residents, ONS mid-2024 estimate").value == kent
    assert figure(answer, "Kent Police: residents, ONS mid-2023 estimate").value == people(
        residents, "Kent", 2023
    )
    assert "Office for National Statistics, mid-year population estimates" in answer.source
    assert "per 1,000 residents" in answer.understood


def test_england_and_wales_divides_by_the_43_forces(shipped, residents):
    answer = reply(shipped, "burglary rate Kent 2024/25")
    national = figure(answer, "England and Wales: residents, ONS mid-2024 estimate")
    assert national.value == int(residents[residents.mid_year == 2024].population.sum())
    assert national.value == 61_806_682  # ONS's own England and Wales total (SOURCE.md)


def test_a_period_whose_estimate_is_not_out_uses_the_newest_and_says_so(shipped):
    answer = reply(shipped, "crime rate Dorset year to December 2025")
    assert "(the ONS mid-2024 population estimate, the newest published)" in answer.text


def test_ranking_by_rate_sets_the_city_of_london_apart(shipped):
    answer = reply(shipped, "which force has the highest crime rate 2024/25")
    assert answer.is_answer
    assert "City of London Police is not ranked: it has 15,111 residents" in answer.text
    ranked = [f for f in answer.figures if f.label[0].isdigit()]
    assert len(ranked) == 5 and "City of London" not in ranked[0].label
    rates = [f.value for f in ranked]
    assert rates == sorted(rates, reverse=True)
    assert all(f.unit == "per 1,000 residents" for f in ranked)


@pytest.mark.parametrize(
    ("question", "says"),
    [
        ("burglary rate British Transport Police", "no rate per 1,000 residents"),
        ("crime rate trend Kent", "not as a series"),
        ("crime rate Kent 2010/11", "The data has no figures for the financial year 2010/11"),
    ],
)
def test_rates_it_cannot_give_are_refused_with_the_nearest(shipped, question, says):
    answer = reply(shipped, question)
    assert not answer.is_answer
    assert says in answer.text
