"""The answering database: the parquet files loaded into memory, then locked.

Loading into tables (not views over parquet) is what lets the connection
refuse every file read, write, COPY, INSTALL and ATTACH afterwards: a query
plan can read only these tables, and nothing can change the data on disk.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

import duckdb

from bot.datastore import versions as datastore
from bot.datastore.manifest import read_manifest
from bot.datastore.versions import DataMissing, DataUnreadable
from bot.query.named import named_queries
from bot.query.tables import EMPTY_TABLES, load_tables

T = TypeVar("T")

log = logging.getLogger(__name__)


Row = dict[str, Any]  # one result row: column name -> value


def _rows(cursor: duckdb.DuckDBPyConnection) -> list[Row]:
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


# How often an answer may look for a newer version (one stat of the pointer file).
RELOAD_CHECK_SECONDS = 1.0


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
            load_tables(self._connection, paths)
        except duckdb.Error as error:
            raise self._unreadable(paths, error) from error
        self._newer: Database | None = None
        self._checked = time.monotonic()
        self._reload_lock = threading.Lock()
        self._failed_pointer: tuple[int, int] | None = None
        # Answers scan small tables: a second thread costs more than it saves, and a serving
        # process runs many answers side by side anyway.
        self._connection.execute("SET threads = 1")
        # An IN list (list_contains of a parameter list) stays a filter on the rows the
        # cheaper filters leave, instead of becoming a hash join built for every statement;
        # the keys of a small GROUP BY are not compressed and decompressed again (0.1 ms).
        self._connection.execute("SET disabled_optimizers = 'in_clause,compressed_materialization'")
        self._connection.execute("SET enable_external_access = false")
        self._connection.execute("SET lock_configuration = true")
        self._local = threading.local()
        self.trace: list[tuple[str, dict[str, object]]] | None = (
            None  # set to a list to record queries
        )
        self._memo: dict[tuple[object, ...], object] = {}
        self._memo_lock = threading.Lock()
        self.has_revisions = bool(self.query("revision_count")[0]["revisions"])

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

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A cursor for this thread: one connection shared by threads fails under load."""
        cursor = getattr(self._local, "cursor", None)
        if cursor is None:
            cursor = self._local.cursor = self._connection.cursor()
            self._local.statements = {}
        return cursor

    def query(self, name: str, **parameters: object) -> list[Row]:
        """Run a named query, parsed once per thread: DuckDB's parser is a quarter of a
        small statement's time, and a parsed statement runs again with new parameters."""
        cursor = self.cursor()
        statements: dict[str, duckdb.Statement] = self._local.statements
        statement = statements.get(name)
        if statement is None:
            (statement,) = cursor.extract_statements(named_queries()[name].sql)
            statements[name] = statement
        if self.trace is not None:
            self.trace.append((name, parameters))
        return _rows(cursor.execute(statement, parameters))

    def reference(self, name: str, **parameters: object) -> list[Row]:
        """A query about the shape of the data (coverage, offence codes) or its reference
        figures (residents), run once per process: the tables cannot change after loading."""
        key = (
            name,
            *sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in parameters.items()),
        )
        return self.remembered(key, lambda: self.query(name, **parameters))

    def remembered(self, key: tuple[object, ...], work: Callable[[], T]) -> T:
        """``work()``, done once per loaded version (two threads at once may both do it):
        what this data says, or what is made of it, cannot change."""
        with self._memo_lock:
            if key in self._memo:
                return cast(T, self._memo[key])
        found = work()
        with self._memo_lock:
            self._memo[key] = found
        return found

    def table(self, sql_table: str) -> list[Row]:
        """A whole reference table (forces, offences, outcome_types): small, read once."""
        if sql_table not in EMPTY_TABLES:
            raise ValueError(f"unknown table {sql_table}")
        return _rows(self.cursor().execute(f"SELECT * FROM {sql_table}"))

    @property
    def is_sample(self) -> bool:
        return any(entry.get("sample") for entry in self.manifest["releases"])
