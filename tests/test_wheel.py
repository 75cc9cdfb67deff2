"""The wheel is the product: built from the project, installed away from the repository, it
answers from its own SQL and shipped data, and keeps that data read-only."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REAL_PFA_2017_18, ROOT

SOURCES = ("bot", "queries", "data", "pyproject.toml", "setup.py", "README.md")


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The wheel built offline from a copy of the sources, unpacked as pip installs it."""
    build = tmp_path_factory.mktemp("wheel-build")
    source = build / "source"
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(
                ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__")
            )
        else:
            source.mkdir(exist_ok=True)
            shutil.copy(ROOT / name, source / name)
    pip = [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation"]
    subprocess.run(
        [*pip, "--no-index", "-w", str(build / "dist"), str(source)],
        check=True,
        capture_output=True,
    )
    [wheel] = (build / "dist").glob("crimebot-*.whl")
    target = build / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(target)
    return target


def run(installed: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """``python ...`` importing only the installed copy, from an unrelated directory."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("CRIMEBOT_", "SLACK_"))}
    return subprocess.run(
        [sys.executable, *args],
        cwd=installed.parent,
        env={**clean, "PYTHONPATH": str(installed), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_wheel_holds_the_sql_and_the_shipped_data(installed):
    queries = {p.name for p in (installed / "bot" / "queries").glob("*.sql")}
    assert queries == {p.name for p in (ROOT / "queries").glob("*.sql")}
    shipped = {p.name for p in (installed / "bot" / "data").iterdir()}
    assert {"recorded.parquet", "manifest.json", "population.parquet"} <= shipped


def test_installed_away_from_the_repository_it_answers_from_its_own_copy(installed):
    where = run(installed, "-c", "import bot; print(bot.__file__)")
    assert Path(where.stdout.strip()).is_relative_to(installed)
    result = run(
        installed, "-m", "bot", "ask", "--json", "harassment Thames Valley year to September 2023"
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert "9,141" in answer["text"]


def test_the_installed_data_is_read_only_and_ingest_names_the_setting(installed, tmp_path):
    csv = tmp_path / "release.csv"
    csv.write_text("not a release\n")
    before = sorted(p.name for p in (installed / "bot" / "data").iterdir())
    result = run(installed, "-m", "bot", "ingest", str(csv))
    assert result.returncode == 1
    assert "CRIMEBOT_DATA_DIR" in result.stderr
    assert sorted(p.name for p in (installed / "bot" / "data").iterdir()) == before


def test_the_first_ingest_into_crimebot_data_dir_starts_from_the_shipped_data(installed, tmp_path):
    writable = tmp_path / "crimebot-data"
    shipped = json.loads((installed / "bot" / "data" / "manifest.json").read_text())
    result = run(
        installed,
        *("-m", "bot", "ingest", str(REAL_PFA_2017_18)),
        CRIMEBOT_DATA_DIR=str(writable),
    )
    assert result.returncode == 0, result.stderr
    live = writable / "versions" / (writable / "CURRENT").read_text().strip()
    releases = {
        entry["release"] for entry in json.loads((live / "manifest.json").read_text())["releases"]
    }
    assert releases == {entry["release"] for entry in shipped["releases"]} | {REAL_PFA_2017_18.name}
    asked = run(
        installed, "-m", "bot", "ask", "burglary Cumbria 2024/25", CRIMEBOT_DATA_DIR=str(writable)
    )
    assert asked.returncode == 0 and "Cumbria" in asked.stdout
