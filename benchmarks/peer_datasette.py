"""A peer for answer_latency.py: the same figures from Datasette (SQLite, sensible indexes,
canned queries), interleaved in one run with crimebot's in-process answers and with crimebot's
real server over HTTP (a signed /crimestats command, until its answer reaches the
response_url), checking the figures agree.

    pip install -e '.[bench]'   # datasette
    python benchmarks/peer_datasette.py [--repeat 10]

The question mix is answer_latency.py's counts and trends (answered from the offence-level
table; a count or trend answer carries the place's figures by year and England and Wales's).
Datasette's canned query returns the same figures, place and England and Wales, in one
request; the same query on sqlite3 in this process is timed too, for reference (no HTTP).
Everything runs on loopback on this machine: Datasette, crimebot's server and its
stub Slack API are separate processes.
"""

from __future__ import annotations

import argparse
import http.server
import json
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
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

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait(self, path: str, timeout: float = 30) -> tuple[float, bytes]:
        with self.ready:
            if not self.ready.wait_for(lambda: path in self.arrived, timeout):
                raise RuntimeError(f"no answer at {path}")
            return self.arrived.pop(path)


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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--no-http", action="store_true", help="skip crimebot over HTTP")
    args = parser.parse_args()
    db = Database(ROOT / "data")
    with tempfile.TemporaryDirectory() as scratch_dir:
        scratch = Path(scratch_dir)
        database = scratch / "crime.db"
        start = time.perf_counter()
        build_sqlite(database)
        build_s = time.perf_counter() - start
        peer = Datasette(database, scratch)
        stub = server = None
        if not args.no_http:
            stub = subprocess.Popen(
                [sys.executable, "-m", "tests.slack_stub"],
                cwd=ROOT,
                stdout=subprocess.PIPE,
                text=True,
            )
            stub_url = stub.stdout.readline().strip()
            server = Server(f"{stub_url}/api/", ROOT / "data", f"sqlite:///{scratch}/state.db")
        receiver = Receiver()
        try:
            cases = {q: expected(db, q) for q in PEER_QUESTIONS}
            mismatches = 0
            for question, (parameters, figures) in cases.items():  # warm-up and agreement
                ask(question, db, TODAY)
                rows = peer.by_year(parameters)
                got = {"place": {}, "national": {}}
                for row in rows:
                    if row["quarters"] == 4:
                        got[row["who"]][row["years_back"]] = row["offences"]
                for who in ("place", "national"):
                    if got[who] != figures[who]:
                        mismatches += 1
                        print(f"MISMATCH {question} {who}: {got[who]} vs {figures[who]}")
            local = sqlite3.connect(database)  # the same query without HTTP, for reference
            crimebot_ms, datasette_ms, http_ms, sqlite_ms = [], [], [], []
            sent = 0
            for _ in range(args.repeat):
                for question, (parameters, figures) in cases.items():
                    start = time.perf_counter()
                    ask(question, db, TODAY)
                    crimebot_ms.append((time.perf_counter() - start) * 1000)
                    start = time.perf_counter()
                    peer.by_year(parameters)
                    datasette_ms.append((time.perf_counter() - start) * 1000)
                    start = time.perf_counter()
                    local.execute(BY_YEAR_SQL, parameters).fetchall()
                    sqlite_ms.append((time.perf_counter() - start) * 1000)
                    if server is not None:
                        sent += 1
                        path = f"/response/{sent}"
                        start = time.perf_counter()
                        status, _, _ = server.command(question, f"{receiver.url}{path}")
                        assert status == 200, status
                        arrived, body = receiver.wait(path)
                        http_ms.append((arrived - start) * 1000)
                        current = f"{figures['place'][0]:,}"
                        if current not in body.decode():
                            mismatches += 1
                            print(f"MISMATCH over HTTP {question}: {current} not in the answer")
        finally:
            peer.stop()
            if server is not None:
                server.stop()
            if stub is not None:
                stub.terminate()
            receiver.server.shutdown()

    print(f"{'':<28}{'p50 ms':>8}{'p99 ms':>8}")
    rows = [
        ("crimebot in-process answer", crimebot_ms),
        ("datasette HTTP query", datasette_ms),
        ("sqlite3 in-process query", sqlite_ms),
    ]
    if http_ms:
        rows.append(("crimebot HTTP answer", http_ms))
    for label, values in rows:
        print(f"{label:<28}{statistics.median(values):>8.2f}{percentile(values, 99):>8.2f}")
    figures = {
        "questions": len(cases),
        "repeat": args.repeat,
        "sqlite_build_s": round(build_s, 1),
        "figures_agree": mismatches == 0,
        "answer_p50_ms": round(statistics.median(crimebot_ms), 2),
        "answer_p99_ms": round(percentile(crimebot_ms, 99), 2),
        "datasette_p50_ms": round(statistics.median(datasette_ms), 2),
        "datasette_p99_ms": round(percentile(datasette_ms, 99), 2),
        "sqlite_p50_ms": round(statistics.median(sqlite_ms), 2),
        "ratio_answer_vs_datasette": round(
            statistics.median(crimebot_ms) / statistics.median(datasette_ms), 2
        ),
    }
    if http_ms:
        figures["http_p50_ms"] = round(statistics.median(http_ms), 2)
        figures["http_p99_ms"] = round(percentile(http_ms, 99), 2)
        figures["ratio_http_vs_datasette"] = round(
            statistics.median(http_ms) / statistics.median(datasette_ms), 2
        )
    print(" ".join(f"{k}={v}" for k, v in figures.items()))


if __name__ == "__main__":
    main()
