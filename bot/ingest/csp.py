"""Community Safety Partnership (CSP) open data tables: the layout and its tidy frame.

The CSP tables split each force's figures by partnership (district or borough). They
spell two columns differently from the Police Force Area tables, "Police Force" for
"Force Name" and "Offence Count" for "Number of Offences" (files from 2016 on; the
2011/12-2014/15 file has "Force Name" and "Number of Offences"), which is why they
need a layout of their own: read as PFA tables they would be summed into force totals.
``ingest`` stores them as their own table (csp.parquet: force, csp, offence_code, quarter,
offences); answers do not read it yet (local answers come from the 2024/25 totals).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from bot.ingest.errors import IngestError
from bot.ingest.layouts import COMMON, Layout, tidy
from bot.ingest.sheets import find_header, read_sheets, read_table

CSP = Layout(
    kind="csp",
    aliases={
        **COMMON,
        "force": ("Police Force", "Force Name", "Force"),
        "csp": ("CSP Name", "CSP", "Community Safety Partnership"),
        "offences": ("Offence Count", "Number of Offences"),
    },
    counts=("offences",),
    keys=("force", "csp", "offence_code", "quarter_index"),
)


def read_csp(path: Path) -> pd.DataFrame:
    """Every year sheet of a CSP file as one frame: force (canonical name), csp (as
    published, e.g. "Unassigned Avon & Somerset"), offence_code, quarter_index, offences.

    Cover and notes sheets are skipped; a sheet that has most but not all of the columns,
    a bad cell, or the same row on two sheets stops with the file, sheet and row, as a
    PFA file does.
    """
    frames = []
    for sheet in read_sheets(path):
        header = find_header(sheet, CSP.aliases, CSP.required)
        if header is None:
            continue
        if not isinstance(header, tuple):
            raise header.error(CSP.aliases)
        rows, _ = tidy(read_table(sheet, *header), CSP)
        frames.append(rows)
    if not frames:
        raise IngestError(
            f"{path.name}: no sheet has the columns of the CSP tables "
            "('Police Force', 'CSP Name', 'Offence Code', 'Offence Count')"
        )
    rows = pd.concat(frames, ignore_index=True)
    keys = list(CSP.keys)
    duplicated = rows.duplicated(keys)
    if duplicated.any():
        raise IngestError(
            f"{path.name}: the same CSP rows appear on more than one sheet "
            f"(e.g. {rows[duplicated].iloc[0][keys].to_dict()})"
        )
    return rows.sort_values(keys, ignore_index=True)
