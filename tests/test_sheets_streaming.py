"""The spreadsheet reader streams a sheet's body from calamine's grid into categoricals: it
must give exactly the cells and row numbers the whole-sheet read (to_python) gives."""

from __future__ import annotations

import gc

import numpy as np
import pandas as pd
import pytest
from openpyxl import Workbook
from python_calamine import CalamineWorkbook

from bot.ingest import sheets
from bot.ingest.layouts import OUTCOMES, RECORDED
from bot.ingest.sheets import find_header, read_sheets, read_table

HEADER = [
    "Financial Year",
    "Financial Quarter",
    "Force Name",
    "Offence Description",
    "Offence Group",
    "Offence Subgroup",
    "Offence Code",
    "Number of Offences",
]
ROWS = [
    ["2024/25", 1, "Cumbria", "Harassment", "Violence against the person", "Stalking", "8L", 91],
    [" 2024/25 ", 2.0, "Kent", "Harassment", "Violence against the person", "Stalking", "8L", 9.5],
    ["2024/25", "Q3", "Kent", "Arson", "Criminal damage and arson", "Arson", 56.1, "N/A"],
    ["2024/25", 4, None, None, None, None, None, None],  # a short row: blanks after the quarter
    [None] * 8,
    ["2024/25", True, "London, City of", "Shoplifting", "Theft offences", "Shoplifting", 46, 1],
    ["Note: figures are provisional."],
]


def write(path, first_row=4, first_column=2):
    """A sheet with title rows, a blank column before the table and ugly cells."""
    book = Workbook()
    sheet = book.active
    sheet.title = "2024_25"
    sheet.cell(row=1, column=3, value="Police recorded crime")
    for r, row in enumerate([HEADER, *ROWS], start=first_row):
        for c, value in enumerate(row, start=first_column):
            if value is not None:
                sheet.cell(row=r, column=c, value=value)
    cover = book.create_sheet("Cover_sheet", 0)
    cover["A1"] = "Cover"
    book.save(path)
    return path


def whole_sheet(path, name, position, columns):
    """The reader as it was: every cell of the sheet as a Python object."""
    rows = (
        CalamineWorkbook.from_path(str(path))
        .get_sheet_by_name(name)
        .to_python(skip_empty_area=False)
    )
    body = rows[position + 1 :]
    cells = pd.DataFrame(
        {
            name: pd.Series([row[i] if i < len(row) else None for row in body], dtype=object)
            for name, i in columns.items()
        }
    )
    return cells, np.arange(len(body)) + position + 2


def table_of(path):
    for sheet in read_sheets(path):
        header = find_header(sheet, RECORDED.aliases, RECORDED.required)
        if isinstance(header, tuple):
            position, columns = header
            return sheet, position, columns, read_table(sheet, position, columns)
    raise AssertionError("no table")


@pytest.mark.parametrize(("first_row", "first_column"), [(1, 1), (4, 2), (30, 5)])
@pytest.mark.parametrize("chunk", [2, 1 << 13])
def test_streamed_cells_are_the_whole_sheet_cells(
    tmp_path, monkeypatch, first_row, first_column, chunk
):
    monkeypatch.setattr(sheets, "STREAM_ROWS", chunk)
    path = write(tmp_path / "t.xlsx", first_row, first_column)
    sheet, position, columns, table = table_of(path)
    assert position == first_row - 1
    cells, numbers = whole_sheet(path, sheet.name, position, columns)
    assert list(table.cells.columns) == list(cells.columns)
    for name in cells:
        assert table.cells[name].astype(object).tolist() == cells[name].tolist(), name
    assert table.row_numbers.tolist() == numbers.tolist()
    assert isinstance(table.cells["force"].dtype, pd.CategoricalDtype)
    assert gc.isenabled()


def test_fallback_reads_the_whole_sheet(tmp_path, monkeypatch):
    def misaligned(*args):
        raise sheets._Misaligned

    path = write(tmp_path / "t.xlsx")
    streamed = table_of(path)[3]
    monkeypatch.setattr(sheets, "_streamed_columns", misaligned)
    listed = table_of(path)[3]
    for name in streamed.cells:
        assert streamed.cells[name].astype(object).tolist() == listed.cells[name].tolist()
    assert streamed.row_numbers.tolist() == listed.row_numbers.tolist()


def test_a_failing_body_read_names_file_and_sheet(tmp_path, monkeypatch):
    def broken(*args):
        raise RuntimeError("boom")

    monkeypatch.setattr(sheets, "_streamed_columns", broken)
    with pytest.raises(sheets.IngestError, match=r"t\.xlsx, sheet '2024_25': cannot be read"):
        table_of(write(tmp_path / "t.xlsx"))


def test_tidy_rows_are_the_same_from_streamed_and_whole_sheet_cells(tmp_path):
    from bot.ingest.layouts import tidy

    book = Workbook()
    sheet = book.active
    sheet.title = "Outcomes open data 2024_25"
    header = [
        "Financial Year",
        "Financial Quarter",
        "Force Name",
        "Offence Code",
        "Offence Description",
        "Offence Group",
        "Offence Subgroup",
        "Offence code expired",
        "Outcome Type",
        "Outcome Description",
        "Outcome Group",
        "Outcomes for offences that were recorded in the quarter",
        "Outcomes for investigations closed in the quarter",
    ]
    sheet.append(header)
    for q in (1, 2):
        for force in ("Kent", "Cumbria"):
            for t in (0, 1, 18):
                offence = ["8L", "Harassment", "Violence against the person", "Stalking"]
                counts = [q * t + 1, "N/A" if t == 0 else t]
                sheet.append(["2024/25", q, force, *offence, None, t, "d", "g", *counts])
    path = tmp_path / "o.xlsx"
    book.save(path)
    (found,) = list(read_sheets(path))
    position, columns = find_header(found, OUTCOMES.aliases, OUTCOMES.required)
    streamed = read_table(found, position, columns)
    cells, numbers = whole_sheet(path, found.name, position, columns)
    listed = sheets.Table(streamed.file, streamed.sheet, cells, numbers)
    a, offences_a = tidy(streamed, OUTCOMES)
    b, offences_b = tidy(listed, OUTCOMES)
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(offences_a, offences_b)
