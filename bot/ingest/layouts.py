"""The two official table layouts and their conversion to tidy, validated frames.

Column spellings drift between releases; each canonical column lists the
spellings seen (matched case-, space- and punctuation-insensitively).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from bot.ingest.errors import IngestError
from bot.ingest.sheets import Table
from bot.periods import Quarter, parse_financial_year
from bot.reference import canonical_force, normalise_outcome_type

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
        "outcomes_for_recorded": (
            "Force outcomes for offences recorded in quarter",
            "Outcomes for offences recorded in quarter",
            "Force outcomes for offences recorded in the quarter",
        ),
        "outcomes_in_quarter": (
            "Force outcomes recorded in quarter",
            "Outcomes recorded in quarter",
            "Force outcomes recorded in the quarter",
        ),
    },
    counts=("outcomes_for_recorded", "outcomes_in_quarter"),
    keys=("force", "offence_code", "quarter_index", "outcome_type"),
)

LAYOUTS = (OUTCOMES, RECORDED)


def cell_text(value: object) -> str:
    """Cells arrive as str, int or float; codes like 80 must not become '80.0'."""
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value).strip()


def tidy(table: Table, layout: Layout) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Validated tidy rows and the offence descriptions this table carries.

    Any bad cell stops the whole ingest with its file, sheet and row: a
    release is loaded entirely or not at all.
    """
    names = list(layout.aliases)
    positions = [table.columns[name] for name in names]
    records = []
    row_numbers = []
    for offset, row in enumerate(table.rows):
        cells = [cell_text(row[i]) if i < len(row) else "" for i in positions]
        values = dict(zip(names, cells, strict=True))
        if not values["force"] and not values["offence_code"]:
            continue  # blank line or footnote under the table
        records.append(values)
        row_numbers.append(table.row_number(offset))
    if not records:
        raise IngestError(f"{table.file}, sheet {table.sheet!r}: the table has no data rows")
    frame = pd.DataFrame.from_records(records)
    frame["row"] = row_numbers

    def fail(mask: pd.Series, message: str) -> None:
        if mask.any():
            bad = frame[mask].iloc[0]
            raise IngestError(
                f"{table.file}, sheet {table.sheet!r}, row {bad['row']}: {message(bad)}"
            )

    for column in ("force", "offence_code", "financial_year", "quarter"):
        fail(frame[column] == "", lambda bad, c=column: f"empty {layout.aliases[c][0]!r}")

    spellings = {name: canonical_force(name) for name in frame["force"].unique()}
    frame["force"] = frame["force"].map(spellings)
    raw_force = pd.Series([r["force"] for r in records])
    fail(frame["force"].isna(), lambda bad: f"unknown force {raw_force[bad.name]!r}")

    quarters = {}
    for fy, q in frame[["financial_year", "quarter"]].drop_duplicates().itertuples(index=False):
        try:
            quarters[(fy, q)] = Quarter(parse_financial_year(fy), int(q.upper().lstrip("Q")))
        except ValueError as error:
            quarters[(fy, q)] = error
    found = [
        quarters[(fy, q)] for fy, q in zip(frame["financial_year"], frame["quarter"], strict=True)
    ]
    bad_quarter = pd.Series([isinstance(x, ValueError) for x in found])
    fail(
        bad_quarter,
        lambda bad: (
            f"no such quarter: financial year {bad['financial_year']!r}, quarter {bad['quarter']!r}"
        ),
    )
    frame["quarter_index"] = [x.index for x in found]

    for column in layout.counts:
        text = frame[column].str.replace(",", "", regex=False).str.strip()
        numbers = pd.to_numeric(text, errors="coerce")
        label = layout.aliases[column][0]
        fail(
            numbers.isna() | (numbers % 1 != 0),
            lambda bad, c=column, label=label: f"{label!r} is not a whole number: {bad[c]!r}",
        )
        frame[column] = numbers.astype("int64")

    if "outcome_type" in frame:
        frame["outcome_type"] = frame["outcome_type"].map(normalise_outcome_type)
        fail(frame["outcome_type"] == "", lambda bad: "empty 'Outcome Type'")

    offences = (
        frame[["offence_code", "offence", "subgroup", "offence_group"]]
        .drop_duplicates("offence_code", keep="last")
        .reset_index(drop=True)
    )
    # Homicide's four codes share one label and arrive as four rows: they add up.
    keyed = [k for k in layout.keys if k != "quarter_index"] + ["quarter_index"]
    tidy_rows = frame.groupby(keyed, as_index=False, sort=True)[list(layout.counts)].sum()
    return tidy_rows, offences
