"""The answering database: the parquet files loaded into memory, then locked.

Loading into tables (not views over parquet) is what lets the connection
refuse every file read, write, COPY, INSTALL and ATTACH afterwards: a query
plan can read only these tables, and nothing can change the data on disk.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import duckdb

from bot.ingest.store import read_manifest

QUERIES_DIR = Path(__file__).resolve().parents[2] / "queries"

# Empty shapes for tables a dataset may not have yet (no outcomes loaded, no revisions).
EMPTY_TABLES = {
    "recorded": "force VARCHAR, offence_code VARCHAR, quarter_index BIGINT, offences BIGINT, "
    "financial_year VARCHAR, quarter TINYINT, quarter_end DATE, release VARCHAR, "
    "sample BOOLEAN",
    "outcomes": "force VARCHAR, offence_code VARCHAR, quarter_index BIGINT, outcome_type VARCHAR, "
    "outcomes_for_recorded BIGINT, outcomes_in_quarter BIGINT, financial_year VARCHAR, "
    "quarter TINYINT, quarter_end DATE, release VARCHAR, sample BOOLEAN",
    "annual_recorded": "force VARCHAR, quarter_index BIGINT, offences BIGINT, "
    "financial_year VARCHAR, quarter TINYINT, quarter_end DATE, release VARCHAR, sample BOOLEAN",
    "annual_outcomes": "force VARCHAR, quarter_index BIGINT, outcome_type VARCHAR, "
    "outcomes_for_recorded BIGINT, financial_year VARCHAR, quarter TINYINT, quarter_end DATE, "
    "release VARCHAR, sample BOOLEAN",
    "revisions": "kind VARCHAR, force VARCHAR, offence_code VARCHAR, outcome_type VARCHAR, "
    "quarter_index BIGINT, measure VARCHAR, old_value BIGINT, old_release VARCHAR, "
    "new_value BIGINT, new_release VARCHAR",
    "offences": "offence_code VARCHAR, offence VARCHAR, subgroup VARCHAR, offence_group VARCHAR, "
    "note VARCHAR",
    "forces": "force VARCHAR, display_name VARCHAR, kind VARCHAR, region VARCHAR, "
    "country VARCHAR, aliases VARCHAR",
    "outcome_types": "outcome_type VARCHAR, short_name VARCHAR, description VARCHAR, "
    "outcome_group VARCHAR",
}
# Sorting by the filter keys lets DuckDB's zone maps skip most row groups.
SORT_KEYS = {
    "recorded": "offence_code, force, quarter_index",
    "outcomes": "offence_code, outcome_type, force, quarter_index",
}


class DataMissing(Exception):
    """The data directory has no recorded-crime table: nothing has been ingested."""


@dataclass(frozen=True)
class NamedQuery:
    name: str
    sql: str
    parameters: frozenset[str]
    description: str


@cache
def named_queries() -> dict[str, NamedQuery]:
    queries = {}
    for path in sorted(QUERIES_DIR.glob("*.sql")):
        sql = path.read_text(encoding="utf-8")
        comment = " ".join(
            line.removeprefix("--").strip() for line in sql.splitlines() if line.startswith("--")
        )
        parameters = frozenset(re.findall(r"\$([a-z_]+)", re.sub(r"--.*", "", sql)))
        queries[path.stem] = NamedQuery(path.stem, sql, parameters, comment)
    return queries


class Database:
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        if not (self.data_dir / "recorded.parquet").exists():
            raise DataMissing(
                f"no data in {self.data_dir}: run `python -m bot ingest FILE...` first"
            )
        self.manifest = read_manifest(self.data_dir)
        self._connection = duckdb.connect(":memory:")
        for table, columns in EMPTY_TABLES.items():
            path = self.data_dir / f"{table}.parquet"
            if path.exists():
                order = f" ORDER BY {SORT_KEYS[table]}" if table in SORT_KEYS else ""
                self._connection.execute(
                    f"CREATE TABLE {table} AS SELECT * FROM read_parquet($path){order}",
                    {"path": str(path)},
                )
            else:
                self._connection.execute(f"CREATE TABLE {table} ({columns})")
        self._connection.execute("SET enable_external_access = false")
        self._connection.execute("SET lock_configuration = true")
        self._local = threading.local()

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A cursor for this thread: one connection shared by threads fails under load."""
        cursor = getattr(self._local, "cursor", None)
        if cursor is None:
            cursor = self._local.cursor = self._connection.cursor()
        return cursor

    def query(self, name: str, **parameters: object) -> list[dict]:
        query = named_queries()[name]
        cursor = self.cursor()
        cursor.execute(query.sql, parameters)
        columns = [d[0] for d in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]

    def table(self, sql_table: str) -> list[dict]:
        """A whole reference table (forces, offences, outcome_types): small, read once."""
        if sql_table not in EMPTY_TABLES:
            raise ValueError(f"unknown table {sql_table}")
        cursor = self.cursor()
        cursor.execute(f"SELECT * FROM {sql_table}")
        columns = [d[0] for d in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]

    @property
    def is_sample(self) -> bool:
        return any(entry.get("sample") for entry in self.manifest["releases"])

    def sources(self, releases: set[str]) -> list[dict]:
        return [e for e in self.manifest["releases"] if e["release"] in releases]
