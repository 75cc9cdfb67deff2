"""The manifest of loaded releases (data/manifest.json): read without pandas, so answering
never pays for the libraries ingest needs."""

from __future__ import annotations

import json
from pathlib import Path

MANIFEST = "manifest.json"


def read_manifest(data_dir: Path) -> dict:
    path = Path(data_dir) / MANIFEST
    if not path.exists():
        return {"releases": []}
    return json.loads(path.read_text(encoding="utf-8"))
