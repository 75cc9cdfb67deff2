"""The named queries: one SQL file per question shape in ``queries/``, each with DuckDB
``$named`` parameters only (a test checks that each file's declared and used parameters agree)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from bot.settings import QUERIES_DIR


@dataclass(frozen=True)
class NamedQuery:
    name: str
    sql: str
    parameters: frozenset[str]


@cache
def named_queries() -> dict[str, NamedQuery]:
    queries = {}
    for path in sorted(QUERIES_DIR.glob("*.sql")):
        sql = path.read_text(encoding="utf-8")
        parameters = frozenset(re.findall(r"\$([a-z_]+)", re.sub(r"--.*", "", sql)))
        queries[path.stem] = NamedQuery(path.stem, sql, parameters)
    return queries
