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

from bot.datastore import versions as datastore
from bot.datastore.manifest import read_manifest
from bot.datastore.versions import DataMissing, DataUnreadable
from bot.settings import QUERIES_DIR

log = logging.getLogger(__name__)


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
# Every rolling year (and single quarter) of recorded offences summed once at load, for each
# force and for England and Wales (force = NATIONAL_NAME, from recorded_national) by offence
# code, at the quarter it ends: an answer then sums one row per code and year instead of four
# quarters, and gets its place's and England and Wales's years in one statement.
# `present` has bit j set when the force had a row for the code j quarters before the year's
# end, so OR-ing it over the codes asked for counts the quarters any of them has, as summing
# by quarter did. Each quarter comes from one release (ingest keeps one per quarter), so a
# year's releases and sample flag depend on its quarters alone. `phase` (the quarter's place
# in the financial year) first in the sort order: a series reads one phase only.
# `territorial`: one of the 43 forces a ranking ranks.
NATIONAL_NAME = "England and Wales"
QUARTER_RELEASES = (
    "SELECT quarter_index, bool_or(sample) AS sample, "
    "string_agg(DISTINCT release::VARCHAR, '; ' ORDER BY release::VARCHAR) AS release "
    "FROM recorded GROUP BY quarter_index"
)
YEAR_RELEASES = (
    "SELECT q.quarter_index, bool_or(w.sample) AS year_sample, "
    "string_agg(DISTINCT w.release, '; ' ORDER BY w.release) AS year_releases "
    "FROM quarter_releases AS q JOIN quarter_releases AS w "
    "ON w.quarter_index BETWEEN q.quarter_index - 3 AND q.quarter_index GROUP BY q.quarter_index"
)
RECORDED_YEARS = f"""
WITH counted AS (
    SELECT force::VARCHAR AS force, offence_code, quarter_index, offences FROM recorded
    UNION ALL
    SELECT '{NATIONAL_NAME}', offence_code, quarter_index, offences FROM recorded_national
), spread AS (
    SELECT force, offence_code, quarter_index + j AS quarter_index, j, offences
    FROM counted, range(4) AS t(j)
), rolled AS (
    SELECT force, offence_code, quarter_index,
           sum(offences)::BIGINT AS year_offences,
           (sum(offences) FILTER (WHERE j = 0))::BIGINT AS offences,
           bit_or((1 << j)::UTINYINT) AS present
    FROM spread
    WHERE quarter_index <= (SELECT max(quarter_index) FROM recorded)
    GROUP BY ALL
)
SELECT r.force::place_name AS force, r.force = '{NATIONAL_NAME}' AS national,
       r.force IN (SELECT force FROM forces WHERE kind = 'territorial') AS territorial,
       r.offence_code,
       r.quarter_index, (r.quarter_index % 4)::UTINYINT AS phase, r.year_offences, r.offences,
       r.present, q.sample, q.release::releases_name AS release, y.year_sample,
       y.year_releases::releases_name AS year_releases
FROM rolled AS r
JOIN quarter_releases AS q USING (quarter_index)
JOIN year_releases AS y USING (quarter_index)
ORDER BY phase, r.quarter_index, r.offence_code, r.force
"""

# The annual force totals and their outcomes, with England and Wales (the 43 territorial
# forces) summed at load under force = NATIONAL_NAME, so an answer reads its place's years and
# England and Wales's in one statement. Outcomes count only where the force has a
# recorded-crime total for the year, so numerator and denominator cover the same forces
# (British Transport Police has outcomes but no total after 2014/15).
ANNUAL_TABLES = {
    "annual_recorded_years": "SELECT force, false AS national, quarter_index, offences, sample, "
    "release AS releases FROM annual_recorded UNION ALL "
    f"SELECT '{NATIONAL_NAME}', true, quarter_index, sum(offences), bool_or(sample), "
    "string_agg(DISTINCT release, '; ' ORDER BY release) "
    f"FROM annual_recorded WHERE {TERRITORIAL} GROUP BY quarter_index "
    "ORDER BY quarter_index, force",
    "annual_outcomes_years": "WITH counted AS (SELECT * FROM annual_outcomes AS o WHERE EXISTS "
    "(SELECT 1 FROM annual_recorded AS r WHERE r.force = o.force "
    "AND r.quarter_index = o.quarter_index)) "
    "SELECT force, false AS national, quarter_index, outcome_type, outcomes_for_recorded, "
    "sample, release AS releases FROM counted UNION ALL "
    f"SELECT '{NATIONAL_NAME}', true, quarter_index, outcome_type, sum(outcomes_for_recorded), "
    "bool_or(sample), string_agg(DISTINCT release, '; ' ORDER BY release) "
    f"FROM counted WHERE {TERRITORIAL} GROUP BY quarter_index, outcome_type "
    "ORDER BY quarter_index, force, outcome_type",
    # Outcomes by offence group, with England and Wales summed at load the same way, each
    # rolling year summed at the quarter it ends, as in recorded_years (`present`, `phase`).
    "group_outcomes_years": f"""
WITH counted AS (
    SELECT force, offence_group, quarter_index, outcome_type, outcomes_for_recorded, sample,
           release::VARCHAR AS release
    FROM group_outcomes
    UNION ALL
    SELECT '{NATIONAL_NAME}', offence_group, quarter_index, outcome_type,
           sum(outcomes_for_recorded), bool_or(sample),
           string_agg(DISTINCT release::VARCHAR, '; ' ORDER BY release::VARCHAR)
    FROM group_outcomes WHERE {TERRITORIAL} GROUP BY offence_group, quarter_index, outcome_type
), spread AS (
    SELECT force, offence_group, outcome_type, quarter_index + j AS quarter_index, j,
           outcomes_for_recorded, sample, release
    FROM counted, range(4) AS t(j)
)
SELECT force, offence_group, outcome_type, quarter_index,
       (quarter_index % 4)::UTINYINT AS phase,
       sum(outcomes_for_recorded)::BIGINT AS year_outcomes,
       (sum(outcomes_for_recorded) FILTER (WHERE j = 0))::BIGINT AS outcomes,
       bit_or((1 << j)::UTINYINT) AS present,
       bool_or(sample) AS year_sample,
       bool_or(sample) FILTER (WHERE j = 0) AS sample,
       string_agg(DISTINCT release, '; ' ORDER BY release) AS year_releases,
       any_value(release) FILTER (WHERE j = 0) AS release
FROM spread
WHERE quarter_index <= (SELECT max(quarter_index) FROM group_outcomes)
GROUP BY force, offence_group, outcome_type, quarter_index
ORDER BY phase, quarter_index, force, offence_group, outcome_type
""",
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
        # An IN list (list_contains of a parameter list) stays a filter on the rows the
        # cheaper filters leave, instead of becoming a hash join built for every statement.
        self._connection.execute("SET disabled_optimizers = 'in_clause'")
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
        self._create_recorded_years()
        for table, select in ANNUAL_TABLES.items():
            self._connection.execute(f"CREATE TABLE {table} AS {select}")

    def _create_recorded_years(self) -> None:
        """recorded_years (see RECORDED_YEARS), its names and releases as ENUMs."""
        run = self._connection.execute
        run(f"CREATE TEMP TABLE quarter_releases AS {QUARTER_RELEASES}")
        run(f"CREATE TEMP TABLE year_releases AS {YEAR_RELEASES}")
        # CREATE TYPE takes no parameters; the national name is our own constant.
        run(
            "CREATE TYPE place_name AS ENUM (SELECT DISTINCT name FROM (SELECT force::VARCHAR "
            f"AS name FROM recorded UNION SELECT '{NATIONAL_NAME}') ORDER BY name)"
        )
        run(
            "CREATE TYPE releases_name AS ENUM (SELECT DISTINCT name FROM (SELECT release AS "
            "name FROM quarter_releases UNION SELECT year_releases FROM year_releases "
            "UNION SELECT '') WHERE name IS NOT NULL ORDER BY name)"
        )
        run(f"CREATE TABLE recorded_years AS {RECORDED_YEARS}")
        run("DROP TABLE quarter_releases")
        run("DROP TABLE year_releases")

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
