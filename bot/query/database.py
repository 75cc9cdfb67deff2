"""The answering database: the parquet files loaded into memory, then locked.

Loading into tables (not views over parquet) is what lets the connection
refuse every file read, write, COPY, INSTALL and ATTACH afterwards: a query
plan can read only these tables, and nothing can change the data on disk.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import duckdb

from bot import datastore
from bot.datastore import DataMissing, DataUnreadable
from bot.manifest import read_manifest

log = logging.getLogger(__name__)

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
    "group_outcomes": "force VARCHAR, offence_group VARCHAR, quarter_index BIGINT, "
    "outcome_type VARCHAR, outcomes_for_recorded BIGINT, financial_year VARCHAR, "
    "quarter TINYINT, quarter_end DATE, release VARCHAR, sample BOOLEAN",
    "local_totals": "force VARCHAR, area VARCHAR, quarter_index BIGINT, offences BIGINT, "
    "understated BOOLEAN, financial_year VARCHAR, quarter TINYINT, quarter_end DATE, "
    "release VARCHAR, sample BOOLEAN",
    "population": "force VARCHAR, quarter_index BIGINT, population BIGINT, "
    "financial_year VARCHAR, quarter TINYINT, quarter_end DATE, release VARCHAR, sample BOOLEAN",
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
# England and Wales summed once at load: national figures are asked for in nearly every
# answer, and summing every force's rows each time is the slowest part of one.
# England and Wales is the 43 territorial forces, for every measure and period: the one basis
# every table and the population share (British Transport Police and the fraud bodies are
# answered on their own when asked).
TERRITORIAL = "force IN (SELECT force FROM forces WHERE kind = 'territorial')"
NATIONAL_TABLES = {
    "recorded_national": "SELECT offence_code, quarter_index, sum(offences) AS offences, "
    "bool_or(sample) AS sample, any_value(release) AS releases "
    f"FROM recorded WHERE {TERRITORIAL} GROUP BY ALL ORDER BY quarter_index, offence_code",
    "outcomes_national": "SELECT offence_code, outcome_type, quarter_index, "
    "sum(outcomes_for_recorded) AS outcomes_for_recorded, "
    "bool_or(sample) AS sample, any_value(release) AS releases "
    f"FROM outcomes WHERE {TERRITORIAL} GROUP BY ALL "
    "ORDER BY quarter_index, offence_code, outcome_type",
}
# The big tables hold only the columns answers query, names encoded as ENUMs (an ENUM
# compares as a small integer: half the cost of comparing strings, a fraction of the memory),
# sorted by quarter (every answer filters a range of quarters, and DuckDB skips row groups
# by an integer range).
BIG_TABLES = {
    "recorded": (
        "force::force_name AS force, offence_code::code_name AS offence_code, "
        "quarter_index, offences, release::release_name AS release, sample",
        "quarter_index, offence_code, force",
    ),
    "outcomes": (
        "force::force_name AS force, offence_code::code_name AS offence_code, "
        "outcome_type::outcome_type_name AS outcome_type, quarter_index, "
        "outcomes_for_recorded, release::release_name AS release, sample",
        "quarter_index, offence_code, outcome_type, force",
    ),
}
# ENUM type -> (column, tables whose values it must hold)
NAME_TYPES = {
    "force_name": ("force", ("recorded", "outcomes", "forces")),
    "code_name": ("offence_code", ("recorded", "outcomes", "offences")),
    "release_name": ("release", ("recorded", "outcomes")),
    "outcome_type_name": ("outcome_type", ("outcomes", "outcome_types")),
}


def _rows(cursor: duckdb.DuckDBPyConnection) -> list[dict]:
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")


# How often an answer may look for a newer version (one stat of the pointer file).
RELOAD_CHECK_SECONDS = 1.0


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


def check_data(data_dir: Path) -> None:
    """Raise DataMissing (naming the file and the fix) unless every table of the live version
    can be opened: a cheap read of each parquet footer, so a server can refuse to start on a
    damaged directory before it forks workers that would each fail to load it."""
    import pyarrow.parquet as pq

    version = datastore.current(Path(data_dir))
    if not (version / "recorded.parquet").exists():
        raise DataMissing(
            f"no data in {data_dir}: run `python -m bot ingest --shipped` or "
            "`python -m bot ingest FILE...` first"
        )
    read_manifest(version)
    for path in sorted(version.glob("*.parquet")):
        try:
            pq.read_metadata(path)
        except Exception as error:  # pyarrow raises several kinds for a damaged file
            raise DataUnreadable(
                f"{path} cannot be read ({error}): fix it with "
                f"{datastore.fix_command(Path(data_dir))}"
            ) from error


class Database:
    """One version of the data directory, loaded and locked; ``current()`` the newest.

    A loaded Database never changes. ``current()`` notices a newer version (ingested
    while the server runs) and returns it loaded, so an answer that takes ``current()``
    once and uses only that reads one release set from start to finish."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        # Fingerprint first: a switch after it is noticed (and loaded) on a later check.
        self._pointer = datastore.pointer_state(self.data_dir)
        self.version_dir = datastore.current(self.data_dir)
        if not (self.version_dir / "recorded.parquet").exists():
            raise DataMissing(
                f"no data in {self.data_dir}: run `python -m bot ingest FILE...` "
                "(or `python -m bot ingest --shipped`) first"
            )
        self.manifest = read_manifest(self.version_dir)
        self._connection = duckdb.connect(":memory:")
        paths = {t: self.version_dir / f"{t}.parquet" for t in EMPTY_TABLES}
        paths = {t: p for t, p in paths.items() if p.exists()}
        try:
            self._load(paths)
        except duckdb.Error as error:
            raise self._unreadable(paths, error) from error
        self._newer: Database | None = None
        self._checked = time.monotonic()
        self._reload_lock = threading.Lock()
        self._failed_pointer: tuple[int, int] | None = None
        # Answers scan small tables: a second thread costs more than it saves, and a serving
        # process runs many answers side by side anyway.
        self._connection.execute("SET threads = 1")
        self._connection.execute("SET enable_external_access = false")
        self._connection.execute("SET lock_configuration = true")
        self._local = threading.local()
        self.trace: list[tuple[str, dict]] | None = None  # set to a list to record queries
        self._memo: dict[tuple, list[dict]] = {}
        self._memo_lock = threading.Lock()
        self.has_revisions = bool(self.query("revision_count")[0]["revisions"])

    def _load(self, paths: dict[str, Path]) -> None:
        self._create_name_types(paths)
        for table, columns in EMPTY_TABLES.items():
            if table not in paths:
                self._connection.execute(f"CREATE TABLE {table} ({columns})")
                continue
            select, order = BIG_TABLES.get(table, ("*", ""))
            self._connection.execute(
                f"CREATE TABLE {table} AS SELECT {select} FROM read_parquet($path)"
                + (f" ORDER BY {order}" if order else ""),
                {"path": str(paths[table])},
            )
        for table, select in NATIONAL_TABLES.items():
            self._connection.execute(f"CREATE TABLE {table} AS {select}")

    def _unreadable(self, paths: dict[str, Path], error: duckdb.Error) -> DataUnreadable:
        """Which file failed to load (each read alone), and the command that fixes it."""
        culprit = None
        for path in paths.values():
            try:
                duckdb.connect(":memory:").execute(
                    "SELECT * FROM read_parquet($path)", {"path": str(path)}
                ).fetchmany(1)
            except duckdb.Error as problem:
                culprit, error = path, problem
                break
        reason = str(error).splitlines()[0]
        return DataUnreadable(
            f"{culprit or self.version_dir} cannot be read ({reason}): "
            f"fix it with {datastore.fix_command(self.data_dir)}"
        )

    def current(self) -> Database:
        """The newest loaded version of this data directory (self until one is ingested).

        Looks at the pointer at most once every RELOAD_CHECK_SECONDS; the answer that
        sees it changed loads the new version while other answers carry on with the
        old one, then every later answer gets the new one. A version that fails to
        load is logged and skipped: the server keeps answering from what it has."""
        latest = self._newer or self
        now = time.monotonic()
        if now - self._checked < RELOAD_CHECK_SECONDS:
            return latest
        if not self._reload_lock.acquire(blocking=False):
            return latest  # another answer is loading it
        try:
            self._checked = now
            pointer = datastore.pointer_state(self.data_dir)
            if pointer in (latest._pointer, self._failed_pointer):
                return latest
            try:
                newer = Database(self.data_dir)
            except Exception:
                log.exception("could not load the new version of %s", self.data_dir)
                self._failed_pointer = pointer
                return latest
            log.info("loaded %s", newer.version_dir)
            self._newer = newer
            return newer
        finally:
            self._reload_lock.release()

    def _create_name_types(self, paths: dict[str, Path]) -> None:
        """ENUM types holding every name the parquet files use (a plain VARCHAR when none)."""
        for type_name, (column, tables) in NAME_TYPES.items():
            # CREATE TYPE takes no parameters; these are our own data paths, quoted.
            sources = [
                f"SELECT {column} AS name FROM read_parquet('{_quoted(paths[t])}')"
                for t in tables
                if t in paths
            ]
            if not sources:
                self._connection.execute(f"CREATE TYPE {type_name} AS VARCHAR")
                continue
            self._connection.execute(
                f"CREATE TYPE {type_name} AS ENUM (SELECT DISTINCT name FROM "
                f"({' UNION '.join(sources)}) WHERE name IS NOT NULL ORDER BY name)"
            )

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A cursor for this thread: one connection shared by threads fails under load."""
        cursor = getattr(self._local, "cursor", None)
        if cursor is None:
            cursor = self._local.cursor = self._connection.cursor()
        return cursor

    def query(self, name: str, **parameters: object) -> list[dict]:
        query = named_queries()[name]
        if self.trace is not None:
            self.trace.append((name, parameters))
        return _rows(self.cursor().execute(query.sql, parameters))

    def reference(self, name: str, **parameters: object) -> list[dict]:
        """A query about the shape of the data (coverage, offence codes), run once per
        process: the tables cannot change after loading."""
        key = (
            name,
            *sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in parameters.items()),
        )
        with self._memo_lock:
            found = self._memo.get(key)
        if found is None:
            found = self.query(name, **parameters)
            with self._memo_lock:
                self._memo[key] = found
        return found

    def table(self, sql_table: str) -> list[dict]:
        """A whole reference table (forces, offences, outcome_types): small, read once."""
        if sql_table not in EMPTY_TABLES:
            raise ValueError(f"unknown table {sql_table}")
        return _rows(self.cursor().execute(f"SELECT * FROM {sql_table}"))

    @property
    def is_sample(self) -> bool:
        return any(entry.get("sample") for entry in self.manifest["releases"])
