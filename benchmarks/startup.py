"""Process start to first answer (`python -m bot ask`), and the serving process's memory
(RSS) after 1,000 answers through the real server, checked for growth after warm-up.

    python benchmarks/startup.py [--answers 1000]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.answer_latency import QUESTIONS  # noqa: E402
from tests.slack_server import Server  # noqa: E402


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def first_answer_seconds(runs: int = 5) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "bot", "ask", "harassment Thames Valley"],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        times.append(time.perf_counter() - start)
    return times


def serving_memory(answers: int) -> dict:
    stub = subprocess.Popen(
        [sys.executable, "-m", "tests.slack_stub"], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    stub_url = stub.stdout.readline().strip()
    with tempfile.TemporaryDirectory() as scratch:
        import os

        os.environ["CRIMEBOT_WORKERS"] = "1"
        server = Server(f"{stub_url}/api/", ROOT / "data", f"sqlite:///{scratch}/state.db")
        try:
            children = subprocess.run(
                ["pgrep", "-P", str(server.process.pid)], capture_output=True, text=True
            ).stdout.split()
            worker = int(children[0])
            samples = {"started": rss_mb(worker)}

            def send(i: int) -> None:
                server.command(QUESTIONS[i % len(QUESTIONS)], f"{stub_url}/response/m{i}")

            with ThreadPoolExecutor(max_workers=8) as pool:
                for done in range(0, answers, 100):
                    list(pool.map(send, range(done, done + 100)))
                    time.sleep(0.3)  # let queued answers finish
                    samples[done + 100] = rss_mb(worker)
        finally:
            server.stop()
            stub.terminate()
    return samples


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--answers", type=int, default=1000)
    args = parser.parse_args()
    starts = first_answer_seconds()
    samples = serving_memory(args.answers)
    print(
        f"process start to first answer: median {statistics.median(starts):.2f} s, "
        f"runs {', '.join(f'{t:.2f}' for t in starts)}"
    )
    print(f"{'answers':>8}{'RSS MB':>9}")
    for key, value in samples.items():
        print(f"{key:>8}{value:>9.1f}")
    warm = samples[200]
    final = samples[args.answers]
    figures = {
        "first_answer_s": round(statistics.median(starts), 2),
        "rss_started_mb": round(samples["started"], 1),
        "rss_after_200_mb": round(warm, 1),
        f"rss_after_{args.answers}_mb": round(final, 1),
        "growth_after_warmup_mb": round(final - warm, 1),
    }
    print(" ".join(f"{k}={v}" for k, v in figures.items()))


if __name__ == "__main__":
    main()
