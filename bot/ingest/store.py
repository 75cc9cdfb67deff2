"""The parquet dataset in the data directory, and how a new release is merged into it.

Everything is validated and merged in memory first, under the data directory's lock
(two ingests at once run one after the other, neither losing the other's release).
The result is written as a complete new version and made live by replacing one
pointer file (layout: bot/datastore/versions.py), so a failure or a kill at any moment
leaves the old dataset or the new one, and a rerun finishes the job.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pandas as pd

from bot.core.periods import Quarter
from bot.core.reference import forces, outcome_types, seed_offences
from bot.datastore import versions as datastore
from bot.datastore.manifest import MANIFEST, Coverage, Manifest, ReleaseEntry, read_manifest
from bot.datastore.versions import DataUnreadable
from bot.ingest.merge import Rank, merge
from bot.ingest.release import COUNT_COLUMNS, Release

# Where a test may kill the write path (CRIMEBOT_INGEST_DIE_AT=<step>), in order.
STEPS = ("locked", "migrated", "writing", "staged", "versioned", "switched", "linked")
DIED = 70  # the exit status of a run killed at a step


def _step(name: str) -> None:
    """Die here if asked to: how the tests prove a kill at any step loses nothing."""
    if os.environ.get("CRIMEBOT_INGEST_DIE_AT") == name:
        os._exit(DIED)


def table_path(data_dir: Path, kind: str) -> Path:
    """A table's file in the live version (or the plain directory) of ``data_dir``."""
    return datastore.current(data_dir) / f"{kind}.parquet"


def _read(data_dir: Path, kind: str) -> pd.DataFrame | None:
    path = table_path(data_dir, kind)
    if not path.exists():
        return None
    try:
        return pd.read_parquet(path)
    except Exception as error:  # pyarrow raises several types for a damaged file
        raise DataUnreadable(
            f"{path} cannot be read ({error}): fix it with {datastore.fix_command(data_dir)}"
        ) from error


def _coverage(rows: pd.DataFrame) -> Coverage:
    first, last = int(rows["quarter_index"].min()), int(rows["quarter_index"].max())
    return {
        "first_quarter": Quarter.from_index(first).label(),
        "last_quarter": Quarter.from_index(last).label(),
        "first_quarter_index": first,
        "last_quarter_index": last,
        "rows": len(rows),
    }


def _offences_table(existing: pd.DataFrame | None, releases: list[Release]) -> pd.DataFrame:
    seed = pd.DataFrame(seed_offences())
    parts = [seed] + ([existing] if existing is not None else [])
    parts += [r.offences.assign(note="") for r in releases if r.offences is not None]
    table = pd.concat(parts, ignore_index=True)
    table["note"] = table["note"].fillna("")
    notes = table.groupby("offence_code")["note"].agg(lambda n: next((x for x in n if x), ""))
    table = table.drop_duplicates("offence_code", keep="last").drop(columns="note")
    table = table.merge(notes.reset_index(), on="offence_code")
    return table.sort_values(["offence_group", "subgroup", "offence_code"]).reset_index(drop=True)


def _reference_tables() -> dict[str, pd.DataFrame]:
    force_rows = pd.DataFrame(
        [
            {
                "force": f.force,
                "display_name": f.display_name,
                "kind": f.kind.value,
                "region": f.region,
                "country": f.country,
                "aliases": ";".join(f.aliases),
            }
            for f in forces()
        ]
    )
    return {"forces": force_rows, "outcome_types": pd.DataFrame(outcome_types())}


def save(data_dir: Path, releases: list[Release]) -> Manifest:
    """Merge releases into the dataset in ``data_dir`` atomically; return the new manifest.

    The lock is held from reading the live version to switching to the new one: a
    second run waits, then merges into what this one wrote."""
    with datastore.locked(data_dir):
        _step("locked")
        if datastore.is_plain(data_dir):
            datastore.adopt_plain(data_dir)
            _step("migrated")
        datastore.prune(data_dir)  # what a killed run left
        manifest = read_manifest(data_dir)
        live = datastore.live_version(data_dir)
        if releases and live is not None and _loaded_last(manifest, releases):
            # A rerun of a run killed after its switch: finish it, do not add a copy.
            datastore.link_top_level(data_dir, live)
            return manifest
        return _merge_and_write(data_dir, releases)


def _loaded_last(manifest: Manifest, releases: list[Release]) -> bool:
    """These very files (same checksum, date, flag and source) are the last ones loaded:
    merging them again would change nothing but the load times."""
    entries = manifest["releases"][-len(releases) :]
    loaded = {
        tuple(e.get(k) for k in ("release", "sha256", "release_date", "sample", "source"))
        for e in entries
    }
    wanted = {
        (
            r.name,
            r.sha256,
            r.release_date.isoformat() if r.release_date else None,
            r.sample,
            r.source,
        )
        for r in releases
    }
    return len(entries) == len(releases) and loaded == wanted


def _merge_and_write(data_dir: Path, releases: list[Release]) -> Manifest:
    source = datastore.current(data_dir)  # resolved once: every table from one version
    manifest = read_manifest(source)
    by_name = {entry["release"]: entry for entry in manifest["releases"]}
    ranks: dict[str, Rank] = {entry["release"]: _rank(entry) for entry in manifest["releases"]}
    seq = max((entry["seq"] for entry in manifest["releases"]), default=0)
    tables = {kind: _read(source, kind) for kind in COUNT_COLUMNS}
    revisions = [_read(source, "revisions")]
    for release in releases:
        seq += 1
        ranks[release.name] = (release.release_date or dt.date.min, seq)
        by_name[release.name] = _entry(release, seq)
    for kind in COUNT_COLUMNS:
        carrying = [release for release in releases if kind in release.tables]
        if carrying:
            tables[kind], found = merge(tables[kind], carrying, kind, ranks)
            revisions.append(found)
    revision_table = _revision_table(revisions)
    outputs = {kind: table for kind, table in tables.items() if table is not None}
    outputs["offences"] = _offences_table(_read(source, "offences"), releases)
    outputs.update(_reference_tables())
    if revision_table is not None:
        outputs["revisions"] = revision_table
    merged: Manifest = {"releases": sorted(by_name.values(), key=lambda entry: entry["seq"])}
    _write_atomically(data_dir, outputs, merged)
    return merged


def _rank(entry: ReleaseEntry) -> Rank:
    published = entry.get("release_date")
    return (dt.date.fromisoformat(published) if published else dt.date.min, entry["seq"])


def _entry(release: Release, seq: int) -> ReleaseEntry:
    """What the manifest records of a release loaded now, ``seq``-th."""
    return {
        "release": release.name,
        "sha256": release.sha256,
        "release_date": release.release_date.isoformat() if release.release_date else None,
        "sample": release.sample,
        "source": release.source,
        "tables": {kind: _coverage(rows) for kind, rows in release.tables.items()},
        "loaded_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "seq": seq,
    }


REVISION_KEYS = [
    "kind",
    "force",
    "offence_code",
    "outcome_type",
    "quarter_index",
    "measure",
    "old_release",
    "new_release",
]


def _revision_table(revisions: list[pd.DataFrame | None]) -> pd.DataFrame | None:
    """The revisions kept before and found now, each once (the one found last kept)."""
    parts = [r for r in revisions if r is not None and not r.empty]
    if not parts:
        return None
    return pd.concat(parts, ignore_index=True).drop_duplicates(REVISION_KEYS, keep="last")


def _write_atomically(data_dir: Path, outputs: dict[str, pd.DataFrame], manifest: Manifest) -> None:
    """Write every table and the manifest as a new version, then make it live."""
    staging = datastore.new_staging(data_dir)
    for kind, table in outputs.items():
        table.to_parquet(staging / f"{kind}.parquet", index=False, compression="zstd")
        _step("writing")
    (staging / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    datastore.seal(staging)
    _step("staged")
    name = datastore.add_version(data_dir, staging)
    _step("versioned")
    datastore.switch(data_dir, name)
    _step("switched")
    datastore.link_top_level(data_dir, name)
    _step("linked")
    datastore.prune(data_dir)
