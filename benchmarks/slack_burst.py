"""Bursts of concurrent signed slash commands against the production server
(`python -m bot serve`, gunicorn threads) on loopback, with a stub Slack Web API.

    python benchmarks/slack_burst.py [--bursts 50,200]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.slack_server import Server  # noqa: E402

QUESTIONS = [
    "harassment Thames Valley",
    "charge rate for stalking in Kent",
    "which force has the lowest charge rate for stalking",
    "compare burglary in the Met and GMP",
    "knife crime in Essex over ten years",
    "harassment in narnia",
]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def called(stub_url: str) -> set[str]:
    with urllib.request.urlopen(f"{stub_url}/_calls", timeout=10) as response:
        return set(json.load(response)["paths"])


def listen_overflows() -> int:
    """The kernel's count of connections dropped because a listen queue was full (any socket
    on this machine): a dropped connection is retried a second later, inflating a burst."""
    with open("/proc/net/netstat") as netstat:
        lines = [line.split() for line in netstat if line.startswith("TcpExt:")]
    names, values = lines[0], lines[1]
    return int(values[names.index("ListenOverflows")])


def burst(server: Server, stub_url: str, size: int, tag: str) -> dict:
    def send(i: int):
        return server.command(QUESTIONS[i % len(QUESTIONS)], f"{stub_url}/response/{tag}-{i}")

    overflows = listen_overflows()
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=size) as pool:
        results = list(pool.map(send, range(size)))
    names = {f"/response/{tag}-{i}" for i in range(size)}
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        done = called(stub_url) & names
        if len(done) == size:
            break
        time.sleep(0.02)
    answered_s = time.perf_counter() - start
    acks = [seconds * 1000 for _, _, seconds in results]
    return {
        "concurrent": size,
        "acked_ok": sum(status == 200 for status, _, _ in results),
        "ack_p50_ms": round(statistics.median(acks), 1),
        "ack_p99_ms": round(percentile(acks, 99), 1),
        "ack_max_ms": round(max(acks), 1),
        "answered": len(done),
        "all_answered_s": round(answered_s, 2),
        "listen_overflows": listen_overflows() - overflows,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bursts", default="50,200")
    parser.add_argument("--threads", type=int, default=64, help="gunicorn threads")
    args = parser.parse_args()
    # The stub Web API runs in its own process, as Slack would: in this one it would take
    # the GIL from the threads timing the acks.
    stub = subprocess.Popen(
        [sys.executable, "-m", "tests.slack_stub"], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    stub_url = stub.stdout.readline().strip()
    with tempfile.TemporaryDirectory() as scratch:
        server = Server(
            f"{stub_url}/api/", ROOT / "data", f"sqlite:///{scratch}/state.db", threads=args.threads
        )
        try:
            burst(server, stub_url, 10, "warm")
            sizes = [int(size) for size in args.bursts.split(",")]
            rows = [burst(server, stub_url, size, f"b{size}") for size in sizes]
        finally:
            server.stop()
            stub.terminate()
    print(
        f"{'concurrent':>10}{'acked':>7}{'ack p50':>9}{'ack p99':>9}{'ack max':>9}"
        f"{'answered':>10}{'all answered':>14}{'overflows':>11}"
    )
    for r in rows:
        print(
            f"{r['concurrent']:>10}{r['acked_ok']:>7}{r['ack_p50_ms']:>7.0f}ms"
            f"{r['ack_p99_ms']:>7.0f}ms{r['ack_max_ms']:>7.0f}ms{r['answered']:>10}"
            f"{r['all_answered_s']:>13.2f}s{r['listen_overflows']:>11}"
        )
    figures = {f"{k}_{r['concurrent']}": v for r in rows for k, v in r.items() if k != "concurrent"}
    print(" ".join(f"{k}={v}" for k, v in figures.items()))


if __name__ == "__main__":
    main()
