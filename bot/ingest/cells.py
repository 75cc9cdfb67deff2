"""What a release's sheets are read into: a sheet's first rows and a reader for its body,
the table below its header, and a header row that nearly matched."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from bot.ingest.errors import IngestError

HEADER_SEARCH_ROWS = 30

# (header position, {column: position}) -> (the cells below the header, their row numbers)
BodyReader = Callable[[int, dict[str, int]], tuple[pd.DataFrame, np.ndarray]]
Cells = list[list[Any]]  # rows of cell values, as a spreadsheet library gives them


@dataclass
class Sheet:
    """A sheet's first rows (to find the header in) and a way to read its body by column."""

    file: str
    name: str
    head: Cells
    read_body: BodyReader


@dataclass
class Table:
    """The cells below a header, one column per canonical name, with each row's number in the
    sheet as people see it (1-based)."""

    file: str
    sheet: str
    cells: pd.DataFrame
    row_numbers: np.ndarray = field(repr=False)


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
