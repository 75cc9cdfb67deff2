"""Whole-answer latency (parse + SQL + sentence) against the bare DuckDB execution of the
same SQL with the same parameters, on the shipped dataset, in one warmed-up process.

    python benchmarks/answer_latency.py [--repeat 20]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.answers.ask import ask  # noqa: E402
from bot.parse import parse  # noqa: E402
from bot.query.database import Database  # noqa: E402
from bot.query.named import named_queries  # noqa: E402

TODAY = dt.date(2026, 11, 22)
PLACES = [
    "Thames Valley",
    "Cumbria",
    "the Met",
    "GMP",
    "Kent",
    "West Yorkshire",
    "Essex",
    "South Wales",
    "Devon & Cornwall",
    "Merseyside",
]
QUESTIONS = (
    [f"harassment {p} 2024/25" for p in PLACES[:10]]
    # The shipped data has outcomes for all crime by financial year and by offence group for
    # 2024/25 (no offence-level outcomes offline): the charge-rate mix asks those.
    + [
        f"charge rate for {o} in {p} 2024/25"
        for o, p in zip(["violent crime", "all crime"] * 5, PLACES[:10], strict=True)
    ]
    + [f"burglary in {p} over ten years" for p in PLACES[:10]]
    + [
        "which force has the lowest charge rate 2024/25",
        "which force recorded the most shoplifting",
        "top 5 forces for knife crime",
        "which force has the highest crime rate",
        "rank forces by harassment",
        "which force had the fewest burglaries",
        "biggest rise in shoplifting",
        "which forces recorded the most violent crime",
        "league table for sexual offences",
        "top five forces per head for burglary",
    ]
    + [
        f"compare {o} in {a} and {b}"
        for o, a, b in [
            ("burglary", "the Met", "GMP"),
            ("stalking", "Kent", "Essex"),
            ("harassment", "Cumbria", "Lancashire"),
            ("shoplifting", "Merseyside", "West Yorkshire"),
            ("knife crime", "South Wales", "Gwent"),
            ("robbery", "Thames Valley", "Hampshire"),
            ("violent crime", "Sussex", "Surrey"),
            ("rape", "Norfolk", "Suffolk"),
            ("theft", "Dorset", "Wiltshire"),
            ("drug offences", "Durham", "Cleveland"),
        ]
    ]
)
KINDS = ["count"] * 10 + ["charge rate"] * 10 + ["trend"] * 10 + ["rank"] * 10 + ["compare"] * 10


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    db = Database(ROOT / "data")
    traces = {}
    for question in QUESTIONS:  # warm-up, then the SQL each warmed answer runs
        db.trace = None
        ask(question, db, TODAY)
        db.trace = []
        answer, _ = ask(question, db, TODAY)
        assert answer.is_answer, (question, answer.text)
        traces[question] = db.trace
    db.trace = None
    cursor = db.cursor()
    # Parsed once, as Database.query parses each named query once per thread.
    statements = {
        name: cursor.extract_statements(named_queries()[name].sql)[0]
        for trace in traces.values()
        for name, _ in trace
    }

    def bare_sql(question: str) -> None:
        for name, parameters in traces[question]:
            cursor.execute(statements[name], parameters)
            cursor.fetchall()

    answer_ms: dict[str, list[float]] = {q: [] for q in QUESTIONS}
    sql_ms: dict[str, list[float]] = {q: [] for q in QUESTIONS}
    parse_ms: list[float] = []
    for _ in range(args.repeat):
        for question in QUESTIONS:
            start = time.perf_counter()
            ask(question, db, TODAY)
            answer_ms[question].append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            bare_sql(question)
            sql_ms[question].append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            parse(question, TODAY)
            parse_ms.append((time.perf_counter() - start) * 1000)

    print(f"{'kind':<12}{'queries':>8}{'answer p50 ms':>15}{'sql p50 ms':>12}{'ratio':>7}")
    for kind in dict.fromkeys(KINDS):
        qs = [q for q, k in zip(QUESTIONS, KINDS, strict=True) if k == kind]
        a = statistics.median([v for q in qs for v in answer_ms[q]])
        s = statistics.median([v for q in qs for v in sql_ms[q]])
        n = statistics.mean(len(traces[q]) for q in qs)
        print(f"{kind:<12}{n:>8.1f}{a:>15.2f}{s:>12.2f}{a / s:>7.2f}")
    answers = [v for values in answer_ms.values() for v in values]
    sqls = [v for values in sql_ms.values() for v in values]
    figures = {
        "questions": len(QUESTIONS),
        "repeat": args.repeat,
        "answer_p50_ms": round(statistics.median(answers), 2),
        "answer_p99_ms": round(percentile(answers, 99), 2),
        "sql_p50_ms": round(statistics.median(sqls), 2),
        "sql_p99_ms": round(percentile(sqls, 99), 2),
        "parse_p50_ms": round(statistics.median(parse_ms), 3),
        "parse_p99_ms": round(percentile(parse_ms, 99), 3),
        "ratio_answer_vs_sql": round(statistics.median(answers) / statistics.median(sqls), 2),
        "statements_per_answer": round(statistics.mean(len(t) for t in traces.values()), 2),
    }
    print(" ".join(f"{k}={v}" for k, v in figures.items()))


if __name__ == "__main__":
    main()
