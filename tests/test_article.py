"""Every figure of the example article, from official-layout files, through the CLI."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from bot.cli.main import main
from tests.conftest import ROOT


def ask(capsys, data_dir, question, *flags):
    status = main(["ask", "--data-dir", str(data_dir), *flags, question])
    return status, capsys.readouterr().out


def test_harassment_count_year_before_and_ten_year_high(capsys, article_data):
    status, out = ask(capsys, article_data, "harassment Thames Valley year to September 2023")
    assert status == 0
    assert out.startswith(
        "Thames Valley Police recorded 9,632 harassment offences in the year to September 2023, "
        "up 22.0 per cent from 7,892 the year before and the highest in the ten years of "
        "comparable figures."
    )
    assert "Period: the year to September 2023" in out
    assert "Source: Home Office" in out


def test_charge_rate_against_the_year_before(capsys, article_data):
    status, out = ask(capsys, article_data, "charge rate harassment Thames Valley 2023")
    assert status == 0
    assert out.startswith(
        "Thames Valley Police charged or summonsed 301 (3.1 per cent) of the 9,632 harassment "
        "offences it recorded in the year to September 2023, down from 3.9 per cent the year "
        "before."
    )
    assert "still under investigation" in out  # the recent-outcomes caveat


@pytest.mark.parametrize(
    ("question", "figure"),
    [
        ("stalking Thames Valley year to September 2023", "recorded 3,991 stalking offences"),
        (
            "racially aggravated harassment TVP year to Sept 2023",
            "recorded 312 racially or religiously aggravated harassment offences",
        ),
        (
            "stalking and harassment England and Wales year to September 2023",
            "recorded 679,000 stalking and harassment offences",
        ),
        (
            "stalking and harassment charge rate across England and Wales 2023",
            "Of the 679,000 stalking and harassment offences recorded in England and Wales in the "
            "year to September 2023, 23,086 (3.4 per cent) resulted in a charge or summons",
        ),
    ],
)
def test_the_other_figures_in_the_article(capsys, article_data, question, figure):
    status, out = ask(capsys, article_data, question)
    assert status == 0
    assert figure in out
    assert "the year to September 2023" in out


def test_fivefold_rise_over_nine_years(capsys, article_data):
    _, out = ask(capsys, article_data, "harassment in Thames Valley over ten years")
    assert "Nine years earlier, in the year to September 2014, the figure was 1,790" in out
    assert "the latest is more than five times as high" in out  # 9,632 / 1,790 = 5.4


def test_json_answer_lists_figures_with_periods(capsys, article_data):
    status, out = ask(capsys, article_data, "charge rate harassment Thames Valley 2023", "--json")
    assert status == 0
    answer = json.loads(out)
    assert answer["status"] == "answer"
    assert answer["text"].startswith("Thames Valley Police charged or summonsed 301 (3.1 per cent)")
    rates = {
        f["period_end"]: f["value"]
        for f in answer["figures"]
        if f["place"] == "Thames Valley Police" and f["unit"] == "percent"
    }
    assert rates == {"2023-09-30": 3.1, "2022-09-30": 3.9}
    first = answer["figures"][0]
    assert first == {
        "label": "Thames Valley Police: harassment offences, the year to September 2023",
        "value": 9632,
        "unit": "offences",
        "place": "Thames Valley Police",
        "offence": "harassment",
        "period_start": "2022-10-01",
        "period_end": "2023-09-30",
        "sources": [
            {
                "release": "prc-pfa-mar2013-onwards-tables-191023.xlsx",
                "published": "2023-10-19",
                "table": "recorded",
            }
        ],
        "revised_from": None,
        "revised_in": "",
    }
    charge = next(f for f in answer["figures"] if f["unit"] == "outcomes")
    assert charge["sources"][0]["table"] == "outcomes"


def test_cli_as_a_process_exit_statuses(article_data):
    def run(question):
        return subprocess.run(
            [sys.executable, "-m", "bot", "ask", "--data-dir", str(article_data), question],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=60,
        )

    answered = run("harassment Thames Valley latest")
    assert answered.returncode == 0
    assert "9,632" in answered.stdout
    unclear = run("harassment in Narnia")
    assert unclear.returncode == 2
    assert "I don't know “narnia”" in unclear.stdout
    assert not re.search(r"\d,\d{3}|\d%", unclear.stdout)  # no figure in a clarification
