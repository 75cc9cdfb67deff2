"""A soak: many answers in one process, its resident memory sampled as it goes, to tell a leak
from a cache filling up. Run under memray to see which native allocations are still held:

    python benchmarks/soak.py [--answers 10000]
    python -m memray run --native -o soak.bin benchmarks/soak.py --answers 10000
    python -m memray stats soak.bin   # or: memray flamegraph --leaks soak.bin

The last line is key=value figures.
"""

from __future__ import annotations

import argparse
import gc
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.answer_latency import QUESTIONS, TODAY  # noqa: E402
from bot.answers.ask import ask  # noqa: E402
from bot.query.database import Database  # noqa: E402
from bot.settings import SHIPPED_DATA  # noqa: E402


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=10_000)
    parser.add_argument("--every", type=int, default=1_000)
    args = parser.parse_args()
    db = Database(SHIPPED_DATA)
    for question in QUESTIONS:  # warm-up: every shape once
        ask(question, db, TODAY)
    gc.collect()
    warm = rss_mb()
    print(f"{'answers':>8} {'rss MB':>8} {'growth MB':>10}")
    print(f"{0:>8} {warm:>8.1f} {0:>10.1f}")
    for n in range(1, args.answers + 1):
        ask(QUESTIONS[n % len(QUESTIONS)], db, TODAY)
        if n % args.every == 0:
            gc.collect()
            print(f"{n:>8} {rss_mb():>8.1f} {rss_mb() - warm:>10.1f}", flush=True)
    growth = rss_mb() - warm
    print(
        f"answers={args.answers} rss_warm_mb={warm:.1f} rss_end_mb={rss_mb():.1f} "
        f"growth_mb={growth:.1f} growth_kb_per_1000={1000 * growth * 1024 / args.answers:.0f}"
    )


if __name__ == "__main__":
    main()
