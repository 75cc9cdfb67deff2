"""No input can break the answer path or the data: fuzzed questions, hostile files."""

from __future__ import annotations

import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.answers.ask import ask
from bot.cli.main import main
from bot.ingest import ingest
from tests.conftest import TODAY, checksums
from tests.fixtures.article import PFA_HEADER, PFA_ROW, one_sheet_workbook

HOSTILE = st.sampled_from(
    [
        "'; DROP TABLE recorded; --",
        "SELECT * FROM read_csv('/etc/passwd')",
        "COPY recorded TO '/tmp/x'",
        "<@U123ABC>",
        "<https://example.org|click>",
        "<!channel>",
        "<#C123|general>",
        "🚔",
        "\u202e",
        "harassment",
        "Thames Valley",
        "charge rate",
        "year to September 2023",
        "2022/23",
        "FY23",
        "compare",
        "and",
        "vs",
        "top 5",
        "since 2015",
        "\x00",
        "%s",
        "{0}",
        "$1",
        "?",
        "\\",
    ]
)
QUESTIONS = st.one_of(
    st.text(max_size=400),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=300, max_size=10_000),
    st.lists(HOSTILE, max_size=30).map(" ".join),
    st.lists(st.one_of(HOSTILE, st.text(max_size=12)), max_size=25).map(" ".join),
)


@pytest.fixture(scope="module")
def before(article_data):
    return checksums(article_data)


@settings(
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(question=QUESTIONS)
def test_any_text_gets_an_answer_or_a_clarification(article_db, question):
    answer, _ = ask(question, article_db, TODAY)
    assert answer.status in ("answer", "clarification")
    assert "something went wrong" not in answer.text  # a caught bug is still a bug
    assert answer.text
    if answer.status == "clarification":
        assert answer.figures == []
    else:
        assert answer.source.startswith("Source:")
        assert "Period:" in answer.source


def test_fuzzing_left_the_data_files_as_they_were(article_data, before):
    assert checksums(article_data) == before


ROW = PFA_ROW


def test_huge_cell_is_refused_with_a_short_message(tmp_path, data_copy, capsys):
    path = one_sheet_workbook(tmp_path / "huge.xlsx", [ROW, [*ROW[:2], "X" * 2_000_000, *ROW[3:]]])
    before = checksums(data_copy)
    assert main(["ingest", "--data-dir", str(data_copy), str(path)]) == 1
    err = capsys.readouterr().err
    assert "huge.xlsx, sheet '2023-24', row 4: unknown force 'XXXX" in err
    assert len(err) < 600
    assert checksums(data_copy) == before


@pytest.mark.parametrize(
    ("size", "message"),
    [
        (
            100_000,
            "huge.csv, sheet 'huge', row 2: 'Number of Offences' is not a whole number: '999",
        ),
        (1_000_000, "huge.csv: a cell near the top is over 131,072 characters"),
    ],
)
def test_huge_csv_cell_is_refused(tmp_path, data_copy, capsys, size, message):
    path = tmp_path / "huge.csv"
    path.write_text(
        ",".join(PFA_HEADER) + "\n" + ",".join(map(str, ROW[:7])) + "," + "9" * size + "x\n"
    )
    before = checksums(data_copy)
    assert main(["ingest", "--data-dir", str(data_copy), str(path)]) == 1
    err = capsys.readouterr().err
    assert message in err
    assert len(err) < 600
    assert checksums(data_copy) == before


def test_the_same_file_twice_counts_once(tmp_path, article_files, data_copy):
    before = checksums(data_copy)
    copy = tmp_path / article_files[0].name
    shutil.copy(article_files[0], copy)
    ingest([article_files[0], copy, article_files[0]], data_copy, progress=False)
    import pandas as pd

    rows = pd.read_parquet(data_copy / "recorded.parquet")
    tvp = rows[
        (rows.force == "Thames Valley")
        & (rows.offence_code == "8L")
        & rows.quarter_index.between(8090, 8093)
    ]
    assert tvp.offences.sum() == 9632
    assert checksums(data_copy)["recorded.parquet"] == before["recorded.parquet"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("release.xlsx", b"%PDF-1.7\n%binary", "cannot be read as a spreadsheet"),
        ("release.ods", b"<html><body>Not found</body></html>", "cannot be read as a spreadsheet"),
        ("release.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "is not a text CSV file"),
        ("release.txt", b"Financial Year,Force Name", "unsupported file type .txt"),
        ("release.csv", b"just,some,words\nwith,no,header\n", "no sheet has the columns"),
    ],
)
def test_wrong_format_is_refused_and_data_unchanged(
    tmp_path, data_copy, capsys, name, content, message
):
    path = tmp_path / name
    path.write_bytes(content)
    before = checksums(data_copy)
    assert main(["ingest", "--data-dir", str(data_copy), str(path)]) == 1
    assert message in capsys.readouterr().err
    assert checksums(data_copy) == before
