"""Third-party conversions of the published PFA tables, turned back into the official layout.

The only offence-level releases to be had offline are two conversions of the Home Office's
"Police recorded crime open data, Police Force Area tables" made by other projects (each
documented in its ``raw/pfa-*/SOURCE.md``). An adapter renames their columns to the published
header and writes a CSV that the ordinary ingest reads like any release; every cell is read
and written as text, so no figure can change on the way.

The force names in them had ``&`` turned into ``and`` ("Devon and Cornwall"), and one spells
the fraud body "Cifas" in some years and "CIFAS" in others: the force reference already knows
each of those spellings as one force, so nothing is double counted and revisions still join.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from bot.ingest.errors import IngestError

PUBLISHED_HEADER = (
    "Financial Year",
    "Financial Quarter",
    "Force Name",
    "Offence Description",
    "Offence Group",
    "Offence Subgroup",
    "Offence Code",
    "Number of Offences",
)


@dataclass(frozen=True)
class Conversion:
    """One converted release: where it is in ``raw/``, and how its columns map back."""

    folder: str
    file: str
    published_as: str  # the Home Office file it was converted from
    release_date: dt.date
    converted_by: str
    renamed: dict[str, str] = field(default_factory=dict)  # their column -> published column
    dropped: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        """The release's name in the manifest: the published file, as the CSV we rebuilt."""
        return Path(self.published_as).with_suffix(".csv").name

    @property
    def source(self) -> str:
        return (
            "Home Office, police recorded crime open data, Police Force Area tables, year "
            "ending March 2013 onwards"
        )

    def to_official(self, raw_dir: Path, out_dir: Path) -> Path:
        """Write the release in the published layout to ``out_dir``; return its path."""
        path = raw_dir / self.folder / self.file
        if not path.exists():
            raise IngestError(f"{path}: no such file (see raw/{self.folder}/SOURCE.md)")
        rows = pd.read_csv(path, dtype=str, keep_default_na=False)
        rows = rows.drop(columns=list(self.dropped)).rename(columns=self.renamed)
        if tuple(rows.columns) != PUBLISHED_HEADER:
            raise IngestError(
                f"{path.name}: columns {list(rows.columns)} do not map onto the published "
                f"header {list(PUBLISHED_HEADER)}"
            )
        out_dir.mkdir(parents=True, exist_ok=True)
        target = out_dir / self.name
        rows.to_csv(target, index=False)
        return target


OCTOBER_2023 = Conversion(
    folder="pfa-oct2023",
    file="prc-pfa-191023-all-years.csv.gz",
    published_as="prc-pfa-mar2013-onwards-tables-191023.ods",
    release_date=dt.date(2023, 10, 19),
    converted_by="the posit-cloud-test dashboard (sxl634), restored as its SOURCE.md says",
)
APRIL_2026 = Conversion(
    folder="pfa-apr2026",
    file="prc-pfa-230426-all-years.csv.gz",
    published_as="prc-pfa-mar2013-onwards-tables-230426.ods",
    release_date=dt.date(2026, 4, 23),
    converted_by="the uk-crime-analysis project (robertmaszkiewski)",
    renamed={
        "FY": "Financial Year",
        "Force": "Force Name",
        "Group": "Offence Group",
        "n": "Number of Offences",
    },
    dropped=("territorial",),
)
# Oldest first: for every quarter both cover, the later release wins and the figures it
# changed become "revised from …" notes.
SHIPPED_PFA = (OCTOBER_2023, APRIL_2026)
