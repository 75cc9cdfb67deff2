"""Real annual force totals: total recorded crime per force and financial year (2012/13 on)
and outcomes by type for offences recorded in the year (2014/15 on), from the derived
tables in raw/oocd-dashboard-outcomes (aggregated from the Home Office open data).

They have no offence or quarter detail, so they answer only all-crime questions for
financial years; where the offence-level rows for a year are sample, they are what
makes the answer real.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pandas as pd

from bot.core.periods import Quarter, parse_financial_year
from bot.core.reference import ANNUAL_OUTCOME_TYPES
from bot.ingest.load import canonical_forces, sha256
from bot.ingest.release import Release

RELEASE_NAME = "oocd-dashboard derived tables (Home Office outcomes open data to 2025/26)"
RELEASE_DATE = dt.date(2026, 7, 23)  # the newest source file's publication date
SOURCE = (
    "Home Office, police recorded crime and outcomes open data tables: annual force totals "
    "as aggregated by the oocd-dashboard project"
)
# outcome type -> its column (recorded basis, all offences) in force_year.csv
OUTCOME_COLUMNS = {t: f"recorded_all_t{t}" for t in sorted(ANNUAL_OUTCOME_TYPES, key=int)}


def _year_end_index(fy: pd.Series) -> pd.Series:
    return fy.map(lambda text: Quarter(parse_financial_year(text), 4).index)


def load_annual(directory: Path) -> Release:
    processed = directory / "data" / "processed"
    denominators = pd.read_csv(processed / "denominators.csv")
    force_year = pd.read_csv(processed / "force_year.csv")
    recorded = pd.DataFrame(
        {
            "force": canonical_forces(denominators["force"], "denominators.csv"),
            "quarter_index": _year_end_index(denominators["fy"]),
            "offences": denominators["recorded_crime"].astype("int64"),
        }
    )
    forces = canonical_forces(force_year["force"], "force_year.csv")
    outcomes = pd.concat(
        [
            pd.DataFrame(
                {
                    "force": forces,
                    "quarter_index": _year_end_index(force_year["fy"]),
                    "outcome_type": outcome,
                    "outcomes_for_recorded": force_year[column].astype("int64"),
                }
            )
            for outcome, column in OUTCOME_COLUMNS.items()
        ],
        ignore_index=True,
    )
    digest = hashlib.sha256(
        "".join(
            sha256(processed / name) for name in ("denominators.csv", "force_year.csv")
        ).encode()
    ).hexdigest()
    return Release(
        name=RELEASE_NAME,
        sha256=digest,
        release_date=RELEASE_DATE,
        sample=False,
        tables={"annual_recorded": recorded, "annual_outcomes": outcomes},
        source=SOURCE,
    )
