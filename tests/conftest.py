from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url
from sqlalchemy.pool import NullPool

from bot.ingest import ingest
from bot.query.database import Database
from tests.fixtures.article import build_release
from tests.slack_stub import SlackStub

ROOT = Path(__file__).resolve().parents[1]
REAL_PFA_2017_18 = ROOT / "raw" / "pfa-2017-18" / "prc-pfa-mar2013-onwards-tables201718.csv"
TODAY = dt.date(2026, 11, 22)
# A Postgres database the state tests may create schemas in (.ci/run starts one and sets it).
POSTGRES_URL = os.environ.get("CRIMEBOT_TEST_POSTGRES_URL", "")


@pytest.fixture(scope="session")
def article_files(tmp_path_factory) -> list[Path]:
    return build_release(tmp_path_factory.mktemp("article-release"))


@pytest.fixture(scope="session")
def article_data(tmp_path_factory, article_files) -> Path:
    """The article's release ingested once; tests that change data copy it first."""
    data_dir = tmp_path_factory.mktemp("article-data")
    ingest(article_files, data_dir, progress=False)
    return data_dir


@pytest.fixture(scope="session")
def article_db(article_data) -> Database:
    return Database(article_data)


@pytest.fixture(scope="module")
def stub():
    """A local Slack Web API that records what the bot sends."""
    stub = SlackStub()
    yield stub
    stub.close()


@pytest.fixture
def data_copy(article_data, tmp_path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(article_data, target)
    return target


def checksums(directory: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(directory.iterdir())
        if p.is_file()
    }


def postgres_or_skip() -> str:
    """CRIMEBOT_TEST_POSTGRES_URL, or skip; in CI (CI=true) its absence is a failure."""
    if POSTGRES_URL:
        return POSTGRES_URL
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail("CI must run the Postgres state tests: set CRIMEBOT_TEST_POSTGRES_URL")
    pytest.skip("CRIMEBOT_TEST_POSTGRES_URL is not set (no Postgres to test against)")


@pytest.fixture
def postgres_schema_url(monkeypatch) -> str:
    """A state URL for an empty Postgres schema of this test's own, dropped afterwards (with
    the connections the test's States pooled: unclosed ones warn, and warnings are errors)."""
    import bot.state.store

    base = postgres_or_skip()
    engines = []
    make_engine = bot.state.store._engine

    def tracked(url: str):
        engines.append(make_engine(url))
        return engines[-1]

    monkeypatch.setattr(bot.state.store, "_engine", tracked)
    schema = f"test_{uuid.uuid4().hex[:16]}"
    admin = create_engine(base, poolclass=NullPool)
    with admin.begin() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    yield url.render_as_string(hide_password=False)
    for engine in engines:
        engine.dispose()
    with admin.begin() as connection:
        connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def state_url(request, tmp_path) -> str:
    """A fresh state database: a SQLite file, and (when CRIMEBOT_TEST_POSTGRES_URL is set) a
    Postgres schema of the test's own."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'state.db'}"
    return request.getfixturevalue("postgres_schema_url")
