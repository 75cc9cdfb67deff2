"""Ingest: real files, the ugly parts of official tables, and never losing good data."""

from __future__ import annotations

import shutil
import zipfile

import pandas as pd
import pytest

from bot.cli.main import main
from bot.core.periods import Quarter
from bot.ingest import IngestError, ingest
from bot.ingest.csp import read_csp
from bot.ingest.load import release_date_from_name
from bot.query.database import Database
from tests.conftest import REAL_PFA_2017_18, checksums
from tests.fixtures import official
from tests.fixtures.article import (
    PFA_HEADER,
    PFA_ROW,
    one_sheet_workbook,
    write_pfa_workbook,
)


@pytest.fixture(scope="module")
def real_2017_18(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("real")
    ingest([REAL_PFA_2017_18], data_dir, progress=False)
    return pd.read_parquet(data_dir / "recorded.parquet")


@pytest.mark.parametrize(
    ("force", "expected"),
    [
        ("Cumbria", 1228),
        ("Metropolitan Police", 40787),
        ("Kent", 13446),
        ("Cleveland", 2605),
    ],
)
def test_real_file_matches_the_ons_table(real_2017_18, force, expected):
    """Stalking and harassment, year to March 2018: the ONS PFA table P1 figures."""
    rows = real_2017_18[
        (real_2017_18.force == force) & real_2017_18.offence_code.isin(["8L", "8M", "8Q", "8R"])
    ]
    assert rows.offences.sum() == expected


def test_real_file_keeps_negative_adjustments_and_reads_minus_zero(real_2017_18):
    assert (real_2017_18.offences < 0).sum() > 0
    assert real_2017_18.offences.min() == -45
    assert set(real_2017_18.quarter) == {1, 2, 3, 4}
    assert "City of London" in set(real_2017_18.force)  # spelt "London, City of" in the file
    assert real_2017_18.release.unique().tolist() == [REAL_PFA_2017_18.name]


def test_homicide_component_rows_add_up(real_2017_18):
    kent = real_2017_18[
        (real_2017_18.force == "Kent") & (real_2017_18.offence_code == "1/4.1/4.10/4.2")
    ]
    assert len(kent) == 4  # one per quarter, the four published rows summed
    assert kent[kent.quarter == 1].offences.item() == 5


def test_release_date_read_from_the_file_name(tmp_path):
    assert (
        str(release_date_from_name(tmp_path / "prc-pfa-mar2013-onwards-tables-230726.ods"))
        == "2026-07-23"
    )
    assert release_date_from_name(tmp_path / "tables201718.csv") is None


def test_second_ingest_of_the_same_files_changes_nothing(article_files, data_copy):
    before = pd.read_parquet(data_copy / "recorded.parquet")
    ingest(article_files, data_copy, progress=False)
    after = pd.read_parquet(data_copy / "recorded.parquet")
    assert len(after) == len(before)
    assert after.offences.sum() == before.offences.sum()
    manifest = Database(data_copy).manifest
    assert len(manifest["releases"]) == len(article_files)


def test_later_release_replaces_its_quarters_and_keeps_the_revision(tmp_path, data_copy, capsys):
    revised = write_pfa_workbook(
        tmp_path / "prc-pfa-mar2013-onwards-tables-180124.xlsx",
        {
            **{
                ("Thames Valley", "8L", q): v
                for q, v in zip(
                    [Quarter(2022, 3), Quarter(2022, 4), Quarter(2023, 1), Quarter(2023, 2)],
                    [2311, 2408, 2408, 2600],
                    strict=True,
                )
            },
            **{(f, "8L", Quarter(2023, 2)): 1 for f in ("Kent",)},
        },
    )
    assert main(["ingest", "--data-dir", str(data_copy), str(revised)]) == 0
    capsys.readouterr()
    assert (
        main(
            ["ask", "--data-dir", str(data_copy), "harassment Thames Valley year to September 2023"]
        )
        == 0
    )
    out = capsys.readouterr().out
    # 2311 + 2408 + 2408 + 2600 = 9,727 now; the article's release said 9,632.
    assert "recorded 9,727 harassment offences" in out
    assert "(revised from 9,632 in the 19 October 2023 release)" in out
    assert "18 January 2024 release and 19 October 2023 release" in out


GOOD_ROW = PFA_ROW


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        (
            "unknown force",
            lambda p: one_sheet_workbook(
                p, [GOOD_ROW, [*GOOD_ROW[:2], "Gotham City", *GOOD_ROW[3:]]]
            ),
            "sheet '2023-24', row 4: unknown force 'Gotham City'",
        ),
        (
            "missing column",
            lambda p: one_sheet_workbook(p, [GOOD_ROW[:7]], PFA_HEADER[:7]),
            "sheet '2023-24', row 2: missing column(s) 'Number of Offences'",
        ),
        (
            "non-numeric count",
            lambda p: one_sheet_workbook(p, [[*GOOD_ROW[:7], "[x]"]]),
            "row 3: 'Number of Offences' is not a whole number: '[x]'",
        ),
        (
            "quarter that does not exist",
            lambda p: one_sheet_workbook(p, [["2023/24", 5, *GOOD_ROW[2:]]]),
            "row 3: no such quarter: financial year '2023/24', quarter '5'",
        ),
        (
            "financial year that does not exist",
            lambda p: one_sheet_workbook(p, [["2023/25", 1, *GOOD_ROW[2:]]]),
            "no such quarter",
        ),
        (
            "not a spreadsheet",
            lambda p: p.write_bytes(b"PK\x03\x04 this is not really a zip"),
            "cannot be read as a spreadsheet",
        ),
        ("empty file", lambda p: p.write_bytes(b""), "the file is empty"),
        (
            "no table anywhere",
            lambda p: one_sheet_workbook(p, [], ["Just", "a", "cover", "sheet"]),
            "no sheet has the columns",
        ),
    ],
)
def test_bad_file_fails_with_its_place_and_leaves_data_unchanged(
    tmp_path, data_copy, capsys, name, make, message
):
    path = tmp_path / "bad-release.xlsx"
    make(path)
    before = checksums(data_copy)
    status = main(["ingest", "--data-dir", str(data_copy), str(path)])
    err = capsys.readouterr().err
    assert status == 1
    assert message in err
    assert "bad-release.xlsx" in err
    assert "Nothing was changed" in err
    assert checksums(data_copy) == before


def test_truncated_workbook_is_refused(tmp_path, article_files, data_copy, capsys):
    whole = article_files[0].read_bytes()
    cut = tmp_path / "truncated.xlsx"
    cut.write_bytes(whole[: len(whole) // 2])
    before = checksums(data_copy)
    assert main(["ingest", "--data-dir", str(data_copy), str(cut)]) == 1
    assert "truncated.xlsx" in capsys.readouterr().err
    assert checksums(data_copy) == before


def test_a_bad_file_among_good_ones_loads_none_of_them(tmp_path, article_files, capsys):
    data_dir = tmp_path / "data"
    shutil.copytree(article_files[0].parent, tmp_path / "in")
    bad = one_sheet_workbook(tmp_path / "bad.xlsx", [[*GOOD_ROW[:7], "n/a"]])
    assert main(["ingest", "--data-dir", str(data_dir), *map(str, article_files), str(bad)]) == 1
    assert not (data_dir / "recorded.parquet").exists()


def test_ods_and_csv_read_like_xlsx(tmp_path):
    header_rows = [
        ["Police recorded crime, title row"],
        [],
        PFA_HEADER,
        GOOD_ROW,
        [*GOOD_ROW[:2], "Devon & Cornwall", *GOOD_ROW[3:7], " 12 "],
        ["Footnote: figures are provisional"],
    ]
    width = len(PFA_HEADER)
    frame = pd.DataFrame([row + [None] * (width - len(row)) for row in header_rows])
    ods = tmp_path / "release.ods"
    with pd.ExcelWriter(ods, engine="odf") as writer:
        pd.DataFrame([["Cover sheet"]]).to_excel(
            writer, sheet_name="Cover", index=False, header=False
        )
        frame.to_excel(writer, sheet_name="2023-24", index=False, header=False)
    csv = tmp_path / "release.csv"
    frame.to_csv(csv, index=False, header=False)
    for path in (ods, csv):
        data_dir = tmp_path / f"data-{path.suffix}"
        ingest([path], data_dir, progress=False)
        rows = pd.read_parquet(data_dir / "recorded.parquet").sort_values("force")
        assert rows.force.tolist() == ["Devon and Cornwall", "Thames Valley"]
        assert rows.offences.tolist() == [12, 10]
        assert rows.quarter_end.astype(str).tolist() == ["2023-09-30", "2023-09-30"]


def test_zip_that_is_not_a_workbook(tmp_path, capsys):
    path = tmp_path / "release.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    with pytest.raises(IngestError, match=r"release\.xlsx"):
        ingest([path], tmp_path / "data", progress=False)


def _ingested(tmp_path, path, kind: str) -> pd.DataFrame:
    data_dir = tmp_path / "data"
    ingest([path], data_dir, progress=False)
    rows = pd.read_parquet(data_dir / f"{kind}.parquet")
    return rows[rows.release == path.name].reset_index(drop=True)


@pytest.mark.parametrize(
    ("sheet", "year", "header"),
    [
        ("Outcomes_open_data_2014-15", "2014/15", official.OUTCOMES_HEADER),
        ("Outcomes open data 2021_22", "2021/22", official.OUTCOMES_HEADER),
        ("Outcomes open data 2025_26", "2025/26", official.OUTCOMES_HEADER),
        ("Outcomes_open_data_2023_24", "2023/24", official.OUTCOMES_HEADER_NUMBER_OF),
    ],
)
def test_outcomes_workbook_as_published_is_read(tmp_path, sheet, year, header):
    """Cover_sheet, Notes and Pivot sheets around a data sheet whose name varies by year,
    and the recent count headers ("Outcomes for offences that were recorded in the
    quarter", "... investigations closed in the quarter"): both counts are read."""
    path = official.outcomes_workbook(
        tmp_path / f"prc-outcomes-open-data-mar{int(year[:4]) + 1}-tables-230726.xlsx",
        sheet,
        [
            official.outcome_row(
                year, "Thames Valley", official.HARASSMENT, official.CHARGED, 30, 12
            ),
            official.outcome_row(
                year, "London, City of", official.HARASSMENT, official.CHARGED, 2, 1
            ),
        ],
        header,
    )
    rows = _ingested(tmp_path, path, "outcomes").sort_values("force")
    assert rows.force.tolist() == ["City of London", "Thames Valley"]
    assert rows.outcomes_for_recorded.tolist() == [2, 30]
    assert rows.outcomes_in_quarter.tolist() == [1, 12]
    assert set(rows.financial_year) == {year}


@pytest.mark.parametrize(
    "marker",
    [
        "NA",
        "N/A",
        "N/A - Offence code expired",
        "N/A - offence code expired",
        "N/A - data not provided",
        "N/a",
        " n/a ",
    ],
)
def test_not_applicable_markers_are_no_figure_never_a_zero(tmp_path, marker):
    """Each spelling of "not applicable" / "data not provided" is never a count of 0: a
    row whose recorded-in-quarter count (what answers use) is a marker is left out, so it
    has no figure; a marker in the closed-in-quarter column is a missing value."""
    year = "2025/26"
    path = official.outcomes_workbook(
        tmp_path / "prc-outcomes-open-data-mar2026-tables-230726.xlsx",
        "Outcomes open data 2025_26",
        [
            official.outcome_row(year, "Kent", official.HARASSMENT, official.CHARGED, 30, 12),
            official.outcome_row(year, "Kent", official.HARASSMENT, official.NOT_YET, 100, marker),
            official.outcome_row(year, "Kent", official.EXPIRED, official.CHARGED, marker, marker),
            official.outcome_row(year, "Kent", official.HARASSMENT, official.VICTIM, marker, 5),
        ],
    )
    rows = _ingested(tmp_path, path, "outcomes")
    assert set(rows.offence_code) == {"8L"}  # the expired code's row of markers is left out
    assert set(rows.outcome_type) == {"1", "0"}  # type 14's recorded count was a marker
    by_type = rows.set_index("outcome_type")
    assert by_type.outcomes_for_recorded.to_dict() == {"1": 30, "0": 100}
    assert by_type.outcomes_in_quarter["1"] == 12
    assert pd.isna(by_type.outcomes_in_quarter["0"])
    assert rows.outcomes_in_quarter.sum() == 12


def test_an_undocumented_marker_is_still_an_error(tmp_path):
    path = official.outcomes_workbook(
        tmp_path / "prc-outcomes-open-data-mar2026-tables-230726.xlsx",
        "Outcomes open data 2025_26",
        [official.outcome_row("2025/26", "Kent", official.HARASSMENT, official.CHARGED, 30, "..")],
    )
    with pytest.raises(IngestError, match=r"row 2: 'Outcomes for investigations .*'\.\.'"):
        ingest([path], tmp_path / "data", progress=False)


def test_2013_14_sheet_with_stray_columns_and_n_a_cells(tmp_path):
    """Only the eight published columns are read (the three stray ones after them hold
    junk here), a padded ' 2013/14 ' is a year, and an 'N/a' count is no row, not 0."""
    row = [
        " 2013/14 ",
        1,
        "Cumbria",
        "Harassment",
        "Violence against the person",
        "Stalking and harassment",
        "8L",
    ]
    path = official.pfa_2013_14_ods(
        tmp_path / "prc-pfa-mar2013-onwards-tables-230426.ods",
        [[*row, 120], [*row[:6], "8Q", "N/a"], [*row[:2], "Kent", *row[3:], -3]],
    )
    rows = _ingested(tmp_path, path, "recorded").sort_values("force")
    assert rows[["force", "offence_code", "offences"]].values.tolist() == [
        ["Cumbria", "8L", 120],
        ["Kent", "8L", -3],
    ]
    assert set(rows.quarter_end.astype(str)) == {"2013-06-30"}


def test_csp_tables_are_read_with_police_force_and_offence_count(tmp_path):
    """The CSP layout: 'Police Force' and 'Offence Count', one row per force, partnership,
    offence and quarter, from every year sheet; the Notes sheet is skipped."""
    burglary = official.BURGLARY
    path = official.csp_ods(
        tmp_path / "prc-csp-mar2021-mar2026-tables-230726.ods",
        {
            "2024_25": [
                ["2024/25", 1, "Avon and Somerset", "Bath and North East Somerset", *burglary, 149],
                ["2024/25", 1, "Avon and Somerset", "Unassigned Avon & Somerset", *burglary, 3],
            ],
            "2025_26": [
                ["2025/26", 1, "Greater Manchester", "Manchester Airport", *burglary, "N/A"],
                ["2025/26", 2, "London, City of", "City of London", *burglary, 7],
            ],
        },
    )
    rows = read_csp(path)
    assert rows.columns.tolist() == ["force", "csp", "offence_code", "quarter_index", "offences"]
    assert rows.drop(columns="quarter_index").values.tolist() == [
        ["Avon and Somerset", "Bath and North East Somerset", "30A", 149],
        ["Avon and Somerset", "Unassigned Avon & Somerset", "30A", 3],
        ["City of London", "City of London", "30A", 7],
    ]
    assert rows.quarter_index.tolist()[:2] == [Quarter(2024, 1).index] * 2


def test_a_csp_file_missing_a_column_says_where(tmp_path):
    header = [*official.CSP_HEADER[:-1], "Count"]
    path = official.csp_ods(
        tmp_path / "prc-csp.ods",
        {"2024_25": [["2024/25", 1, "Kent", "Maidstone", *official.BURGLARY, 5]]},
        header,
    )
    with pytest.raises(
        IngestError, match=r"sheet '2024_25', row 1: missing column\(s\) 'Offence Count'"
    ):
        read_csp(path)


def test_ingest_stores_csp_tables_as_their_own_table(tmp_path, data_copy):
    """A CSP file is ingested into csp.parquet and never summed into the force tables."""
    path = official.csp_ods(
        tmp_path / "prc-csp-mar2021-mar2026-tables-230726.ods",
        {"2024_25": [["2024/25", 1, "Kent", "Medway", *official.BURGLARY, 41]]},
    )
    before = pd.read_parquet(data_copy / "recorded.parquet")
    assert main(["ingest", "--data-dir", str(data_copy), str(path)]) == 0
    stored = pd.read_parquet(data_copy / "csp.parquet")
    assert stored[["force", "csp", "offences"]].values.tolist() == [["Kent", "Medway", 41]]
    after = pd.read_parquet(data_copy / "recorded.parquet")
    pd.testing.assert_frame_equal(
        before.drop(columns="release"), after.drop(columns="release"), check_like=True
    )


def test_files_read_in_parallel_give_the_same_dataset(tmp_path, article_files, monkeypatch):
    """A large release is read one process per core; the stored tables are the same."""
    import bot.ingest

    monkeypatch.setattr(bot.ingest, "PARALLEL_FROM_BYTES", 0)
    ingest(article_files, tmp_path / "parallel", progress=False, processes=2)
    ingest(article_files, tmp_path / "serial", progress=False, processes=1)
    for table in ("recorded", "outcomes", "offences"):
        parallel = pd.read_parquet(tmp_path / "parallel" / f"{table}.parquet")
        serial = pd.read_parquet(tmp_path / "serial" / f"{table}.parquet")
        pd.testing.assert_frame_equal(parallel, serial)
    broken = tmp_path / "prc-pfa-mar2013-onwards-tables-010101.csv"
    broken.write_text("Financial Year,Force Name\n2023/24,Kent\n")
    with pytest.raises(IngestError, match=broken.name):
        ingest([*article_files, broken], tmp_path / "failing", progress=False, processes=2)
    assert not (tmp_path / "failing" / "recorded.parquet").exists()
