"""The SQL files and the locked answering connection."""

from __future__ import annotations

import re

import duckdb
import pytest

from bot.query.named import QUERIES_DIR, named_queries


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_each_query_documents_what_it_answers_and_its_parameters(name):
    query = named_queries()[name]
    header = [line for line in query.sql.splitlines() if line.startswith("--")]
    assert header, f"{name}.sql must start with a comment saying what it answers"
    declared_line = next(
        line for line in header if "Parameters:" in line or line.strip().startswith("-- Parameters")
    )
    declared_text = " ".join(header[header.index(declared_line) :])
    declared = set(re.findall(r"\$([a-z_]+)", declared_text))
    assert declared == set(query.parameters), name
    duckdb.connect().extract_statements(query.sql)  # one parseable statement
    assert len(duckdb.connect().extract_statements(query.sql)) == 1


def test_queries_use_named_parameters_only():
    for path in QUERIES_DIR.glob("*.sql"):
        body = re.sub(r"--.*", "", path.read_text())
        assert "?" not in body, path.name
        assert "{" not in body, f"{path.name}: no string formatting in SQL"


@pytest.mark.parametrize(
    "statement",
    [
        "SELECT * FROM read_csv('/etc/passwd')",
        "SELECT * FROM read_parquet('data/recorded.parquet')",
        "COPY recorded TO '/tmp/crimebot-leak.csv'",
        "ATTACH '/tmp/other.duckdb'",
        "INSTALL httpfs",
        "SET enable_external_access = true",
        "SET lock_configuration = false",
    ],
)
def test_answering_connection_cannot_touch_files(article_db, statement):
    with pytest.raises(duckdb.Error):
        article_db.cursor().execute(statement)


def test_answering_connection_still_reads_its_tables(article_db):
    rows = article_db.query("coverage")
    assert {r["kind"] for r in rows} == {
        "recorded",
        "outcomes",
        "annual_recorded",
        "annual_outcomes",
        "group_outcomes",
    }
