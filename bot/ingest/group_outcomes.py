"""Outcomes 2024/25 by force, quarter, offence group and outcome type: the Home Office crime
outcomes open data of 23 April 2026 as a third party summed it, without offence codes (see
raw/outcomes-2024-25-by-group/SOURCE.md). Counts are outcomes for offences recorded in the
quarter, the basis of a charge rate.

It is the same quarterly release as the April 2026 Police Force Area tables, so an offence
group's charge rate divides two figures of one release.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from bot.core.periods import Quarter, parse_financial_year
from bot.core.reference import normalise_outcome_type
from bot.ingest.errors import IngestError
from bot.ingest.load import canonical_forces, sha256
from bot.ingest.release import Release

FILE = "outcomes-2024-25-force-quarter-offencegroup-outcometype.csv.gz"
RELEASE_NAME = "prc-outcomes-open-data-mar2025-tables-230426.xlsx (by offence group)"
RELEASE_DATE = dt.date(2026, 4, 23)
SOURCE = (
    "Home Office, crime outcomes open data tables, year ending March 2025, by offence group "
    "(read from the conversion by the uk-crime-analysis project)"
)


def load_group_outcomes(directory: Path) -> Release:
    path = directory / FILE
    if not path.exists():
        raise IngestError(f"{path}: no such file")
    rows = pd.read_csv(path)
    forces = canonical_forces(rows["Force"], FILE)
    quarters = {
        (fy, q): Quarter(parse_financial_year(fy), int(q)).index
        for fy, q in rows[["Financial Year", "Financial Quarter"]]
        .drop_duplicates()
        .itertuples(index=False)
    }
    table = pd.DataFrame(
        {
            "force": forces,
            "offence_group": rows["Offence Group"].str.strip(),
            "quarter_index": [
                quarters[(fy, q)]
                for fy, q in zip(rows["Financial Year"], rows["Financial Quarter"], strict=True)
            ],
            "outcome_type": rows["Outcome Type"].map(normalise_outcome_type),
            "outcomes_for_recorded": rows["n"].astype("int64"),
        }
    )
    if table.duplicated(["force", "offence_group", "quarter_index", "outcome_type"]).any():
        raise IngestError(f"{FILE}: a force, group, quarter and outcome type appear twice")
    return Release(
        name=RELEASE_NAME,
        sha256=sha256(path),
        release_date=RELEASE_DATE,
        sample=False,
        tables={"group_outcomes": table},
        source=SOURCE,
    )
