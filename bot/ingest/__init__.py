"""Official ODS/XLSX/CSV releases -> tidy parquet in the data directory."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from bot.ingest.errors import IngestError
from bot.ingest.load import load_release
from bot.ingest.store import save

__all__ = ["IngestError", "ingest"]


def ingest(
    paths: Iterable[Path],
    data_dir: Path,
    release_date: dt.date | None = None,
    sample: bool = False,
    source: str | None = None,
    progress: bool | None = None,
) -> dict:
    """Load every file, then merge them all into ``data_dir`` at once (or not at all)."""
    seen: set[str] = set()
    releases = []
    for path in paths:
        release = load_release(Path(path), release_date, sample, source, progress)
        if release.sha256 in seen:
            continue  # the same file given twice is loaded once
        seen.add(release.sha256)
        releases.append(release)
    if not releases:
        raise IngestError("no files to ingest")
    return save(Path(data_dir), releases)
