"""A CSV release file as a sheet: its first rows read with the csv module (to find the
header in), its body with Arrow's CSV reader, since a CSV file can run to millions of rows."""

from __future__ import annotations

import csv
import io
from itertools import islice
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from bot.ingest.cells import HEADER_SEARCH_ROWS, Cells, Sheet
from bot.ingest.errors import IngestError


def csv_sheet(path: Path) -> Sheet:
    encoding = _encoding(path)
    with path.open(encoding=encoding, errors="replace", newline="") as handle:
        try:
            head: Cells = list(islice(csv.reader(handle), HEADER_SEARCH_ROWS))
        except csv.Error as error:
            if "field larger than field limit" in str(error):
                raise IngestError(
                    f"{path.name}: a cell near the top is over {csv.field_size_limit():,} "
                    "characters: this is not a release table"
                ) from error
            raise IngestError(f"{path.name}: malformed CSV ({error})") from error

    def read(position: int, columns: dict[str, int]) -> tuple[pd.DataFrame, np.ndarray]:
        return _body(path, encoding, len(head[position]), position, columns)

    return Sheet(path.name, path.stem, head, read)


def _encoding(path: Path) -> str:
    """UTF-8 (with or without a byte order mark), else Windows-1252, as Excel saves CSV."""
    with path.open("rb") as handle:
        start = handle.read(1 << 16)
    if b"\x00" in start:
        raise IngestError(f"{path.name}: is not a text CSV file (binary content)")
    try:
        start.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        if error.start < len(start) - 4:  # not just a character cut at the block's end
            return "cp1252"
    return "utf-8"


def _body(
    path: Path, encoding: str, width: int, position: int, columns: dict[str, int]
) -> tuple[pd.DataFrame, np.ndarray]:
    """The wanted columns below the header at ``position``, as Arrow-backed strings; rows of
    another width are skipped if they are footnotes or blank, refused otherwise."""
    skipped: list[str] = []

    def odd_row(row: pacsv.InvalidRow) -> str:
        skipped.append(row.text)
        return "skip"

    names = [f"c{i}" for i in range(width)]
    try:
        table = pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(
                skip_rows=position + 1,
                column_names=names,
                encoding=encoding,
                block_size=1 << 24,
            ),
            parse_options=pacsv.ParseOptions(invalid_row_handler=odd_row),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.string() for n in names},
                include_columns=[names[i] for i in columns.values()],
                strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, OSError) as error:
        raise IngestError(f"{path.name}: malformed CSV ({error})") from error
    for text in skipped:
        fields = next(csv.reader(io.StringIO(text)), [])
        if sum(1 for f in fields if f.strip()) > 2:  # more than a footnote or a blank line
            raise IngestError(
                f"{path.name}: a row has {len(fields)} fields where the header has "
                f"{width}: {text[:120]!r}"
            )
    cells = pd.DataFrame(
        {
            name: table.column(names[i]).to_pandas(types_mapper=pd.ArrowDtype)
            for name, i in columns.items()
        }
    )
    return cells, np.arange(len(cells)) + position + 2
