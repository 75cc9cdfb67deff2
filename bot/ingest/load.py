"""Turn one release file into validated tidy tables, touching nothing on disk."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import sys
from pathlib import Path

import pandas as pd
from tqdm import tqdm

from bot.core.reference import canonical_force
from bot.ingest.cells import NearMiss
from bot.ingest.csp import CSP
from bot.ingest.errors import IngestError
from bot.ingest.layouts import LAYOUTS, Layout, tidy
from bot.ingest.release import KEYS, Release
from bot.ingest.sheets import find_header, read_sheets, read_table

_DATE_SUFFIX = re.compile(r"[-_](\d{2})(\d{2})(\d{2})$")


def release_date_from_name(path: Path) -> dt.date | None:
    """Home Office files end in the publication date, DDMMYY: '...-tables-230726.ods'."""
    match = _DATE_SUFFIX.search(path.stem)
    if not match:
        return None
    day, month, year = (int(x) for x in match.groups())
    try:
        return dt.date(2000 + year, month, day)
    except ValueError:
        return None


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def canonical_forces(column: pd.Series, file: str, what: str = "force") -> pd.Series:
    """The canonical force names of a column of spellings; an unknown one stops the ingest."""
    names = column.map(canonical_force)
    if names.isna().any():
        raise IngestError(f"{file}: unknown {what} {column[names.isna()].iloc[0]!r}")
    return names


def load_release(
    path: Path,
    release_date: dt.date | None = None,
    sample: bool = False,
    source: str | None = None,
    progress: bool | None = None,
) -> Release:
    if not path.exists():
        raise IngestError(f"{path}: no such file")
    if path.stat().st_size == 0:
        raise IngestError(f"{path.name}: the file is empty")
    release = Release(
        name=path.name,
        sha256=sha256(path),
        release_date=release_date or release_date_from_name(path),
        sample=sample,
    )
    if source:
        release.source = source
    parts: dict[str, list[pd.DataFrame]] = {}
    offences = []
    show = sys.stderr.isatty() if progress is None else progress
    sheets = tqdm(read_sheets(path), desc=path.name, unit=" sheet", disable=not show)
    near_misses: list[tuple[NearMiss, Layout]] = []
    for sheet in sheets:
        # CSP first: its sheets also have the Police Force Area columns, and read as those
        # they would be summed into force totals.
        found = [(find_header(sheet, lay.aliases, lay.required), lay) for lay in (CSP, *LAYOUTS)]
        headers = [(header, lay) for header, lay in found if isinstance(header, tuple)]
        if headers:
            (position, columns), layout = headers[0]
            table = read_table(sheet, position, columns)
            tidy_rows, sheet_offences = tidy(table, layout)
            parts.setdefault(layout.kind, []).append(tidy_rows)
            offences.append(sheet_offences)
        else:
            near_misses += [(miss, lay) for miss, lay in found if isinstance(miss, NearMiss)]
    if near_misses:
        # A sheet that looks like a table but lacks a column is a changed layout: stop.
        miss, layout = min(near_misses, key=lambda pair: len(pair[0].missing))
        raise miss.error(layout.aliases)
    if not parts:
        raise IngestError(
            f"{path.name}: no sheet has the columns of the police recorded crime or outcomes "
            "tables (looked for 'Force Name', 'Offence Code', 'Number of Offences' or "
            "'Outcome Type' in the first rows of each sheet)"
        )
    release.tables.update(_joined(path, parts))
    release.offences = pd.concat(offences, ignore_index=True).drop_duplicates(
        "offence_code", keep="last"
    )
    return release


def _joined(path: Path, parts: dict[str, list[pd.DataFrame]]) -> dict[str, pd.DataFrame]:
    """Each kind's rows from all the sheets that have it: a row on two sheets stops the ingest."""
    tables = {}
    for kind, frames in parts.items():
        rows = pd.concat(frames, ignore_index=True)
        keys = KEYS[kind]
        duplicated = rows.duplicated(keys)
        if duplicated.any():
            raise IngestError(
                f"{path.name}: the same {kind} rows appear on more than one sheet "
                f"(e.g. {rows[duplicated].iloc[0][keys].to_dict()})"
            )
        tables[kind] = rows
    return tables
