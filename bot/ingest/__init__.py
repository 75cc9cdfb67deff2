"""Official ODS/XLSX/CSV releases -> tidy parquet in the data directory."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path

from bot.ingest.errors import IngestError
from bot.ingest.load import load_release
from bot.ingest.store import save

__all__ = ["IngestError", "ingest"]
PARALLEL_FROM_BYTES = 50_000_000


def ingest(
    paths: Iterable[Path],
    data_dir: Path,
    release_date: dt.date | None = None,
    sample: bool = False,
    source: str | None = None,
    progress: bool | None = None,
    processes: int | None = None,
) -> dict:
    """Load every file, then merge them all into ``data_dir`` at once (or not at all).

    Files are read side by side, one process per core (at most two: each spreadsheet's parse
    holds close to a gigabyte): a release is a dozen large workbooks, and the spreadsheet
    reader's parse, most of the time, runs on one core.
    """
    files = [Path(path) for path in paths]
    size = sum(path.stat().st_size for path in files if path.exists())
    workers = min(processes or min(2, os.cpu_count() or 1), len(files))
    if size < PARALLEL_FROM_BYTES:
        workers = 1  # a small release loads faster than a second process starts
    load = partial(load_release, release_date=release_date, sample=sample, source=source)
    if workers > 1:
        context = multiprocessing.get_context("spawn")  # nothing of this process is inherited
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            loaded = list(pool.map(partial(load, progress=False), files))
    else:
        loaded = [load(path, progress=progress) for path in files]
    seen: set[str] = set()
    releases = []
    for release in loaded:
        if release.sha256 in seen:
            continue  # the same file given twice is loaded once
        seen.add(release.sha256)
        releases.append(release)
    if not releases:
        raise IngestError("no files to ingest")
    return save(Path(data_dir), releases)
