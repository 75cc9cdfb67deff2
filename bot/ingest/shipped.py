"""Rebuild the dataset shipped in data/ from the real files in raw/: nothing generated.

The two offence-level PFA releases go in oldest first, through the same ingest a user runs
(after their adapters put them back into the published layout), so the April 2026 release
wins every quarter it covers and the October 2023 figures it revised become "revised from …"
notes. Then the annual force tables, the 2024/25 outcomes by offence group, the local
(Community Safety Partnership) totals for 2024/25 and the ONS population estimates. The build
happens in a scratch directory, and only a complete build replaces what data/ holds.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from bot.datastore import versions as datastore
from bot.datastore.manifest import MANIFEST, Manifest
from bot.ingest import ingest
from bot.ingest.annual import load_annual
from bot.ingest.conversions import SHIPPED_PFA
from bot.ingest.group_outcomes import load_group_outcomes
from bot.ingest.local_areas import load_local_areas
from bot.ingest.population import load_population
from bot.ingest.store import save

ROOT = Path(__file__).resolve().parents[2]
RAW = ROOT / "raw"


def build_shipped(data_dir: Path, raw_dir: Path = RAW) -> Manifest:
    """Build in scratch, then make ``data_dir`` a plain dataset of exactly those files (the
    shipped data is read as it is; ingest copies it into a versioned directory of its own)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=data_dir.parent) as scratch:
        scratch_dir = Path(scratch)
        build = scratch_dir / "data"
        for conversion in SHIPPED_PFA:
            path = conversion.to_official(raw_dir, scratch_dir / "raw")
            ingest(
                [path],
                build,
                release_date=conversion.release_date,
                source=conversion.source,
                progress=False,
            )
        manifest = save(
            build,
            [
                load_annual(raw_dir / "oocd-dashboard-outcomes"),
                load_population(raw_dir / "ons-pfa-population"),
                load_group_outcomes(raw_dir / "outcomes-2024-25-by-group"),
                load_local_areas(raw_dir),
            ],
        )
        built = {path.name: path for path in datastore.current(build).iterdir() if path.is_file()}
        for stale in data_dir.iterdir():
            if datastore.DATA_FILE.match(stale.name) and stale.name not in built:
                stale.unlink()
        for name, path in sorted(built.items(), key=lambda item: item[0] == MANIFEST):
            shutil.copyfile(path, data_dir / f".{name}.new")
            os.replace(data_dir / f".{name}.new", data_dir / name)  # manifest last
    return manifest
