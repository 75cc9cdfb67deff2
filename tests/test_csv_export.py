"""`ask --csv`: the figures behind an answer, each with its place, offence, period, value,
unit, release and publication date, and whether a newer release revised it."""

from __future__ import annotations

import csv
import io

from bot.cli.main import EXIT_CLARIFY, EXIT_OK, main
from bot.render.answer import Answer, Figure, Provenance
from bot.render.csv_export import COLUMNS, answer_csv
from tests.conftest import ROOT

APRIL_2026 = "prc-pfa-mar2013-onwards-tables-230426.csv"
OCTOBER_2023 = "prc-pfa-mar2013-onwards-tables-191023.csv"


def rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def test_a_revised_figure_and_a_rate_from_two_sources_are_written_as_rows():
    rate = Figure(
        "Cleveland Police: shoplifting per 1,000 residents, the year to December 2025",
        14.6,
        "per 1,000 residents",
        "Cleveland Police",
        "shoplifting",
        "2025-01-01",
        "2025-12-31",
        (
            Provenance(APRIL_2026, "2026-04-23", "recorded"),
            Provenance("mid-2024 estimates, ad hoc 3194", "2025-07-01", "population"),
        ),
    )
    revised = Figure(
        "Thames Valley Police: harassment offences, the year to June 2023",
        8973,
        "offences",
        "Thames Valley Police",
        "harassment",
        "2022-07-01",
        "2023-06-30",
        (Provenance(APRIL_2026, "2026-04-23", "recorded"),),
        revised_from=9261,
        revised_in=OCTOBER_2023,
    )
    answer = Answer("answer", "…", figures=[revised, rate])
    manifest = [{"release": OCTOBER_2023, "release_date": "2023-10-19"}]
    first, second = rows(answer_csv(answer, manifest))
    assert first == {
        "place": "Thames Valley Police",
        "offence": "harassment",
        "figure": "Thames Valley Police: harassment offences, the year to June 2023",
        "period_start": "2022-07-01",
        "period_end": "2023-06-30",
        "value": "8973",
        "unit": "offences",
        "release": APRIL_2026,
        "published": "2026-04-23",
        "table": "recorded",
        "revised": "yes",
        "revised_from": "9261",
        "revised_in": OCTOBER_2023,
        "revised_in_published": "2023-10-19",
    }
    assert second["value"] == "14.6"
    assert second["release"] == f"{APRIL_2026}; mid-2024 estimates, ad hoc 3194"
    assert second["published"] == "2026-04-23; 2025-07-01"
    assert second["table"] == "recorded; population"
    assert (second["revised"], second["revised_from"], second["revised_in"]) == ("no", "", "")


def test_a_clarification_has_a_header_and_no_rows():
    text = answer_csv(Answer("clarification", "Did you mean …?", suggestions=["x"]))
    assert text == ",".join(COLUMNS) + "\n"


def test_ask_csv_prints_every_figure_of_the_real_answer(capsys):
    data = str(ROOT / "data")
    question = "harassment Thames Valley year to June 2023"
    assert main(["ask", "--csv", "--data-dir", data, question]) == EXIT_OK
    found = rows(capsys.readouterr().out)
    assert [(r["place"], r["period_end"], r["value"], r["revised"]) for r in found] == [
        ("Thames Valley Police", "2023-06-30", "8973", "yes"),
        ("Thames Valley Police", "2022-06-30", "7567", "yes"),
        ("England and Wales", "2023-06-30", "264529", "yes"),
        ("England and Wales", "2022-06-30", "263804", "yes"),
    ]
    assert found[0]["revised_from"] == "9261"
    assert found[1]["revised_from"] == "7569"  # the year before was revised too
    assert found[0]["revised_in_published"] == "2023-10-19"
    assert {r["release"] for r in found} == {APRIL_2026}
    assert {r["published"] for r in found} == {"2026-04-23"}


def test_ask_csv_on_an_unclear_question_prints_no_rows_and_says_why(capsys):
    data = str(ROOT / "data")
    assert main(["ask", "--csv", "--data-dir", data, "harassment Narnia"]) == EXIT_CLARIFY
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("I don't know “narnia”")
