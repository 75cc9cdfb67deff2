"""The manifest of loaded releases (manifest.json of the live version): read without pandas,
so answering never pays for the libraries ingest needs."""

from __future__ import annotations

import json
from pathlib import Path

from bot.datastore.versions import DataUnreadable, current, fix_command

MANIFEST = "manifest.json"


def read_manifest(data_dir: Path) -> dict:
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
    return manifest
