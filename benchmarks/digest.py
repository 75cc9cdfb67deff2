"""How long a morning digest takes to compose, and a "Write it up" draft to write, on the
shipped dataset; and the whole `python -m bot digest --dry-run` command, process start
included (what the clock pays per channel, near enough).

    python benchmarks/digest.py [--repeat 10]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.answers.story import ask_story  # noqa: E402
from bot.core.places import force_place, national  # noqa: E402
from bot.query.database import Database  # noqa: E402
from bot.query.leads.candidates import find_leads  # noqa: E402
from bot.query.leads.compose import compose  # noqa: E402
from bot.query.leads.series import place_series  # noqa: E402
from bot.query.periods import resolve_period  # noqa: E402
from bot.render.digest import digest_message  # noqa: E402
from bot.render.leads import story_question  # noqa: E402

DAY = dt.date(2026, 11, 23)
PATCH = ["Thames Valley", "Cumbria", "Kent", "Metropolitan Police", "West Yorkshire", "Essex"]


def ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    db = Database(ROOT / "data")
    period = resolve_period(db, None, False)

    start = time.perf_counter()
    first = compose(db, PATCH, DAY, None)
    digest_message(first)
    cold = time.perf_counter() - start

    warm, national_times, force_times = [], [], []
    for _ in range(args.repeat):
        start = time.perf_counter()
        digest_message(compose(db, PATCH, DAY, None))
        warm.append(time.perf_counter() - start)
        start = time.perf_counter()
        nationally = place_series(db, national(), period)
        national_times.append(time.perf_counter() - start)
        for force in PATCH:
            start = time.perf_counter()
            place = force_place(force)
            find_leads(place, period, place_series(db, place, period), nationally)
            force_times.append(time.perf_counter() - start)

    questions = [story_question(lead) for lead in first.leads]
    drafts = []
    for _ in range(args.repeat):
        for question in questions:
            start = time.perf_counter()
            ask_story(question, db, DAY)
            drafts.append(time.perf_counter() - start)

    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "bot", "digest", "--dry-run", "--forces", ", ".join(PATCH)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    command = time.perf_counter() - start

    print(f"{'step':<40} {'p50 ms':>8} {'p99 ms':>8}")
    rows = [
        ("compose 6-force digest (warm)", warm),
        ("national series (all lead offences)", national_times),
        ("one force's leads", force_times),
        ("story draft", drafts),
    ]
    for name, values in rows:
        print(f"{name:<40} {ms(statistics.median(values)):>8} {ms(percentile(values, 0.99)):>8}")
    print(f"{'compose 6-force digest (first, cold)':<40} {ms(cold):>8}")
    print(f"{'digest --dry-run command, 6 forces':<40} {ms(command):>8}")
    print(
        f"leads={len(first.leads)} digest_cold_ms={ms(cold)} "
        f"digest_warm_p50_ms={ms(statistics.median(warm))} "
        f"force_leads_p50_ms={ms(statistics.median(force_times))} "
        f"story_p50_ms={ms(statistics.median(drafts))} "
        f"story_p99_ms={ms(percentile(drafts, 0.99))} dry_run_command_s={command:.2f}"
    )


if __name__ == "__main__":
    main()
