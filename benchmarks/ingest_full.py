"""Ingest a full-size release in the official layout: every force x every offence code x 14
years of quarters, and outcomes by type (millions of rows), as CSV files like the published
ones. Reports seconds and peak memory (RSS) of the ingest.

    python benchmarks/ingest_full.py [--keep DIR]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.core.reference import forces, outcome_types, seed_offences  # noqa: E402
from bot.ingest.sample import write_official_csv  # noqa: E402

YEARS = range(2012, 2026)  # 14 financial years


def generate(directory: Path) -> tuple[list[Path], int, int]:
    """Dense release: every force, code and quarter; every outcome type for each."""
    rng = np.random.default_rng(1)
    offences = pd.DataFrame(seed_offences())
    keys = pd.MultiIndex.from_product(
        [[f.force for f in forces()], offences["offence_code"], list(YEARS), [1, 2, 3, 4]],
        names=["force", "offence_code", "fy_start", "q"],
    ).to_frame(index=False)
    recorded = keys.assign(offences=rng.poisson(40, len(keys)))
    types = [t["outcome_type"] for t in outcome_types()]
    outcome_keys = keys[keys.fy_start >= 2014]
    outcomes = outcome_keys.loc[outcome_keys.index.repeat(len(types))].reset_index(drop=True)
    outcomes["outcome_type"] = np.tile(types, len(outcome_keys))
    outcomes["outcomes_for_recorded"] = rng.poisson(3, len(outcomes))
    outcomes["outcomes_in_quarter"] = rng.poisson(3, len(outcomes))
    files = write_official_csv(recorded, outcomes, offences, directory)
    return files, len(recorded), len(outcomes)


def _tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants now (the ingest reads files in
    worker processes: their memory counts too)."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        stack += [int(child) for child in children]
    return total


def ingest_measured(command: list[str]) -> tuple[float, float]:
    """Wall time and peak resident memory of the ingest, summed over its process tree
    (sampled every 50 ms, so a spike shorter than that can be missed)."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    peak_kb = 0
    while process.poll() is None:
        peak_kb = max(peak_kb, _tree_rss_kb(process.pid))
        time.sleep(0.05)
    seconds = time.perf_counter() - start
    if process.wait() != 0:
        raise SystemExit(process.stderr.read())
    return seconds, peak_kb / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--keep", help="write the generated files here and keep them")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        directory = Path(args.keep or scratch)
        start = time.perf_counter()
        files, recorded_rows, outcome_rows = generate(directory / "release")
        generated = time.perf_counter() - start
        size_mb = sum(f.stat().st_size for f in files) / 1e6
        seconds, peak_mb = ingest_measured(
            [
                sys.executable,
                "-m",
                "bot",
                "ingest",
                "--data-dir",
                str(directory / "data"),
                *map(str, files),
            ]
        )
    print(f"generated {len(files)} files ({size_mb:,.0f} MB of CSV) in {generated:.1f} s")
    print(f"{'table':<10}{'rows':>12}")
    print(f"{'recorded':<10}{recorded_rows:>12,}")
    print(f"{'outcomes':<10}{outcome_rows:>12,}")
    figures = {
        "files": len(files),
        "csv_mb": round(size_mb),
        "recorded_rows": recorded_rows,
        "outcome_rows": outcome_rows,
        "ingest_s": round(seconds, 1),
        "peak_rss_mb": round(peak_mb),
    }
    print(" ".join(f"{k}={v}" for k, v in figures.items()))


if __name__ == "__main__":
    main()
