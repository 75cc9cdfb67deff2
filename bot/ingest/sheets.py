"""Read the tables of an official release (ODS, XLSX or CSV) into frames of cells.

Official workbooks carry cover and notes sheets and title rows above the header, so a
sheet is only a table once its header row has been found. CSV files, which can run to
millions of rows, are read by Arrow's CSV reader rather than row by row in Python.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from itertools import chain, islice
from operator import itemgetter
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from python_calamine import CalamineSheet, CalamineWorkbook

from bot.ingest.cells import HEADER_SEARCH_ROWS, BodyReader, Cells, NearMiss, Sheet, Table
from bot.ingest.csv_sheet import csv_sheet
from bot.ingest.errors import IngestError

SPREADSHEET_SUFFIXES = {".ods", ".xlsx", ".xlsm", ".xls"}


def normalise_column(name: object) -> str:
    """'Number of Offences ³' and 'number_of_offences' compare equal."""
    text = str(name or "").lower()
    text = re.sub(r"[\u00b9\u00b2\u00b3\u2070-\u2079]", "", text)
    text = re.sub(r"[^a-z0-9]+", " ", text)
    text = re.sub(r"(?<=[a-z])\d+$", "", text.strip())
    return text.strip()


def match_columns(row: list[Any], aliases: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """Map canonical column names to positions in a header row."""
    lookup = {normalise_column(alias): name for name, names in aliases.items() for alias in names}
    columns: dict[str, int] = {}
    for position, cell in enumerate(row):
        name = lookup.get(normalise_column(cell))
        if name is not None and name not in columns:
            columns[name] = position
    return columns


def find_header(
    sheet: Sheet, aliases: dict[str, tuple[str, ...]], required: tuple[str, ...]
) -> tuple[int, dict[str, int]] | NearMiss | None:
    """The header row holding every required column, the closest near miss, or None."""
    best: NearMiss | None = None
    for position, row in enumerate(sheet.head[:HEADER_SEARCH_ROWS]):
        columns = match_columns(row, aliases)
        missing = [name for name in required if name not in columns]
        if not missing:
            return position, columns
        enough = len(required) - len(missing) >= max(3, len(required) // 2)
        if enough and (best is None or len(missing) < len(best.missing)):
            best = NearMiss(sheet.file, sheet.name, position + 1, missing)
    return best


def read_table(sheet: Sheet, position: int, columns: dict[str, int]) -> Table:
    cells, row_numbers = sheet.read_body(position, columns)
    return Table(sheet.file, sheet.name, cells, row_numbers)


def read_sheets(path: Path) -> Iterator[Sheet]:
    """Every sheet of a workbook, or the one table of a CSV file."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        yield csv_sheet(path)
        return
    if suffix not in SPREADSHEET_SUFFIXES:
        raise IngestError(
            f"{path.name}: unsupported file type {suffix or '(none)'}; expected .ods, .xlsx or .csv"
        )
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        names = list(workbook.sheet_names)
    except Exception as error:  # calamine raises its own types for corrupt files
        raise IngestError(f"{path.name}: cannot be read as a spreadsheet ({error})") from error
    try:
        for name in names:
            try:
                sheet = workbook.get_sheet_by_name(name)
                head = sheet.to_python(skip_empty_area=False, nrows=HEADER_SEARCH_ROWS)
            except Exception as error:
                raise IngestError(
                    f"{path.name}, sheet {name!r}: cannot be read ({error})"
                ) from error
            yield Sheet(path.name, name, head, _spreadsheet_body(path.name, name, sheet, head))
    finally:
        workbook.close()  # the parsed sheets stay readable; the file and its strings go


class _Misaligned(Exception):
    """iter_rows did not give the rows to_python gives: read the sheet the slow way."""


def _spreadsheet_body(file: str, name: str, sheet: CalamineSheet, head: Cells) -> BodyReader:
    """A sheet's body, streamed row by row from calamine's parsed grid: only the wanted
    columns are kept, each as a categorical (an outcomes workbook is 700k rows x 13 cells,
    but a column has a few hundred distinct values), so no Python object per cell lives on.
    Cells are the ones ``to_python(skip_empty_area=False)`` gives, and so are row numbers."""

    def read(position: int, columns: dict[str, int]) -> tuple[pd.DataFrame, np.ndarray]:
        try:
            try:
                cells = _streamed_columns(sheet, head, position, columns)
            except _Misaligned:
                cells = _listed_columns(
                    sheet.to_python(skip_empty_area=False)[position + 1 :], columns
                )
        except Exception as error:
            raise IngestError(f"{file}, sheet {name!r}: cannot be read ({error})") from error
        return cells, np.arange(len(cells)) + position + 2

    return read


def _listed_columns(body: Cells, columns: dict[str, int]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            name: pd.Series([row[i] if i < len(row) else None for row in body], dtype=object)
            for name, i in columns.items()
        }
    )


STREAM_ROWS = 1 << 12


def _streamed_columns(
    sheet: CalamineSheet, head: Cells, position: int, columns: dict[str, int]
) -> pd.DataFrame:
    # calamine 0.9's iter_rows pads the empty rows above the used range (as to_python does
    # with skip_empty_area=False) but starts each row at the range's first column; check
    # that against the head already read, and fall back if a version differs.
    offset = sheet.start[1] if sheet.start else 0
    wanted = [i - offset for i in columns.values()]
    if not wanted or min(wanted) < 0:
        raise _Misaligned
    rows = iter(sheet.iter_rows())
    for expected in head:
        row = next(rows, None)
        if row is None or row != expected[offset:]:
            raise _Misaligned
    body = chain((row[offset:] for row in head[position + 1 :]), rows)
    pick = itemgetter(*wanted)
    builders = [_Categories() for _ in wanted]
    # Millions of short-lived row lists, none in a cycle: the cyclic collector would only
    # rescan everything else alive (a third of the streaming time in a long ingest).
    collecting = gc.isenabled()
    gc.disable()
    try:
        while chunk := list(islice(body, STREAM_ROWS)):
            picked = map(pick, chunk) if len(wanted) > 1 else ((pick(r),) for r in chunk)
            for builder, values in zip(builders, zip(*picked, strict=True), strict=True):
                builder.add(values)
    except IndexError as error:  # a short row: never from calamine's rectangular grid
        raise _Misaligned from error
    finally:
        if collecting:
            gc.enable()
    return pd.DataFrame({name: b.series() for name, b in zip(columns, builders, strict=True)})


class _Categories:
    """A column built chunk by chunk as codes into the distinct cell values, first seen first
    (the values ``pd.factorize`` would give for the whole column)."""

    def __init__(self) -> None:
        self.codes: list[np.ndarray] = []
        self.uniques: list[np.ndarray] = []

    def add(self, values: tuple[object, ...]) -> None:
        codes, uniques = pd.factorize(np.fromiter(values, dtype=object, count=len(values)))
        self.codes.append(codes)
        self.uniques.append(uniques)

    def series(self) -> pd.Series:
        if not self.codes:
            return pd.Series([], dtype=object)
        merged, categories = pd.factorize(np.concatenate(self.uniques))
        parts, start = [], 0
        for codes, uniques in zip(self.codes, self.uniques, strict=True):
            mapping = np.append(merged[start : start + len(uniques)], -1)  # -1: empty stays
            parts.append(mapping[codes])
            start += len(uniques)
        return pd.Series(
            pd.Categorical.from_codes(
                np.concatenate(parts), categories=pd.Index(categories, dtype=object)
            )
        )
