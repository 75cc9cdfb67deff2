"""What the release watch remembers, in one small JSON file in the data directory
(``release-watch.json``): when the page was last checked, which file URLs are loaded, which
failures have been logged, and each new release's note to subscribed channels and who has
had it. A file, not a state-database table, because it belongs with the data it describes
(a second data directory has its own) and needs no migration.

Every change is a read-modify-write under a lock (``.release-watch.lock``), written to a
temporary file and renamed over the old one, so two clocks never lose each other's change
and a kill never leaves half a record.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TypedDict

RECORD = "release-watch.json"
RECORD_LOCK = ".release-watch.lock"

log = logging.getLogger(__name__)


class Delivery(StrEnum):
    POSTING = "posting"  # claimed for the channel; the post not confirmed yet
    POSTED = "posted"
    FAILED = "failed"  # Slack refused it
    UNKNOWN = "unknown"  # the connection dropped while posting: never sent again


class Told(TypedDict):
    status: Delivery
    ts: str  # the note's message, once posted
    reason: str  # why not


class Failure(TypedDict):
    error: str
    at: str  # ISO time it was first seen


class News(TypedDict):
    """One load's note: for the channels subscribed when it was loaded."""

    key: str  # the loaded files' names, joined
    files: list[str]
    loaded_at: str
    published: str | None  # ISO date of the newest publication loaded
    recorded_to: int | None  # Quarter.index of the newest quarter of recorded crime loaded
    outcomes_to: int | None  # the same for outcomes
    to: dict[str, str]  # channel -> the first force of its patch (for the example question)
    told: dict[str, Told]  # channel -> what became of its note


class Record(TypedDict):
    last_check: str  # ISO time of the last look at the page ("" never)
    seen: dict[str, str]  # file URL -> sha256 of its content, loaded (or already there)
    failures: dict[str, Failure]  # logged once each; a download's clears when it succeeds
    news: list[News]


def empty() -> Record:
    return {"last_check": "", "seen": {}, "failures": {}, "news": []}


def read_record(data_dir: Path) -> Record:
    """The record, or an empty one (none yet; one that cannot be read is logged and
    started afresh: the worst that costs is a page check and a download)."""
    path = Path(data_dir) / RECORD
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return empty()
    except (ValueError, UnicodeDecodeError) as error:
        log.error("%s cannot be read (%s): starting a new one", path, error)
        return empty()
    record = empty()
    if isinstance(found, dict):
        record.update({k: v for k, v in found.items() if k in record})  # type: ignore[typeddict-item]
    return record


def write_record(data_dir: Path, record: Record) -> None:
    path = Path(data_dir) / RECORD
    temporary = path.with_name(f".{RECORD}.{os.getpid()}")
    with open(temporary, "w", encoding="utf-8") as handle:
        json.dump(record, handle, indent=1, sort_keys=True)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


@contextmanager
def changing(data_dir: Path) -> Iterator[Record]:
    """The record to change in place; written back when the block ends without an error.
    Held only for the change itself, never across a download or an ingest."""
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    with open(data_dir / RECORD_LOCK, "a+b") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        record = read_record(data_dir)
        yield record
        write_record(data_dir, record)


def failed_once(record: Record, key: str, message: str, at: str) -> None:
    """Remember a failure; log it only the first time (the clock checks again and again)."""
    if key in record["failures"]:
        log.debug("still failing: %s", message)
        return
    log.error("%s", message)
    record["failures"][key] = {"error": message, "at": at}
