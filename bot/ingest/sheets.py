"""Read the sheets of an official release (ODS, XLSX or CSV) as rows of cells.

Official workbooks carry cover and notes sheets and title rows above the
header, so a sheet is only a table once its header row has been found.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from python_calamine import CalamineWorkbook

from bot.ingest.errors import IngestError

HEADER_SEARCH_ROWS = 30
SPREADSHEET_SUFFIXES = {".ods", ".xlsx", ".xlsm", ".xls"}


@dataclass
class Table:
    """A sheet's rows below its header, with the sheet-row number of each (1-based, as shown)."""

    file: str
    sheet: str
    columns: dict[str, int]
    rows: list[list]
    first_row_number: int

    def row_number(self, position: int) -> int:
        return self.first_row_number + position


def normalise_column(name: object) -> str:
    """'Number of Offences ³' and 'number_of_offences' compare equal."""
    text = str(name or "").lower()
    text = re.sub(r"[\u00b9\u00b2\u00b3\u2070-\u2079]", "", text)
    text = re.sub(r"[^a-z0-9]+", " ", text)
    text = re.sub(r"(?<=[a-z])\d+$", "", text.strip())
    return text.strip()


def read_sheets(path: Path) -> Iterator[tuple[str, list[list]]]:
    """Yield (sheet name, rows) for every sheet, raising IngestError for unreadable files."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        yield path.stem, _read_csv(path)
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
    for name in names:
        try:
            rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
        except Exception as error:
            raise IngestError(f"{path.name}, sheet {name!r}: cannot be read ({error})") from error
        yield name, rows


def _read_csv(path: Path) -> list[list]:
    raw = path.read_bytes()
    if b"\x00" in raw[:4096]:
        raise IngestError(f"{path.name}: is not a text CSV file (binary content)")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes nearly everything
        raise IngestError(f"{path.name}: cannot be decoded as UTF-8 or Windows-1252 text")
    try:
        return list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        raise IngestError(f"{path.name}: malformed CSV ({error})") from error


@dataclass
class NearMiss:
    """A header row with most but not all required columns: a changed layout, not a notes sheet."""

    file: str
    sheet: str
    row_number: int
    missing: list[str]

    def error(self, aliases: dict[str, tuple[str, ...]]) -> IngestError:
        labels = ", ".join(repr(aliases[name][0]) for name in self.missing)
        return IngestError(
            f"{self.file}, sheet {self.sheet!r}, row {self.row_number}: missing column(s) {labels}"
        )


def find_table(
    file: str,
    sheet: str,
    rows: list[list],
    aliases: dict[str, tuple[str, ...]],
    required: tuple[str, ...],
) -> Table | NearMiss | None:
    """Locate the header row holding every required column.

    Returns the table, or the closest near miss (so the caller can name the
    missing columns), or None for a sheet that has no table at all.
    """
    best: NearMiss | None = None
    for position, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        columns = match_columns(row, aliases)
        missing = [name for name in required if name not in columns]
        if not missing:
            return Table(file, sheet, columns, rows[position + 1 :], position + 2)
        enough = len(required) - len(missing) >= max(3, len(required) // 2)
        if enough and (best is None or len(missing) < len(best.missing)):
            best = NearMiss(file, sheet, position + 1, missing)
    return best


def match_columns(row: list, aliases: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """Map canonical column names to positions in a header row."""
    lookup = {normalise_column(alias): name for name, names in aliases.items() for alias in names}
    columns: dict[str, int] = {}
    for position, cell in enumerate(row):
        name = lookup.get(normalise_column(cell))
        if name is not None and name not in columns:
            columns[name] = position
    return columns
