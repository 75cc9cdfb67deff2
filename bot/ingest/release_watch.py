"""Look at the gov.uk page, and load what is new on it: the release watch's one check.

A file is new when its URL has not been seen (the media id in a URL changes whenever a file
is uploaded, so a corrected re-upload under the same name is new) and its content is not
already loaded (its sha256 is not in the manifest: a file loaded by hand is not loaded
twice). New files are downloaded into a scratch folder in the data directory and ingested
together through ``bot.ingest.ingest``, which makes a whole new version live or changes
nothing. A failure is remembered so it is logged once: a download that failed is tried
again at the next check; a set of files that would not load is not tried again until the
page offers a different set (a re-upload has a new URL).
"""

from __future__ import annotations

import datetime as dt
import fcntl
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from bot.datastore import versions as datastore
from bot.datastore.manifest import MANIFEST, ReleaseEntry, read_manifest
from bot.ingest import ingest
from bot.ingest.download import RELEASE_PAGE, ReleaseFile, fetch_file, latest_files
from bot.ingest.errors import IngestError
from bot.ingest.load import sha256
from bot.ingest.release_record import changing, failed_once
from bot.settings import SHIPPED_DATA

CHECK_LOCK = ".release-check.lock"
SCRATCH = ".release-download-"


class Status(StrEnum):
    NOT_DUE = "not a release week"
    RECENT = "checked recently"
    BUSY = "another check is running"
    NOTHING_NEW = "nothing new"
    LOADED = "loaded"
    FAILED = "failed"


@dataclass(frozen=True)
class Check:
    status: Status
    loaded: list[ReleaseEntry] = field(default_factory=list)  # the manifest's new entries
    detail: str = ""


@contextmanager
def _only_check(data_dir: Path) -> Iterator[bool]:
    """True while this is the only check of ``data_dir`` running (any process)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    with open(data_dir / CHECK_LOCK, "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True


def check_page(
    data_dir: Path, page_url: str | None, now: dt.datetime, every: dt.timedelta | None
) -> Check:
    """Check the page unless it was checked less than ``every`` ago (None: check now), and
    load what is new on it."""
    data_dir = Path(data_dir)
    with _only_check(data_dir) as alone:
        if not alone:
            return Check(Status.BUSY)
        with changing(data_dir) as record:
            last = record["last_check"]
            if every is not None and last and now - dt.datetime.fromisoformat(last) < every:
                return Check(Status.RECENT, detail=f"last checked {last}")
            record["last_check"] = now.isoformat()
        for leftover in data_dir.glob(f"{SCRATCH}*"):  # a killed check's downloads
            shutil.rmtree(leftover, ignore_errors=True)
        return _check(data_dir, page_url or RELEASE_PAGE, now)


def _check(data_dir: Path, page_url: str, now: dt.datetime) -> Check:
    at = now.isoformat()
    try:
        files = latest_files(page_url)
    except IngestError as error:
        with changing(data_dir) as record:
            failed_once(record, f"page {page_url}", f"release watch: {error}", at)
        return Check(Status.FAILED, detail=str(error))
    with changing(data_dir) as record:
        record["failures"].pop(f"page {page_url}", None)
        new = [f for f in files if f.url not in record["seen"]]
        attempt = "files " + " ".join(sorted(f.url for f in new))
        if not new:
            return Check(Status.NOTHING_NEW)
        if attempt in record["failures"]:
            return Check(Status.FAILED, detail=record["failures"][attempt]["error"])
    with tempfile.TemporaryDirectory(dir=data_dir, prefix=SCRATCH) as scratch:
        paths = _download(data_dir, new, Path(scratch), at)
        if paths is None:
            return Check(Status.FAILED, detail="a download failed")
        return _load(data_dir, new, paths, attempt, at)


def _seed(data_dir: Path) -> None:
    """An empty data directory starts from the shipped data, as `ingest` does."""
    if datastore.live_version(data_dir) is None and not (data_dir / MANIFEST).exists():
        datastore.publish(data_dir, SHIPPED_DATA)


def _download(
    data_dir: Path, files: list[ReleaseFile], scratch: Path, at: str
) -> list[Path] | None:
    """Every file, or None (logged once per file) if any could not be fetched."""
    paths = []
    for release in files:
        try:
            paths.append(fetch_file(release, scratch))
        except (IngestError, OSError) as error:
            with changing(data_dir) as record:
                failed_once(record, f"download {release.url}", f"release watch: {error}", at)
            return None
        with changing(data_dir) as record:
            record["failures"].pop(f"download {release.url}", None)
    return paths


def _load(
    data_dir: Path, files: list[ReleaseFile], paths: list[Path], attempt: str, at: str
) -> Check:
    sums = {release.url: sha256(path) for release, path in zip(files, paths, strict=True)}
    _seed(data_dir)
    known = {entry["sha256"] for entry in read_manifest(data_dir)["releases"]}
    fresh = [
        path for path, release in zip(paths, files, strict=True) if sums[release.url] not in known
    ]
    loaded: list[ReleaseEntry] = []
    if fresh:
        try:
            manifest = ingest(fresh, data_dir, progress=False)
        except Exception as error:  # any file that will not load: nothing was changed
            names = ", ".join(path.name for path in fresh)
            message = f"release watch: could not load {names}, nothing was changed: {error}"
            with changing(data_dir) as record:
                failed_once(record, attempt, message, at)
            return Check(Status.FAILED, detail=message)
        new_sums = {
            sums[release.url] for release, path in zip(files, paths, strict=True) if path in fresh
        }
        loaded = [entry for entry in manifest["releases"] if entry["sha256"] in new_sums]
    with changing(data_dir) as record:
        record["seen"].update(sums)
    return Check(Status.LOADED, loaded) if loaded else Check(Status.NOTHING_NEW)
