"""The data directory's layout: complete versions, one pointer, one lock.

A data directory written by ``python -m bot ingest`` looks like this::

    D/CURRENT                   the pointer: the live version's name, one line
    D/versions/000007-20261130T014512123456Z/
                                one complete dataset: every table's parquet file and
                                manifest.json, written once and never changed
    D/versions/000006-…/        earlier versions kept for --rollback (KEEP in all)
    D/versions/.staging-<pid>/  a version being written (a dead run's is removed)
    D/recorded.parquet, D/manifest.json, …
                                symlinks into the live version, for people and tools that
                                open D/recorded.parquet; the bot never reads through them
    D/.lock                     flock'd by every ingest and rollback for its whole
                                read-merge-write, so two runs never lose each other's
                                release

Why: an ingest writes a whole new version beside the live one and then replaces
``CURRENT`` in one ``os.replace``, so a reader (and a run killed at any moment)
sees the old dataset or the new one, never a mixture; a reader resolves the
pointer once and reads every table from that one folder. ``--rollback`` points
``CURRENT`` back at the previous version; the next ingest builds on that one and
drops the versions rolled back from.

A directory without ``CURRENT`` whose manifest.json and parquet files sit at its
top (the shipped ``data/``, older installs) is a plain dataset: it is read as it
is, and the first ingest into it copies those files in as a version before adding
the new one, so ``--rollback`` can return to them.

This module imports neither bot.query nor bot.ingest: both use it.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import re
import shlex
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

POINTER = "CURRENT"
LOCK = ".lock"
VERSIONS = "versions"
STAGING_PREFIX = ".staging-"
KEEP = 3  # versions kept, the live one included
VERSION = re.compile(r"^(\d{6})-\w+$")
DATA_FILE = re.compile(r"^(manifest\.json|[a-z_]+\.parquet)$")


class DataMissing(Exception):
    """The data directory cannot be answered from; the message names the file and the
    command that fixes it."""


class DataUnreadable(DataMissing):
    """A file of the dataset is there but cannot be read (truncated, corrupt) or the
    pointer names a version that is gone."""


def fix_command(data_dir: Path) -> str:
    """What an operator runs to get a readable dataset back."""
    if Path(data_dir).parent.name == VERSIONS:  # given a version folder: its data directory
        data_dir = Path(data_dir).parent.parent
    target = f"--data-dir {shlex.quote(str(data_dir))} "
    if earlier(data_dir):
        return f"`python -m bot ingest {target}--rollback` (back to the previous version)"
    return (
        f"`python -m bot ingest {target}--shipped` (the shipped data) or "
        f"`python -m bot ingest {target}FILE...` (the release files)"
    )


def versions(data_dir: Path) -> list[str]:
    """Every complete version's name, oldest first."""
    folder = Path(data_dir) / VERSIONS
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if VERSION.match(p.name) and p.is_dir())


def earlier(data_dir: Path) -> list[str]:
    """The versions older than the live one, oldest first: what --rollback can go back to."""
    live = live_version(data_dir)
    return [name for name in versions(data_dir) if live is not None and name < live]


def live_version(data_dir: Path) -> str | None:
    """The name ``CURRENT`` holds, or None for a plain (unversioned) directory."""
    try:
        return (Path(data_dir) / POINTER).read_text(encoding="utf-8").strip() or None
    except FileNotFoundError:
        return None


def current(data_dir: Path) -> Path:
    """The folder holding the live dataset: the version ``CURRENT`` names, else D itself."""
    data_dir = Path(data_dir)
    name = live_version(data_dir)
    if name is None:
        return data_dir
    folder = data_dir / VERSIONS / name
    if not VERSION.match(name) or not folder.is_dir():
        raise DataUnreadable(
            f"{data_dir / POINTER} names version {name!r}, which is not in {data_dir}: "
            f"fix it with {fix_command(data_dir)}"
        )
    return folder


def pointer_state(data_dir: Path) -> tuple[int, int] | None:
    """A cheap fingerprint of the pointer (one stat): it changes whenever a version is
    switched in, because the pointer file is replaced, never edited."""
    try:
        stat = (Path(data_dir) / POINTER).stat()
    except FileNotFoundError:
        return None
    return stat.st_ino, stat.st_mtime_ns


def is_plain(data_dir: Path) -> bool:
    """A dataset at the top of D from before versions (or shipped that way)."""
    return live_version(data_dir) is None and any(
        (Path(data_dir) / name).is_file() for name in ("manifest.json", "recorded.parquet")
    )


@contextmanager
def locked(data_dir: Path) -> Iterator[None]:
    """Hold D's lock: a second ingest or rollback says it is waiting, then waits."""
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    with open(data_dir / LOCK, "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(
                f"waiting: another ingest is writing {data_dir} (lock {data_dir / LOCK})",
                file=sys.stderr,
                flush=True,
            )
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield  # closing the file releases the lock, also when the process dies


def new_staging(data_dir: Path) -> Path:
    staging = Path(data_dir) / VERSIONS / f"{STAGING_PREFIX}{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    return staging


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def seal(staging: Path) -> None:
    """Flush every file of a staged version to disk before it can become live."""
    for path in staging.iterdir():
        _fsync(path)
    _fsync(staging)


def add_version(data_dir: Path, staging: Path) -> str:
    """Rename a sealed staging folder into a numbered version; it is not live yet."""
    numbers = [int(found.group(1)) for name in versions(data_dir) if (found := VERSION.match(name))]
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    name = f"{max(numbers, default=0) + 1:06d}-{stamp}"
    os.rename(staging, Path(data_dir) / VERSIONS / name)
    _fsync(Path(data_dir) / VERSIONS)
    return name


def switch(data_dir: Path, name: str) -> None:
    """Make version ``name`` live: one atomic replace of the pointer file."""
    data_dir = Path(data_dir)
    temporary = data_dir / f".{POINTER}.{os.getpid()}"
    temporary.write_text(name + "\n", encoding="utf-8")
    _fsync(temporary)
    os.replace(temporary, data_dir / POINTER)
    _fsync(data_dir)


def link_top_level(data_dir: Path, name: str) -> None:
    """Point D/recorded.parquet etc. at the live version (each link replaced atomically).

    Only the names of dataset files are touched; anything else at D's top (a README)
    is left alone. Plain files of a migrated directory are replaced by links."""
    data_dir = Path(data_dir)
    for path in sorted((data_dir / VERSIONS / name).iterdir()):
        temporary = data_dir / f".link-{path.name}.{os.getpid()}"
        temporary.unlink(missing_ok=True)
        temporary.symlink_to(Path(VERSIONS) / name / path.name)
        os.replace(temporary, data_dir / path.name)


def prune(data_dir: Path) -> None:
    """Remove what dead runs left and versions beyond the newest KEEP (never the live one).

    A version newer than the live one (any version, when none is live) was never made
    live (its run died before the switch) or was rolled back from: a new ingest drops
    it, as a new edit ends an undo's redo, so a rerun after a crash leaves the versions
    an uninterrupted run would. Call only under the lock: no other run is writing then."""
    data_dir = Path(data_dir)
    live = live_version(data_dir)
    for name in versions(data_dir):
        if live is None or name > live:
            shutil.rmtree(data_dir / VERSIONS / name, ignore_errors=True)
    for name in versions(data_dir)[:-KEEP]:
        if name != live:
            shutil.rmtree(data_dir / VERSIONS / name, ignore_errors=True)
    if (data_dir / VERSIONS).is_dir():
        for path in (data_dir / VERSIONS).glob(f"{STAGING_PREFIX}*"):
            shutil.rmtree(path, ignore_errors=True)
    for path in data_dir.iterdir():
        if path.name.startswith((f".{POINTER}.", ".link-")):
            path.unlink(missing_ok=True)


def adopt_plain(data_dir: Path) -> str:
    """Copy a plain directory's dataset in as its first version and make it live.

    The plain files stay where they are until the next version's links replace them,
    so a reader of the top-level files sees the same data throughout."""
    return _copy_in(Path(data_dir), Path(data_dir))


def publish(data_dir: Path, source: Path) -> str:
    """Make a copy of the plain dataset in ``source`` the live version of ``data_dir``
    (how a rebuilt shipped dataset replaces a versioned directory's, --rollback-able)."""
    with locked(data_dir):
        prune(data_dir)
        name = _copy_in(Path(data_dir), Path(source))
        link_top_level(data_dir, name)
        prune(data_dir)
        return name


def _copy_in(data_dir: Path, source: Path) -> str:
    staging = new_staging(data_dir)
    for path in source.iterdir():
        if DATA_FILE.match(path.name) and path.is_file():
            shutil.copy2(path, staging / path.name)
    seal(staging)
    name = add_version(data_dir, staging)
    switch(data_dir, name)
    return name


def rollback(data_dir: Path) -> tuple[str | None, str]:
    """Make the version before the live one live again; return (from, to)."""
    data_dir = Path(data_dir)
    with locked(data_dir):
        live, older = live_version(data_dir), earlier(data_dir)
        if not older:
            raise DataMissing(
                f"{data_dir} has no earlier version to roll back to"
                + ("" if live else " (no ingest has written a version there yet)")
            )
        switch(data_dir, older[-1])
        link_top_level(data_dir, older[-1])
        return live, older[-1]
