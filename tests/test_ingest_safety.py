"""Data safety: ingests at once, ingests killed at any step, rollback, a server picking up a
new release, and a damaged data directory stopping with a message instead of a traceback."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from bot.answers.ask import ask
from bot.cli.main import main
from bot.core.periods import Quarter
from bot.datastore import versions as datastore
from bot.ingest import ingest
from bot.ingest.store import DIED, STEPS
from bot.query import database
from bot.query.database import Database
from tests.conftest import ROOT, TODAY, checksums
from tests.fixtures.article import write_pfa_workbook

QUESTION = "harassment Thames Valley year to September 2023"
YEAR_TO_SEPT_2023 = [Quarter(2022, 3), Quarter(2022, 4), Quarter(2023, 1), Quarter(2023, 2)]
REVISED_JAN = "prc-pfa-mar2013-onwards-tables-180124.xlsx"  # in the base: its revisions too
REVISED_APR = "prc-pfa-mar2013-onwards-tables-250424.xlsx"  # what each test ingests


def run_ingest(
    data_dir: Path, *args: str, die_at: str | None = None, log: Path | None = None
) -> subprocess.Popen:
    """A real `python -m bot ingest` in its own process (its stderr in ``log``)."""
    env = {**os.environ, "CRIMEBOT_INGEST_DIE_AT": die_at or ""}
    command = [sys.executable, "-m", "bot", "ingest", "--data-dir", str(data_dir), *args]
    with open(log or os.devnull, "w") as stderr:
        return subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=stderr
        )


def answer_text(data_dir: Path) -> str:
    return ask(QUESTION, Database(data_dir), TODAY)[0].text


def live_tables(data_dir: Path) -> dict[str, str]:
    """Checksums of the live version's tables, and its manifest less the load times."""
    live = datastore.current(data_dir)
    sums = {name: sha for name, sha in checksums(live).items() if name.endswith(".parquet")}
    manifest = json.loads((live / "manifest.json").read_text())
    for entry in manifest["releases"]:
        del entry["loaded_at"]
    return {**sums, "manifest": json.dumps(manifest, sort_keys=True)}


@pytest.fixture(scope="module")
def releases(tmp_path_factory, article_files) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("revisions")
    january = {
        ("Thames Valley", "8L", q): v
        for q, v in zip(YEAR_TO_SEPT_2023, [2311, 2408, 2408, 2600], strict=True)
    }
    april = {("Thames Valley", "8L", Quarter(2023, 2)): 2700, ("Kent", "8L", Quarter(2023, 2)): 1}
    return {
        "january": write_pfa_workbook(folder / REVISED_JAN, january),
        "april": write_pfa_workbook(folder / REVISED_APR, april),
    }


@pytest.fixture(scope="module")
def plain_base(tmp_path_factory, article_files, releases) -> Path:
    """The article's release and a January revision, as a plain directory (files at its top,
    like the shipped data/): what an install from before versions has."""
    built = tmp_path_factory.mktemp("built")
    ingest([*article_files, releases["january"]], built, progress=False)
    plain = tmp_path_factory.mktemp("plain") / "data"
    shutil.copytree(datastore.current(built), plain)
    return plain


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory, plain_base, releases) -> Path:
    data_dir = tmp_path_factory.mktemp("uninterrupted") / "data"
    shutil.copytree(plain_base, data_dir)
    ingest([releases["april"]], data_dir, progress=False)
    return data_dir


@pytest.fixture
def data_dir(plain_base, tmp_path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(plain_base, target)
    return target


def test_two_ingests_at_once_keep_both_releases(tmp_path, article_files):
    """The second run waits for the first (and says so) instead of overwriting it."""
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    logs = [tmp_path / "pfa.log", tmp_path / "outcomes.log"]
    with open(data_dir / datastore.LOCK, "a+b") as held:  # as if a third ingest were writing
        fcntl.flock(held, fcntl.LOCK_EX)
        runs = [
            run_ingest(data_dir, *map(str, files), log=log)
            for files, log in zip([article_files[:1], article_files[1:]], logs, strict=True)
        ]
        deadline = time.monotonic() + 60
        while not all("waiting" in log.read_text() for log in logs):
            assert time.monotonic() < deadline, [log.read_text() for log in logs]
            assert all(run.poll() is None for run in runs), "an ingest finished without waiting"
            time.sleep(0.1)
    assert [run.wait(timeout=120) for run in runs] == [0, 0]
    manifest = Database(data_dir).manifest
    assert {entry["release"] for entry in manifest["releases"]} == {f.name for f in article_files}
    recorded = pd.read_parquet(datastore.current(data_dir) / "recorded.parquet")
    outcomes = pd.read_parquet(datastore.current(data_dir) / "outcomes.parquet")
    assert set(recorded["release"]) == {article_files[0].name}
    assert set(outcomes["release"]) == {f.name for f in article_files[1:]}


@pytest.mark.parametrize("step", STEPS)
def test_an_ingest_killed_at_any_step_leaves_old_or_new_and_a_rerun_converges(
    step, data_dir, plain_base, uninterrupted, releases
):
    old, new = answer_text(plain_base), answer_text(uninterrupted)
    assert "9,727" in old and "9,827" in new  # the April release revises the year's total
    run = run_ingest(data_dir, str(releases["april"]), die_at=step)
    assert run.wait(timeout=120) == DIED

    # Exactly the old answer until the pointer switched, exactly the new one from then on.
    switched = STEPS.index(step) >= STEPS.index("switched")
    assert answer_text(data_dir) == (new if switched else old)
    live = datastore.current(data_dir)
    manifest = json.loads((live / "manifest.json").read_text())
    recorded = pd.read_parquet(live / "recorded.parquet")
    cited = {e["release"] for e in manifest["releases"] if "recorded" in e["tables"]}
    assert cited == set(recorded["release"])  # no release cited without its rows, or rows without
    revisions = pd.read_parquet(live / "revisions.parquet")
    assert REVISED_JAN in set(revisions["new_release"])  # the January revisions survive
    assert (REVISED_APR in set(revisions["new_release"])) == switched

    ingest([releases["april"]], data_dir, progress=False)  # the operator reruns it
    assert live_tables(data_dir) == live_tables(uninterrupted)
    assert len(datastore.versions(data_dir)) == len(datastore.versions(uninterrupted)) == 2
    assert answer_text(data_dir) == new
    top = checksums(data_dir)  # the top-level links show the live version too
    assert top["recorded.parquet"] == checksums(datastore.current(data_dir))["recorded.parquet"]
    assert not list((data_dir / "versions").glob(".staging-*"))


def test_rollback_returns_to_the_previous_version_and_says_which(data_dir, releases, capsys):
    old = answer_text(data_dir)
    assert main(["ingest", "--data-dir", str(data_dir), "--rollback"]) == 1
    assert "no ingest has written a version there yet" in capsys.readouterr().err
    ingest([releases["april"]], data_dir, progress=False)
    assert answer_text(data_dir) != old
    april = str(releases["april"])
    assert main(["ingest", "--data-dir", str(data_dir), "--rollback", april]) == 1
    assert "--rollback takes no files" in capsys.readouterr().err
    assert main(["ingest", "--data-dir", str(data_dir), "--rollback"]) == 0
    out = capsys.readouterr().out
    assert f"Rolled back {data_dir} from version 000002-" in out
    assert "to version 000001-" in out  # the plain directory's data, kept as version 1
    assert f"No longer loaded: {REVISED_APR}" in out
    assert answer_text(data_dir) == old
    assert main(["ingest", "--data-dir", str(data_dir), "--rollback"]) == 1
    assert "has no earlier version to roll back to" in capsys.readouterr().err


def test_only_the_newest_versions_are_kept(data_dir, releases):
    dead = data_dir / "versions" / ".staging-999999"  # what a killed run leaves
    dead.mkdir(parents=True)
    for name in ["april", "january", "april", "january"]:
        ingest([releases[name]], data_dir, progress=False)
    kept = datastore.versions(data_dir)
    assert len(kept) == datastore.KEEP
    assert datastore.live_version(data_dir) == kept[-1]
    assert not dead.exists()


def test_a_running_server_answers_from_a_release_ingested_meanwhile(
    data_dir, releases, monkeypatch
):
    db = Database(data_dir)
    before, _ = ask(QUESTION, db, TODAY)
    assert "9,727" in before.text
    run = run_ingest(data_dir, str(releases["april"]))
    assert run.wait(timeout=120) == 0
    monkeypatch.setattr(database, "RELOAD_CHECK_SECONDS", 0)
    after, _ = ask(QUESTION, db, TODAY)
    assert "recorded 9,827 harassment offences" in after.text
    assert REVISED_APR in " ".join(e["release"] for e in db.current().manifest["releases"])
    assert "2024-04-25" in after.source or "25 April 2024" in after.source
    assert db.current() is db.current()  # loaded once, not per answer


def test_an_answer_reads_one_loaded_version_throughout(article_db, monkeypatch):
    """However many queries an answer runs, it asks for the current version once."""
    calls = []
    original = Database.current

    def counted(self):
        calls.append(self)
        return original(self)

    monkeypatch.setattr(Database, "current", counted)
    ask("compare burglary in the Met and GMP", article_db, TODAY)
    ask("charge rate harassment Thames Valley 2023", article_db, TODAY)
    assert len(calls) == 2


def test_a_damaged_new_version_is_skipped_and_the_server_keeps_answering(
    data_dir, releases, monkeypatch
):
    db = Database(data_dir)
    ingest([releases["april"]], data_dir, progress=False)
    recorded = datastore.current(data_dir) / "recorded.parquet"
    recorded.write_bytes(recorded.read_bytes()[:200])
    monkeypatch.setattr(database, "RELOAD_CHECK_SECONDS", 0)
    assert db.current() is db
    assert "9,727" in ask(QUESTION, db, TODAY)[0].text


def test_a_truncated_table_stops_with_the_file_and_the_fix(data_dir, releases, capsys):
    ingest([releases["april"]], data_dir, progress=False)
    recorded = datastore.current(data_dir) / "recorded.parquet"
    recorded.write_bytes(recorded.read_bytes()[: recorded.stat().st_size // 2])
    assert main(["ask", "--data-dir", str(data_dir), QUESTION]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"error: {recorded} cannot be read")
    assert f"python -m bot ingest --data-dir {data_dir} --rollback" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert main(["ingest", "--data-dir", str(data_dir), str(releases["january"])]) == 1
    assert f"error: {recorded} cannot be read" in capsys.readouterr().err
    assert main(["ingest", "--data-dir", str(data_dir), "--rollback"]) == 0
    assert main(["ask", "--data-dir", str(data_dir), QUESTION]) == 0
    assert "9,727" in capsys.readouterr().out


def test_a_plain_directory_with_a_damaged_file_points_at_a_rebuild(data_dir, capsys):
    (data_dir / "outcomes.parquet").write_bytes(b"PAR1 not really")
    assert main(["ask", "--data-dir", str(data_dir), QUESTION]) == 1
    err = capsys.readouterr().err
    assert f"{data_dir / 'outcomes.parquet'} cannot be read" in err
    assert f"python -m bot ingest --data-dir {data_dir} --shipped" in err
    (data_dir / "manifest.json").write_text('{"releases": [')
    assert main(["ask", "--data-dir", str(data_dir), QUESTION]) == 1
    assert f"{data_dir / 'manifest.json'} cannot be read" in capsys.readouterr().err


def test_a_pointer_to_a_missing_version_names_the_pointer(data_dir, releases, capsys):
    ingest([releases["april"]], data_dir, progress=False)
    shutil.rmtree(datastore.current(data_dir))
    assert main(["ask", "--data-dir", str(data_dir), QUESTION]) == 1
    err = capsys.readouterr().err
    assert f"{data_dir / 'CURRENT'} names version" in err and "--rollback" in err
    assert main(["ask", "--data-dir", str(data_dir / "nothing-here"), QUESTION]) == 1
    assert "run `python -m bot ingest" in capsys.readouterr().err


def test_the_suggested_shipped_rebuild_fixes_a_versioned_directory(tmp_path, releases, capsys):
    data_dir = tmp_path / "data"
    ingest([releases["april"]], data_dir, progress=False)  # one version: nothing to roll back to
    recorded = datastore.current(data_dir) / "recorded.parquet"
    recorded.write_bytes(recorded.read_bytes()[:100])
    assert main(["ask", "--data-dir", str(data_dir), QUESTION]) == 1
    fix = f"python -m bot ingest --data-dir {data_dir} --shipped"
    assert fix in capsys.readouterr().err
    assert main(fix.split()[3:]) == 0
    assert main(["ask", "--data-dir", str(data_dir), QUESTION]) == 0
    assert len(datastore.versions(data_dir)) == 2  # the damaged one stays, for the record


def test_a_first_ingest_killed_before_its_switch_leaves_no_data_and_a_rerun_one_version(
    tmp_path, releases, capsys
):
    data_dir = tmp_path / "data"
    run = run_ingest(data_dir, str(releases["april"]), die_at="versioned")
    assert run.wait(timeout=120) == DIED
    assert main(["ask", "--data-dir", str(data_dir), QUESTION]) == 1
    assert f"no data in {data_dir}" in capsys.readouterr().err
    ingest([releases["april"]], data_dir, progress=False)
    assert len(datastore.versions(data_dir)) == 1  # the dead run's version is gone
