"""The answering database's tables: their empty shapes, the sums made once at load (England
and Wales, every rolling year), and the statements that load them from the parquet files.

Only ``bot.query.database`` runs these; they are here so the Database class reads as what an
answer uses (a locked connection, named queries, reloading) rather than as a page of SQL.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

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


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")


def load_tables(connection: duckdb.DuckDBPyConnection, paths: dict[str, Path]) -> None:
    """Every table of EMPTY_TABLES (from its parquet file, or empty), then the sums."""
    _create_name_types(connection, paths)
    for table, columns in EMPTY_TABLES.items():
        if table not in paths:
            connection.execute(f"CREATE TABLE {table} ({columns})")
            continue
        select, order = BIG_TABLES.get(table, ("*", ""))
        connection.execute(
            f"CREATE TABLE {table} AS SELECT {select} FROM read_parquet($path)"
            + (f" ORDER BY {order}" if order else ""),
            {"path": str(paths[table])},
        )
    for table, select in NATIONAL_TABLES.items():
        connection.execute(f"CREATE TABLE {table} AS {select}")
    _create_recorded_years(connection)
    for table, select in ANNUAL_TABLES.items():
        connection.execute(f"CREATE TABLE {table} AS {select}")


def _create_recorded_years(connection: duckdb.DuckDBPyConnection) -> None:
    """recorded_years (see RECORDED_YEARS), its names and releases as ENUMs."""
    run = connection.execute
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


def _create_name_types(connection: duckdb.DuckDBPyConnection, paths: dict[str, Path]) -> None:
    """ENUM types holding every name the parquet files use (a plain VARCHAR when none)."""
    for type_name, (column, tables) in NAME_TYPES.items():
        # CREATE TYPE takes no parameters; these are our own data paths, quoted.
        sources = [
            f"SELECT {column} AS name FROM read_parquet('{_quoted(paths[t])}')"
            for t in tables
            if t in paths
        ]
        if not sources:
            connection.execute(f"CREATE TYPE {type_name} AS VARCHAR")
            continue
        connection.execute(
            f"CREATE TYPE {type_name} AS ENUM (SELECT DISTINCT name FROM "
            f"({' UNION '.join(sources)}) WHERE name IS NOT NULL ORDER BY name)"
        )
