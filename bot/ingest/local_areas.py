"""Community Safety Partnership (local authority) totals, 2024/25: all police recorded crime
excluding fraud, from the Home Office CSP open data tables of 23 April 2026 as a third party
summed them (raw/csp-totals-2024-25/SOURCE.md), each placed in its police force area by the
Home Office geographical reference table (raw/csp-geo-reference/).

The Home Office's own notes say Kent's and Derbyshire's 2024/25 CSP figures are understated
(some areas' crimes were recorded under an "unassigned" group), so every area of those two
forces is marked ``understated`` and is not answered from.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

import pandas as pd

from bot.core.periods import Quarter
from bot.core.reference import canonical_force
from bot.ingest.errors import IngestError
from bot.ingest.load import sha256
from bot.ingest.release import Release

TOTALS = Path("csp-totals-2024-25") / "lad_crime_houseprice.csv"
GEOGRAPHY = Path("csp-geo-reference") / "recrime-geo-pfa.csv"
RENAMED = {"folkestone and hythe": "shepway"}  # the CSP kept the district's old name
UNDERSTATED_FORCES = frozenset({"Kent", "Derbyshire"})
RELEASE_NAME = "prc-csp-mar21-dec25-tables-230426.ods (2024/25 totals excluding fraud)"
RELEASE_DATE = dt.date(2026, 4, 23)
SOURCE = (
    "Home Office, police recorded crime open data, Community Safety Partnership tables, "
    "2024/25 totals excluding fraud (read from the conversion by the uk-crime-analysis project)"
)


def _key(name: str) -> str:
    """CSP and local authority names as the source matched them: case, '&', 'City of' and
    punctuation do not matter."""
    text = name.lower().replace("&", " and ").replace(", city of", "").replace("city of ", "")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def local_areas(raw_dir: Path) -> list[dict[str, str]]:
    """Each local area with its police force and whether its total is understated."""
    geography = {
        _key(row["CSP Name"]): row["Force Name"]
        for row in csv.DictReader((raw_dir / GEOGRAPHY).read_text(encoding="utf-8").splitlines())
    }
    areas = []
    totals = (raw_dir / TOTALS).read_text(encoding="utf-8").splitlines()
    for row in csv.DictReader(totals):
        key = _key(row["name"])
        force = canonical_force(geography.get(RENAMED.get(key, key), ""))
        if force is None:
            raise IngestError(f"{TOTALS.name}: no police force for {row['name']!r}")
        areas.append(
            {
                "name": row["name"],
                "force": force,
                "offences": str(int(float(row["crime"]))),
                "understated": str(force in UNDERSTATED_FORCES).lower(),
            }
        )
    return areas


def load_local_areas(raw_dir: Path) -> Release:
    rows = pd.DataFrame(local_areas(raw_dir))
    table = pd.DataFrame(
        {
            "force": rows["force"],
            "area": rows["name"],
            "quarter_index": Quarter(2024, 4).index,
            "offences": rows["offences"].astype("int64"),
            "understated": rows["understated"] == "true",
        }
    )
    return Release(
        name=RELEASE_NAME,
        sha256=sha256(raw_dir / TOTALS),
        release_date=RELEASE_DATE,
        sample=False,
        tables={"local_totals": table},
        source=SOURCE,
    )
