"""ONS mid-year population estimates of the 43 police force areas, for rates per 1,000 people.

A mid-year estimate is the population on 30 June, so each is stored at the quarter that ends
that day (the first quarter of the financial year it falls in): every rolling year holds
exactly one 30 June, and so one estimate, found with the same quarter arithmetic as the
crime figures. England and Wales is the sum of the 43 (ONS's own total: checked in
raw/ons-pfa-population/SOURCE.md), so it shares the crime figures' basis.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from bot.core.periods import Quarter
from bot.ingest.errors import IngestError
from bot.ingest.load import canonical_forces, sha256
from bot.ingest.release import Release

FILE = "pfa_population_mid2011_to_mid2024.csv"
RELEASE_NAME = "ONS mid-year population estimates, police force areas, mid-2011 to mid-2024"
SOURCE = (
    "Office for National Statistics, mid-year population estimates (July 2024 release for "
    "mid-2011 to mid-2023; ad hoc release 3194 for mid-2024)"
)


def load_population(directory: Path) -> Release:
    path = directory / FILE
    if not path.exists():
        raise IngestError(f"{path}: no such file")
    rows = pd.read_csv(path)
    forces = canonical_forces(rows["pfa23_name"], FILE, "police force area")
    table = pd.DataFrame(
        {
            "force": forces,
            "quarter_index": rows["mid_year"].map(lambda year: Quarter(int(year), 1).index),
            "population": rows["population"].astype("int64"),
        }
    )
    if table.duplicated(["force", "quarter_index"]).any():
        raise IngestError(f"{FILE}: a police force area appears twice for one mid-year")
    return Release(
        name=RELEASE_NAME,
        sha256=sha256(path),
        release_date=None,
        sample=False,
        tables={"population": table},
        source=SOURCE,
    )
