"""The manifest of loaded releases (manifest.json of the live version): read without pandas,
so answering never pays for the libraries ingest needs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TypedDict, cast

from bot.datastore.versions import DataUnreadable, current, fix_command

MANIFEST = "manifest.json"


class Coverage(TypedDict):
    """The quarters a release's table covers."""

    first_quarter: str  # 'the quarter to June 2012'
    last_quarter: str
    first_quarter_index: int  # Quarter.index
    last_quarter_index: int
    rows: int


class ReleaseEntry(TypedDict):
    """One release loaded into the dataset, as manifest.json records it."""

    release: str  # the file's name
    sha256: str
    release_date: str | None  # ISO date of publication
    sample: bool  # generated, not official (benchmarks only)
    source: str
    tables: dict[str, Coverage]  # by table kind: recorded, outcomes, ...
    loaded_at: str  # ISO timestamp
    seq: int  # load order


class Manifest(TypedDict):
    releases: list[ReleaseEntry]  # in load order


def read_manifest(data_dir: Path) -> Manifest:
    """The live version's manifest (a version folder's own, given one); none yet: no releases."""
    path = current(Path(data_dir)) / MANIFEST
    if not path.exists():
        return {"releases": []}
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise DataUnreadable(
            f"{path} cannot be read ({error}): fix it with {fix_command(Path(data_dir))}"
        ) from error
    if not isinstance(manifest, dict) or not isinstance(manifest.get("releases"), list):
        raise DataUnreadable(
            f"{path} has no list of releases: fix it with {fix_command(Path(data_dir))}"
        )
    return cast(Manifest, manifest)  # its entries as ingest wrote them
