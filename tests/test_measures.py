"""Every measure and period form, on the article's release (data to September 2023)."""

from __future__ import annotations

import pytest

from bot.answers.ask import ask
from bot.core.periods import Quarter
from bot.ingest import ingest
from bot.query.database import Database
from bot.render import numbers
from bot.settings import PercentStyle
from tests.conftest import TODAY
from tests.fixtures.article import OUTCOME_SHARES, annual_values, quarterly, write_pfa_workbook


def reply(db, question):
    answer, _ = ask(question, db, TODAY)
    return answer


def test_change_on_the_year_before(article_db):
    answer = reply(article_db, "has harassment risen in Thames Valley in the year to Sept 2023?")
    assert answer.is_answer
    assert "up 22.0 per cent from 7,892 the year before" in answer.text
    assert any("recording practice" in note for note in answer.notes)
    assert answer.understood.startswith("I read this as: change · harassment")


def test_share_for_a_named_group_of_outcome_types(article_db):
    """'Victim did not support action' is outcome types 14 and 16 together."""
    offences = quarterly(annual_values())
    quarters = [Quarter(2022, 3), Quarter(2022, 4), Quarter(2023, 1), Quarter(2023, 2)]
    expected = sum(
        int(offences[("Thames Valley", "8L", q)] * OUTCOME_SHARES[t])
        for q in quarters
        for t in ("14", "16")
    )
    answer = reply(
        article_db, "victim did not support action harassment Thames Valley year to Sept 2023"
    )
    assert answer.is_answer
    assert answer.text.startswith(
        "Of the 9,632 harassment offences Thames Valley Police recorded in the year to "
        f"September 2023, {expected:,} ({expected / 9632 * 100:.1f} per cent) resulted in the "
        "victim not supporting (or withdrawing support for) further action"
    )


def test_record_yes_with_the_series(article_db):
    answer = reply(article_db, "is harassment in Thames Valley at a record high?")
    assert answer.text.startswith(
        "Yes: the latest figure is the highest in the ten years of comparable figures."
    )
    assert answer.chart == "trend"
    assert [p.value for p in answer.series][-2:] == [7892, 9632]
    assert answer.series[0].period == "the year to September 2014"


def test_record_no_names_the_peak(tmp_path):
    values = {2019: 900, 2020: 1200, 2021: 700, 2022: 800, 2023: 1000}
    rows = {}
    for year, total in values.items():
        for i, q in enumerate(
            [Quarter(year - 1, 3), Quarter(year - 1, 4), Quarter(year, 1), Quarter(year, 2)]
        ):
            rows[("Cumbria", "8L", q)] = total // 4 + (total % 4 if i == 3 else 0)
    path = write_pfa_workbook(tmp_path / "prc-pfa-mar2013-onwards-tables-191023.xlsx", rows)
    ingest([path], tmp_path / "data", progress=False)
    answer = reply(Database(tmp_path / "data"), "is harassment in Cumbria at a record high?")
    assert answer.text.startswith(
        "No: the highest was 1,200 in the year to September 2020; the latest is the highest "
        "since the year to September 2020."
    )


def test_rank_of_one_force_and_the_top_list(article_db):
    answer = reply(article_db, "where does Thames Valley rank for harassment in 2023?")
    assert answer.text.startswith(
        "Thames Valley Police had the highest number of harassment offences of the 43 forces "
        "with complete figures in the year to September 2023: 9,632."
    )
    top = reply(article_db, "which force recorded the fewest stalking offences?")
    assert "The lowest number of stalking offences in the year to September 2023: 1." in top.text
    assert top.figures[0].unit == "offences"


def test_rank_by_charge_rate(article_db):
    answer = reply(article_db, "which force has the lowest charge rate for harassment?")
    assert answer.text.startswith(
        "The lowest charge rate for harassment offences in the year to September 2023: "
        "1. Thames Valley Police 3.1 per cent (301 of 9,632)"
    )


def test_comparison_of_places(article_db):
    answer = reply(article_db, "compare stalking in Thames Valley and Cumbria 2023")
    assert answer.is_answer
    assert answer.chart == "comparison"
    assert "Thames Valley Police recorded 3,991 stalking offences" in answer.text
    assert "Cumbria Constabulary recorded" in answer.text
    assert {f.place for f in answer.figures} == {"Thames Valley Police", "Cumbria Constabulary"}


def test_national_figure(article_db):
    answer = reply(article_db, "national figure for harassment year to September 2023")
    assert answer.text.startswith(
        "Police forces in England and Wales recorded 271,000 harassment offences in the year "
        "to September 2023"
    )


@pytest.mark.parametrize(
    ("question", "period"),
    [
        ("harassment Thames Valley latest", "the year to September 2023"),
        ("harassment Thames Valley", "the year to September 2023"),
        ("harassment Thames Valley year to September 2023", "the year to September 2023"),
        ("harassment Thames Valley 12 months to Sept 2023", "the year to September 2023"),
        ("harassment Thames Valley year ending March 2023", "the year to March 2023"),
        ("harassment Thames Valley 2022/23", "the year to March 2023"),
        ("harassment Thames Valley 2022-23", "the year to March 2023"),
        ("harassment Thames Valley FY23", "the year to March 2023"),
        ("harassment Thames Valley 2023", "the year to September 2023"),
        ("harassment Thames Valley 2022", "the year to December 2022"),
    ],
)
def test_period_forms(article_db, question, period):
    answer = reply(article_db, question)
    assert answer.is_answer, answer.text
    assert f"in {period}" in answer.text
    assert f"Period: {period}" in answer.source


def test_financial_year_is_named_in_the_source(article_db):
    answer = reply(article_db, "harassment Thames Valley 2022/23")
    assert "Period: the year to March 2023 (financial year 2022/23)." in answer.source


def test_since_a_year_gives_the_series_from_then(article_db):
    answer = reply(article_db, "harassment in Thames Valley since 2019")
    assert answer.chart == "trend"
    assert [p.period for p in answer.series] == [
        f"the year to September {y}" for y in range(2019, 2024)
    ]


@pytest.mark.parametrize(
    ("question", "message"),
    [
        (
            "harassment Thames Valley last year",  # 2025: after the data ends
            "The data has no figures for 2025. It covers rolling years from the year to March 2013 "
            "to the year to September 2023.",
        ),
        (
            "harassment Thames Valley 2009/10",
            "The data has no figures for the financial year 2009/10",
        ),
        (
            "harassment Thames Valley year to November 2022",
            "Figures are published by quarter, so there is no year to November 2022. "
            "The nearest are the year to September 2022 and the year to December 2022.",
        ),
        (
            "charge rate harassment Thames Valley 2019/20",
            "The data has no outcome figures for the financial year 2019/20.",
        ),
    ],
)
def test_periods_the_data_does_not_cover_are_refused(article_db, question, message):
    answer = reply(article_db, question)
    assert answer.status == "clarification"
    assert answer.text.startswith(message)
    assert answer.figures == []


def test_follow_up_changes_one_part(article_db):
    _, plan = ask("harassment Thames Valley year to September 2023", article_db, TODAY)
    answer, _ = ask("and stalking?", article_db, TODAY, previous=plan)
    assert "recorded 3,991 stalking offences in the year to September 2023" in answer.text
    answer, _ = ask("and the year before?", article_db, TODAY, previous=plan)
    assert "recorded 7,892 harassment offences in the year to September 2022" in answer.text


def test_small_counts_are_not_percentages():
    assert numbers.share(3, 12) == "3 of 12"
    assert numbers.share(301, 9632) == "301 (3.1 per cent)"
    assert numbers.share(301, 9632, PercentStyle.SYMBOL) == "301 (3.1%)"
    assert numbers.change(12, 8) == "up from 8 the year before"
    assert numbers.change(9632, 7892) == "up 22.0 per cent from 7,892 the year before"


def test_trend_is_flagged_sample_when_only_its_oldest_year_is(tmp_path, data_copy):
    """Latest year and the year before real; the tenth year back partly sample."""
    older = {("Thames Valley", "8L", Quarter(2011, q)): 300 for q in (3, 4)}
    path = write_pfa_workbook(tmp_path / "older-sample.xlsx", older)
    ingest([path], data_copy, sample=True, progress=False)
    answer = reply(Database(data_copy), "harassment Thames Valley trend year to September 2021")
    assert answer.series[0].period == "the year to September 2012"  # completed by the sample
    assert answer.sample
    assert answer.plain_text().startswith("⚠️ These figures include SAMPLE data")
    real = reply(Database(data_copy), "harassment Thames Valley year to September 2021 vs Kent")
    assert not real.sample  # a comparison prints only the two latest years
