from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from pathlib import Path

import pytest

from bot.ingest import ingest
from bot.query.database import Database
from tests.fixtures.article import build_release
from tests.slack_stub import SlackStub

ROOT = Path(__file__).resolve().parents[1]
REAL_PFA_2017_18 = ROOT / "raw" / "pfa-2017-18" / "prc-pfa-mar2013-onwards-tables201718.csv"
TODAY = dt.date(2026, 11, 22)


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
