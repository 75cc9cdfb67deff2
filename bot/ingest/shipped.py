"""Rebuild the dataset shipped in data/: the real files in raw/ plus the generated sample.

The build goes through the ordinary ingest path into a scratch directory, and
only a complete build replaces what data/ holds.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd

from bot.ingest import ingest
from bot.ingest.annual import load_annual
from bot.ingest.load import load_release
from bot.ingest.sample import build_sample_release
from bot.ingest.store import save
from bot.reference import seed_offences

ROOT = Path(__file__).resolve().parents[2]
RAW = ROOT / "raw"
REAL_PFA = RAW / "pfa-2017-18" / "prc-pfa-mar2013-onwards-tables201718.csv"
SAMPLE_SOURCE = (
    "crimebot SAMPLE data, generated from real magnitudes: NOT official statistics "
    "(see data/README.md)"
)
REAL_SOURCE = (
    "Home Office, police recorded crime open data, Police Force Area tables (2017/18 sheet)"
)


def build_shipped(data_dir: Path, raw_dir: Path = RAW) -> dict:
    data_dir.mkdir(parents=True, exist_ok=True)
    real_file = raw_dir / REAL_PFA.relative_to(RAW)
    real = load_release(real_file, progress=False)
    offences = pd.DataFrame(seed_offences())
    with tempfile.TemporaryDirectory(dir=data_dir.parent) as scratch:
        scratch_dir = Path(scratch)
        sample_files = build_sample_release(
            real.tables["recorded"], offences, raw_dir, scratch_dir / "raw"
        )
        build = scratch_dir / "data"
        ingest([real_file], build, source=REAL_SOURCE, progress=False)
        ingest(sample_files, build, sample=True, source=SAMPLE_SOURCE, progress=False)
        manifest = save(build, [load_annual(raw_dir / "oocd-dashboard-outcomes")])
        for path in build.iterdir():
            os.replace(path, data_dir / path.name)
    return manifest
