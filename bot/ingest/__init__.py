"""Official ODS/XLSX/CSV releases -> tidy parquet in the data directory."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path

from bot.datastore.manifest import Manifest
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
) -> Manifest:
    """Load every file, then merge them all into ``data_dir`` at once (or not at all).

    ``processes`` > 1 reads a large release's files side by side: a full release (an ODS and
    twelve outcomes workbooks) then loads in 58 s instead of 72 s on two cores, but holds
    2.2 GB at its peak instead of 1.4 GB (each workbook's parse holds close to a gigabyte),
    so reading one file at a time stays the default.
    """
    files = [Path(path) for path in paths]
    size = sum(path.stat().st_size for path in files if path.exists())
    workers = min(processes or 1, os.cpu_count() or 1, len(files))
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
