"""The two official table layouts and their conversion to tidy, validated frames.

Column spellings drift between releases; each canonical column lists the
spellings seen (matched case-, space- and punctuation-insensitively). The facts behind
each spelling and marker are in raw/OFFICIAL-LAYOUTS.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from bot.core.periods import Quarter, parse_financial_year
from bot.core.reference import canonical_force, normalise_outcome_type
from bot.ingest.cells import Table
from bot.ingest.errors import IngestError

COMMON = {
    "financial_year": ("Financial Year", "Financial_Year", "FY", "Year"),
    "quarter": ("Financial Quarter", "Financial_Quarter", "Quarter", "Qtr"),
    "force": ("Force Name", "Force_Name", "Force", "Police Force Area", "PFA Name", "PFA"),
    "offence": ("Offence Description", "Offence_Description", "Offence"),
    "offence_group": ("Offence Group", "Offence_Group"),
    "subgroup": ("Offence Subgroup", "Offence Sub-group", "Offence Sub Group", "Offence_Subgroup"),
    "offence_code": ("Offence Code", "Offence_Code", "HO Offence Code", "Home Office Offence Code"),
}


@dataclass(frozen=True)
class Layout:
    kind: str
    aliases: dict[str, tuple[str, ...]]
    counts: tuple[str, ...]
    keys: tuple[str, ...]

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(self.aliases)


RECORDED = Layout(
    kind="recorded",
    aliases={
        **COMMON,
        "offences": (
            "Number of Offences",
            "Number_of_Offences",
            "Offences",
            "Count",
            "Number of offences recorded",
        ),
    },
    counts=("offences",),
    keys=("force", "offence_code", "quarter_index"),
)

OUTCOMES = Layout(
    kind="outcomes",
    aliases={
        **COMMON,
        "outcome_description": ("Outcome Description", "Outcome_Description", "Outcome"),
        "outcome_group": ("Outcome Group", "Outcome_Group"),
        "outcome_type": ("Outcome Type", "Outcome_Type", "Outcome Code", "Outcome Number"),
        # The published spelling first (YE March 2015-2026 files), then a variant one
        # unconfirmed source gives, then older spellings.
        "outcomes_for_recorded": (
            "Outcomes for offences that were recorded in the quarter",
            "Number of Outcomes for offences that were recorded in the quarter",
            "Force outcomes for offences recorded in quarter",
            "Outcomes for offences recorded in quarter",
            "Force outcomes for offences recorded in the quarter",
        ),
        "outcomes_in_quarter": (
            "Outcomes for investigations closed in the quarter",
            "Number of Outcomes for investigations that were closed in the quarter",
            "Force outcomes recorded in quarter",
            "Outcomes recorded in quarter",
            "Force outcomes recorded in the quarter",
        ),
    },
    counts=("outcomes_for_recorded", "outcomes_in_quarter"),
    keys=("force", "offence_code", "quarter_index", "outcome_type"),
)

LAYOUTS = (OUTCOMES, RECORDED)

# The Home Office's five spellings of "no figure here" (they vary by year), compared
# case-insensitively with spaces collapsed, so the 2013/14 PFA sheet's "N/a" is one too.
# "Offence code expired" (a retired code) and a bare "N/A" (the closed column of outcome
# type 0) mean not applicable; "data not provided" means the force did not supply the
# count. Neither is zero, so neither may become a figure; anything else that is not a
# whole number ("[x]", "..", "-") is still an error, since its meaning is not documented.
NOT_APPLICABLE = frozenset({"na", "n/a", "n/a - offence code expired", "n/a - data not provided"})


def not_applicable(value: object) -> bool:
    return isinstance(value, str) and " ".join(value.split()).lower() in NOT_APPLICABLE


def cell_text(value: object) -> str:
    """Cells arrive as str, int or float; codes like 80 must not become '80.0'."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value).strip()


def shown(value: object, limit: int = 60) -> str:
    """A cell as an error message shows it: quoted, and cut if huge."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 5] + "…' (cut)"


def _whole_number(value: object) -> int | None:
    """' 66776 ', '-00', '1,234', 12.0 -> int; anything else (suppressed '[x]', '..') -> None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    text = str(value or "").replace(",", "").strip()
    try:
        return int(text)
    except ValueError:
        try:
            number = float(text)
        except ValueError:
            return None
        return int(number) if number.is_integer() else None


def _by_distinct(column: pd.Series, convert: Callable[[Any], object]) -> pd.Series:
    """Convert each distinct value once (millions of cells, a few thousand values), keeping
    the result as a categorical: one small integer per cell, not one Python object."""
    codes, distinct = pd.factorize(column.astype(object), use_na_sentinel=False)
    converted = [convert(value) for value in distinct]
    if all(isinstance(v, str) for v in converted):
        new_codes, categories = pd.factorize(pd.Index(converted, dtype=object))
        return pd.Series(
            pd.Categorical.from_codes(new_codes[codes], categories=categories), index=column.index
        )
    values = np.array([np.nan if v is None else v for v in converted], dtype=float)
    return pd.Series(values[codes], index=column.index)


def tidy(table: Table, layout: Layout) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Validated tidy rows and the offence descriptions this table carries.

    Any bad cell stops the whole ingest with its file, sheet and row: a
    release is loaded entirely or not at all. A not-applicable marker (NOT_APPLICABLE) is
    not a bad cell but no figure: see ``_counts`` for where it leaves a row out.
    """
    cells = table.cells
    frame = pd.DataFrame(index=cells.index)
    for name in layout.aliases:
        if name not in layout.counts:
            frame[name] = _by_distinct(cells[name], cell_text)
    keep = ((frame["force"] != "") | (frame["offence_code"] != "")).to_numpy()
    frame = frame[keep].reset_index(drop=True)  # blank lines and footnotes under the table
    rows = _Rows(table, table.row_numbers[keep])
    if frame.empty:
        raise IngestError(f"{table.file}, sheet {table.sheet!r}: the table has no data rows")
    raw = cells[keep].reset_index(drop=True)
    _check_keys(frame, layout, rows)
    frame = _counts(frame, raw, layout, rows)
    if "outcome_type" in frame:
        frame["outcome_type"] = _by_distinct(frame["outcome_type"], normalise_outcome_type)
        rows.fail(frame["outcome_type"] == "", lambda _: "empty 'Outcome Type'")
    return _summed(frame, layout)


@dataclass
class _Rows:
    """The table's rows still in play, by their row numbers in the sheet: what an error names."""

    table: Table
    numbers: np.ndarray

    def fail(self, mask: pd.Series, message: Callable[[int], str]) -> None:
        """Stop the ingest at the first row ``mask`` marks, saying ``message(position)``."""
        if mask.any():
            position = int(np.flatnonzero(mask.to_numpy())[0])
            raise IngestError(
                f"{self.table.file}, sheet {self.table.sheet!r}, row {self.numbers[position]}: "
                f"{message(position)}"
            )


def _check_keys(frame: pd.DataFrame, layout: Layout, rows: _Rows) -> None:
    """No empty key; every force known (made canonical); every quarter one that exists (as
    ``quarter_index``)."""
    text_keys = [k for k in layout.keys if k in frame and k != "outcome_type"]
    for column in (*text_keys, "financial_year", "quarter"):
        label = layout.aliases[column][0]
        rows.fail(frame[column] == "", lambda _: f"empty {label!r}")  # noqa: B023 (called now)

    canonical = _by_distinct(frame["force"], lambda name: canonical_force(name) or "")
    rows.fail(canonical == "", lambda i: f"unknown force {shown(frame['force'][i])}")
    frame["force"] = canonical

    quarters: dict[tuple[str, str], int | None] = {}
    for fy, q in frame[["financial_year", "quarter"]].drop_duplicates().itertuples(index=False):
        try:
            quarters[(fy, q)] = Quarter(parse_financial_year(fy), int(q.upper().lstrip("Q"))).index
        except ValueError:
            quarters[(fy, q)] = None
    pairs = pd.MultiIndex.from_arrays([frame["financial_year"], frame["quarter"]])
    index = pd.Series(pairs.map(quarters), index=frame.index, dtype="float")
    rows.fail(
        index.isna(),
        lambda i: (
            f"no such quarter: financial year {shown(frame['financial_year'][i])}, "
            f"quarter {shown(frame['quarter'][i])}"
        ),
    )
    frame["quarter_index"] = index.astype("int64")


def _counts(frame: pd.DataFrame, raw: pd.DataFrame, layout: Layout, rows: _Rows) -> pd.DataFrame:
    """The count columns as whole numbers, and the rows that have a figure.

    A not-applicable marker is never a figure. A row whose first count (offences; the
    outcomes of offences recorded in the quarter, the basis of every answer) is a marker
    has nothing to answer with and is left out: a question about it finds no figure
    rather than a 0, and totals skip it. A marker in a later count (the closed-in-quarter
    column: a bare "N/A" for outcome type 0) is a missing value (nullable Int64) beside
    a real figure. Left in the first count, a missing value would reach the answers as
    a quarter with data and no number.
    """
    markers = pd.DataFrame(index=frame.index)
    for column in layout.counts:
        numbers = _by_distinct(raw[column], _whole_number)  # floats, NaN where not a number
        markers[column] = _by_distinct(raw[column], lambda v: float(not_applicable(v))) == 1
        label = layout.aliases[column][0]
        rows.fail(
            numbers.isna() & ~markers[column],
            lambda i: f"{label!r} is not a whole number: {shown(cell_text(raw[column][i]))}",  # noqa: B023
        )
        frame[column] = numbers.astype("Int64" if markers[column].any() else "int64")
    figures = ~markers[layout.counts[0]].to_numpy()
    if not figures.all():
        frame, rows.numbers = frame[figures].reset_index(drop=True), rows.numbers[figures]
        if frame.empty:
            table = rows.table
            raise IngestError(f"{table.file}, sheet {table.sheet!r}: the table has no figures")
    return frame


def _summed(frame: pd.DataFrame, layout: Layout) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One row per key (and the offence descriptions): rows sharing a key add up."""
    offences = (
        frame[["offence_code", "offence", "subgroup", "offence_group"]]
        .drop_duplicates("offence_code", keep="last")
        .reset_index(drop=True)
    )
    # Homicide's four codes share one label and arrive as four rows: they add up.
    keyed = [k for k in layout.keys if k != "quarter_index"] + ["quarter_index"]
    tidy_rows = frame.groupby(keyed, as_index=False, sort=False, observed=True)[
        list(layout.counts)
    ].sum(min_count=1)  # all markers stay missing, not 0
    for column in layout.counts:
        if not tidy_rows[column].isna().any():
            tidy_rows[column] = tidy_rows[column].astype("int64")
    offences = offences.astype("str")
    return tidy_rows, offences
