"""A peer for answer_latency.py: the same figures from Datasette (SQLite, sensible indexes,
canned queries), interleaved in one run with crimebot's in-process answers and with crimebot's
real server over HTTP (a signed /crimestats command, until its answer reaches the
response_url), checking the figures agree.

    pip install -e '.[bench]'   # datasette
    python benchmarks/peer_datasette.py [--repeat 10] [--no-http]

The question mix is answer_latency.py's counts and trends (answered from the offence-level
table; a count or trend answer carries the place's figures by year and England and Wales's).
Datasette's canned query returns the same figures, place and England and Wales, in one
request; the same query on sqlite3 in this process is timed too, for reference (no HTTP).
Everything runs on loopback on this machine: Datasette, crimebot's server and its
stub Slack API are separate processes.

After a warm-up (each question once each way), the phases:

- one at a time: every question `repeat` times, each way in turn;
- 20 concurrent: 20 threads each sending `repeat` commands back to back (20 * repeat in all,
  every question `repeat` times), timed from just before each POST to its answer arriving at
  the response_url; then the same for Datasette's query, for comparison.

CPU per request: the user and system time of crimebot's server (the gunicorn master and all
its workers, from /proc) and of Datasette's process, over each phase, divided by the
requests that process answered in it. The stub Slack Web API and this process (the load
generator, the response_url receiver and crimebot's in-process answers) are not counted;
the server's idle housekeeping while the one-at-a-time loop is busy elsewhere is.
`--no-http` skips everything crimebot-over-HTTP.
"""

from __future__ import annotations

import argparse
import contextlib
import http.server
import itertools
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

import duckdb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from answer_latency import KINDS, QUESTIONS, TODAY, percentile  # noqa: E402

from bot.answers.ask import ask  # noqa: E402
from bot.parse import parse  # noqa: E402
from bot.query.database import Database  # noqa: E402
from bot.query.findings import find  # noqa: E402
from tests.slack_server import Server, free_port  # noqa: E402

PEER_QUESTIONS = [q for q, k in zip(QUESTIONS, KINDS, strict=True) if k in ("count", "trend")]
CONCURRENCY = 20

# One request: a place's offences by rolling year, and England and Wales's (the 43 territorial
# forces), the same quarters counted as crimebot counts them.
BY_YEAR_SQL = """
SELECT 'place' AS who, (CAST(:last AS INTEGER) - quarter_index) / 4 AS years_back,
       sum(offences) AS offences, count(DISTINCT quarter_index) AS quarters
FROM recorded
WHERE force IN (SELECT value FROM json_each(:forces))
  AND offence_code IN (SELECT value FROM json_each(:codes))
  AND quarter_index <= CAST(:last AS INTEGER)
  AND quarter_index > CAST(:last AS INTEGER) - 4 * CAST(:years AS INTEGER)
GROUP BY years_back
UNION ALL
SELECT 'national', (CAST(:last AS INTEGER) - quarter_index) / 4 AS years_back,
       sum(offences), count(DISTINCT quarter_index)
FROM recorded
WHERE force IN (SELECT force FROM forces WHERE kind = 'territorial')
  AND offence_code IN (SELECT value FROM json_each(:codes))
  AND quarter_index <= CAST(:last AS INTEGER)
  AND quarter_index > CAST(:last AS INTEGER) - 4 * CAST(:national_years AS INTEGER)
GROUP BY years_back
"""


def build_sqlite(path: Path) -> None:
    """The shipped recorded table and forces in SQLite, with a covering index for the query."""
    source = duckdb.connect()
    recorded = source.execute(
        "SELECT force, offence_code, quarter_index, offences FROM read_parquet($p)",
        {"p": str(ROOT / "data" / "recorded.parquet")},
    ).fetchall()
    forces = source.execute(
        "SELECT force, kind FROM read_parquet($p)", {"p": str(ROOT / "data" / "forces.parquet")}
    ).fetchall()
    db = sqlite3.connect(path)
    db.execute(
        "CREATE TABLE recorded (force TEXT, offence_code TEXT, quarter_index INTEGER, "
        "offences INTEGER)"
    )
    db.executemany("INSERT INTO recorded VALUES (?, ?, ?, ?)", recorded)
    db.execute("CREATE TABLE forces (force TEXT PRIMARY KEY, kind TEXT)")
    db.executemany("INSERT INTO forces VALUES (?, ?)", forces)
    db.execute(
        "CREATE INDEX recorded_series ON recorded (force, offence_code, quarter_index, offences)"
    )
    db.execute("ANALYZE")
    db.commit()
    db.close()


class Datasette:
    def __init__(self, database: Path, scratch: Path) -> None:
        metadata = scratch / "metadata.json"
        metadata.write_text(
            json.dumps(
                {"databases": {database.stem: {"queries": {"by_year": {"sql": BY_YEAR_SQL}}}}}
            )
        )
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/{database.stem}/by_year.json"
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "datasette",
                "serve",
                str(database),
                "--immutable",
                str(database),
                "--metadata",
                str(metadata),
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{self.port}/-/versions.json", timeout=1
                ):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("datasette did not start")

    def by_year(self, parameters: dict) -> list[dict]:
        query = urlencode({**parameters, "_shape": "array"})
        with urllib.request.urlopen(f"{self.url}?{query}", timeout=30) as response:
            return json.load(response)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=15)


class Receiver:
    """The response_url: records when each answer arrives."""

    def __init__(self) -> None:
        self.arrived: dict[str, tuple[float, bytes]] = {}
        self.ready = threading.Condition()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                now = time.perf_counter()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"ok": true}')
                with receiver.ready:
                    receiver.arrived[self.path] = (now, body)
                    receiver.ready.notify_all()

            def log_message(self, *args: object) -> None:
                pass

        class Listener(http.server.ThreadingHTTPServer):
            daemon_threads = True
            # The default listen backlog of 5 would drop some of 20 answers arriving at once,
            # to be retried a second later: that second would be counted as crimebot's.
            request_queue_size = 128

        self.server = Listener(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait(self, path: str, timeout: float = 30) -> tuple[float, bytes]:
        with self.ready:
            if not self.ready.wait_for(lambda: path in self.arrived, timeout):
                raise RuntimeError(f"no answer at {path}")
            return self.arrived.pop(path)


def process_tree(pid: int) -> list[int]:
    """A process and all its descendants, from /proc/<pid>/task/<tid>/children."""
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        try:
            tasks = list(Path(f"/proc/{current}/task").iterdir())
        except OSError:  # it has exited
            continue
        for task in tasks:
            with contextlib.suppress(OSError):
                pending.extend(int(child) for child in (task / "children").read_text().split())
    return found


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process and its descendants so far, with that of any
    children they have exited and been reaped (cutime, cstime), so none is lost between two
    samples."""
    ticks = 0
    for each in process_tree(pid):
        try:
            stat = Path(f"/proc/{each}/stat").read_text()
        except OSError:  # exited since it was listed
            continue
        fields = stat[stat.rindex(")") + 2 :].split()  # from field 3, the state, on
        ticks += sum(int(value) for value in fields[11:15])  # utime stime cutime cstime
    return ticks / os.sysconf("SC_CLK_TCK")


def expected(db: Database, question: str) -> tuple[dict, dict[str, dict[int, int]]]:
    """Datasette's parameters for a question, and crimebot's own figures for it."""
    findings = find(db, parse(question, TODAY))
    place = findings.places[0]
    national = findings.national
    assert national is not None, question
    parameters = {
        "forces": json.dumps(list(place.place.forces)),
        "codes": json.dumps(list(findings.offence.codes)),
        "last": findings.period.last_index,
        "years": len(place.offences),
        "national_years": len(national.offences),
    }
    figures = {
        "place": {back: f.value for back, f in enumerate(place.offences)},
        "national": {back: f.value for back, f in enumerate(national.offences)},
    }
    return parameters, figures


Timed = tuple[float, list[str]]  # milliseconds, and what disagreed with crimebot's figures


class Bench:
    """The ways of answering, the questions, and what has been measured of them."""

    def __init__(
        self, db: Database, database: Path, peer: Datasette, server: Server | None
    ) -> None:
        self.db = db
        self.database = database
        self.peer = peer
        self.server = server
        self.receiver = Receiver()
        self.cases = {q: expected(db, q) for q in PEER_QUESTIONS}
        self.ms: dict[str, list[float]] = {}  # phase -> milliseconds per request
        self.cpu: dict[str, float] = {}  # figure -> CPU milliseconds per request
        self.mismatches = 0
        self.sent = itertools.count(1)

    def record(self, phase: str, timed: Timed) -> None:
        ms, problems = timed
        self.ms.setdefault(phase, []).append(ms)
        for problem in problems:
            print(f"MISMATCH {problem}")
        self.mismatches += len(problems)

    def datasette(self, question: str) -> Timed:
        parameters, figures = self.cases[question]
        start = time.perf_counter()
        rows = self.peer.by_year(parameters)
        ms = (time.perf_counter() - start) * 1000
        got: dict[str, dict[int, int]] = {"place": {}, "national": {}}
        for row in rows:
            if row["quarters"] == 4:
                got[row["who"]][row["years_back"]] = row["offences"]
        return ms, [
            f"{question} {who}: {got[who]} vs {figures[who]}"
            for who in ("place", "national")
            if got[who] != figures[who]
        ]

    def http(self, question: str) -> Timed:
        """A signed /crimestats command, until its answer arrives at the response_url."""
        assert self.server is not None
        path = f"/response/{next(self.sent)}"
        start = time.perf_counter()
        status, _, _ = self.server.command(question, f"{self.receiver.url}{path}")
        assert status == 200, status
        arrived, body = self.receiver.wait(path)
        current = f"{self.cases[question][1]['place'][0]:,}"
        problems = [] if current in body.decode() else [f"over HTTP {question}: {current}"]
        return (arrived - start) * 1000, problems

    def warm_up(self) -> None:
        """Each question each way once, checking the figures agree."""
        for question in self.cases:
            ask(question, self.db, TODAY)
            self.record("warm-up", self.datasette(question))
            if self.server is not None:
                self.record("warm-up", self.http(question))

    def sequential(self, repeat: int) -> None:
        """Every question `repeat` times, one at a time, each way in turn; the CPU time of
        Datasette's process and of crimebot's server over the whole loop."""
        local = sqlite3.connect(self.database)  # the same query without HTTP, for reference
        peer_cpu = cpu_seconds(self.peer.process.pid)
        server_cpu = cpu_seconds(self.server.process.pid) if self.server else 0.0
        for _ in range(repeat):
            for question, (parameters, _) in self.cases.items():
                start = time.perf_counter()
                ask(question, self.db, TODAY)
                self.record("crimebot", ((time.perf_counter() - start) * 1000, []))
                self.record("datasette", self.datasette(question))
                start = time.perf_counter()
                local.execute(BY_YEAR_SQL, parameters).fetchall()
                self.record("sqlite", ((time.perf_counter() - start) * 1000, []))
                if self.server is not None:
                    self.record("http", self.http(question))
        local.close()
        self.cpu["datasette"] = per_request(self.peer.process.pid, peer_cpu, self.ms["datasette"])
        if self.server is not None:
            self.cpu["server"] = per_request(self.server.process.pid, server_cpu, self.ms["http"])

    def concurrent(self, phase: str, pid: int, send: Callable[[str], Timed], repeat: int) -> None:
        """CONCURRENCY threads each sending `repeat` questions back to back (together every
        question `repeat` times, CONCURRENCY different ones at once), and the CPU time of the
        process answering them."""
        questions = list(self.cases)
        shares = [
            [questions[(thread + round_) % len(questions)] for round_ in range(repeat)]
            for thread in range(CONCURRENCY)
        ]
        together = threading.Barrier(CONCURRENCY)

        def run(share: list[str]) -> list[Timed]:
            together.wait()
            return [send(question) for question in share]

        before = cpu_seconds(pid)
        with ThreadPoolExecutor(CONCURRENCY) as pool:
            results = list(pool.map(run, shares))
        for timed in itertools.chain.from_iterable(results):
            self.record(phase, timed)
        self.cpu[phase] = per_request(pid, before, self.ms[phase])


def per_request(pid: int, before: float, requests: list[float]) -> float:
    """The CPU milliseconds a process and its descendants spent since `before`, per request."""
    return (cpu_seconds(pid) - before) * 1000 / len(requests)


def start_crimebot(scratch: Path, stack: contextlib.ExitStack) -> Server:
    """crimebot's real server, posting to a stub Slack Web API."""
    stub = subprocess.Popen(
        [sys.executable, "-m", "tests.slack_stub"], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    stack.callback(stub.wait, timeout=15)
    stack.callback(stub.terminate)
    assert stub.stdout is not None
    stub_url = stub.stdout.readline().strip()
    server = Server(f"{stub_url}/api/", ROOT / "data", f"sqlite:///{scratch}/state.db")
    stack.callback(server.stop)
    return server


def print_table(bench: Bench) -> None:
    rows = [
        ("crimebot in-process answer", "crimebot"),
        ("datasette HTTP query", "datasette"),
        ("sqlite3 in-process query", "sqlite"),
        ("crimebot HTTP answer", "http"),
        (f"crimebot HTTP answer, {CONCURRENCY} concurrent", "http20"),
        (f"datasette HTTP query, {CONCURRENCY} concurrent", "datasette20"),
    ]
    print(f"{'':<40}{'p50 ms':>8}{'p99 ms':>8}")
    for label, phase in rows:
        if values := bench.ms.get(phase):
            print(f"{label:<40}{statistics.median(values):>8.2f}{percentile(values, 99):>8.2f}")
    print(f"{'CPU ms per request':<40}{'1 at a time':>12}{f'{CONCURRENCY} at once':>12}")
    for label, one, many in [
        ("crimebot server (gunicorn, all workers)", "server", "http20"),
        ("datasette", "datasette", "datasette20"),
    ]:
        if one in bench.cpu:
            print(f"{label:<40}{bench.cpu[one]:>12.2f}{bench.cpu[many]:>12.2f}")


def summary(bench: Bench, repeat: int, build_s: float) -> dict[str, object]:
    """The figures, for the last line: the keys other runs and BENCHMARKS.md compare."""
    ms = bench.ms

    def p50(phase: str) -> float:
        return statistics.median(ms[phase])

    figures: dict[str, object] = {
        "questions": len(bench.cases),
        "repeat": repeat,
        "sqlite_build_s": round(build_s, 1),
        "figures_agree": bench.mismatches == 0,
        "answer_p50_ms": round(p50("crimebot"), 2),
        "answer_p99_ms": round(percentile(ms["crimebot"], 99), 2),
        "datasette_p50_ms": round(p50("datasette"), 2),
        "datasette_p99_ms": round(percentile(ms["datasette"], 99), 2),
        "sqlite_p50_ms": round(p50("sqlite"), 2),
        "ratio_answer_vs_datasette": round(p50("crimebot") / p50("datasette"), 2),
    }
    if "http" in ms:
        figures["http_p50_ms"] = round(p50("http"), 2)
        figures["http_p99_ms"] = round(percentile(ms["http"], 99), 2)
        figures["ratio_http_vs_datasette"] = round(p50("http") / p50("datasette"), 2)
        figures["http20_p50_ms"] = round(p50("http20"), 2)
        figures["http20_p99_ms"] = round(percentile(ms["http20"], 99), 2)
    figures["datasette20_p50_ms"] = round(p50("datasette20"), 2)
    figures["datasette20_p99_ms"] = round(percentile(ms["datasette20"], 99), 2)
    if "http" in ms:
        figures["ratio_http20_vs_datasette20"] = round(p50("http20") / p50("datasette20"), 2)
        figures["server_cpu_ms_per_request"] = round(bench.cpu["server"], 2)
        figures["server_cpu20_ms_per_request"] = round(bench.cpu["http20"], 2)
    figures["datasette_cpu_ms_per_request"] = round(bench.cpu["datasette"], 2)
    figures["datasette_cpu20_ms_per_request"] = round(bench.cpu["datasette20"], 2)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--no-http", action="store_true", help="skip crimebot over HTTP")
    args = parser.parse_args()
    db = Database(ROOT / "data")
    with tempfile.TemporaryDirectory() as scratch_dir, contextlib.ExitStack() as stack:
        scratch = Path(scratch_dir)
        database = scratch / "crime.db"
        start = time.perf_counter()
        build_sqlite(database)
        build_s = time.perf_counter() - start
        peer = Datasette(database, scratch)
        stack.callback(peer.stop)
        server = None if args.no_http else start_crimebot(scratch, stack)
        bench = Bench(db, database, peer, server)
        stack.callback(bench.receiver.server.shutdown)
        bench.warm_up()
        bench.sequential(args.repeat)
        if server is not None:
            bench.concurrent("http20", server.process.pid, bench.http, args.repeat)
        bench.concurrent("datasette20", peer.process.pid, bench.datasette, args.repeat)
    print_table(bench)
    print(" ".join(f"{k}={v}" for k, v in summary(bench, args.repeat, build_s).items()))


if __name__ == "__main__":
    main()
