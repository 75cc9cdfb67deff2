"""The parquet dataset in the data directory, and how a new release is merged into it.

Everything is validated and merged in memory first, under the data directory's lock
(two ingests at once run one after the other, neither losing the other's release).
The result is written as a complete new version and made live by replacing one
pointer file (layout: bot/datastore.py), so a failure or a kill at any moment
leaves the old dataset or the new one, and a rerun finishes the job.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from bot.core.periods import Quarter
from bot.core.reference import forces, outcome_types, seed_offences
from bot.datastore import versions as datastore
from bot.datastore.manifest import MANIFEST, read_manifest
from bot.datastore.versions import DataUnreadable

COUNT_COLUMNS = {
    "recorded": ("offences",),
    "outcomes": ("outcomes_for_recorded", "outcomes_in_quarter"),
    "annual_recorded": ("offences",),
    "annual_outcomes": ("outcomes_for_recorded",),
    "population": ("population",),
    "group_outcomes": ("outcomes_for_recorded",),
    "local_totals": ("offences",),
    "csp": ("offences",),
}
KEYS = {
    "recorded": ["force", "offence_code", "quarter_index"],
    "outcomes": ["force", "offence_code", "quarter_index", "outcome_type"],
    "annual_recorded": ["force", "quarter_index"],
    "annual_outcomes": ["force", "quarter_index", "outcome_type"],
    "population": ["force", "quarter_index"],
    "group_outcomes": ["force", "offence_group", "quarter_index", "outcome_type"],
    "local_totals": ["force", "area", "quarter_index"],
    "csp": ["force", "csp", "offence_code", "quarter_index"],
}


@dataclass
class Release:
    """One loaded file: its rows by kind, and what the manifest says about it."""

    name: str
    sha256: str
    release_date: dt.date | None
    sample: bool
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    offences: pd.DataFrame | None = None
    source: str = "Home Office, police recorded crime and outcomes open data tables"


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


def _with_period_columns(rows: pd.DataFrame) -> pd.DataFrame:
    """Financial year, quarter and quarter end, joined from one row per distinct quarter."""
    quarters = [Quarter.from_index(int(i)) for i in rows["quarter_index"].unique()]
    periods = pd.DataFrame(
        {
            "quarter_index": [q.index for q in quarters],
            "financial_year": pd.Categorical([q.financial_year for q in quarters]),
            "quarter": pd.Series([q.q for q in quarters], dtype="int8"),
            "quarter_end": pd.to_datetime([q.end_date for q in quarters]).astype("datetime64[s]"),
        }
    )
    return rows.merge(periods, on="quarter_index", how="left", validate="many_to_one")


def merge(
    existing: pd.DataFrame | None, releases: list[Release], kind: str, ranks: dict[str, tuple]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Merge releases' rows of ``kind`` into the table; return (table, revisions found).

    For each quarter the latest release (by release date, then load order)
    wins; values it changes are kept as revisions so answers can say
    "revised from …". Re-loading a release replaces its own rows. All releases
    are merged in one pass: a release of millions of rows is copied a few times,
    not a few times per file.
    """
    names = {release.name for release in releases}
    parts = [] if existing is None else [existing[~existing["release"].isin(names)]]
    for release in releases:
        new = _with_period_columns(release.tables[kind])
        new["release"] = pd.Categorical([release.name] * len(new))
        new["sample"] = release.sample
        parts.append(new)
    combined = concat_categorical(parts)
    del parts
    by_quarter = combined[["quarter_index", "release"]].drop_duplicates()
    by_quarter = by_quarter.assign(rank=by_quarter["release"].map(ranks))
    winners = by_quarter.sort_values("rank").drop_duplicates("quarter_index", keep="last")
    # Compared as category codes: comparing a categorical with strings copies every cell.
    releases = combined["release"].cat
    winner_of = {
        quarter: releases.categories.get_loc(name)
        for quarter, name in zip(winners["quarter_index"], winners["release"], strict=True)
    }
    winning_code = combined["quarter_index"].map(winner_of).to_numpy()
    is_winner = pd.Series(releases.codes.to_numpy() == winning_code, index=combined.index)
    if is_winner.all():
        return combined.sort_values(KEYS[kind], ignore_index=True), pd.DataFrame()
    kept, replaced = combined[is_winner], combined[~is_winner]
    del combined
    revisions = _revisions(kind, replaced, kept)
    return kept.sort_values(KEYS[kind], ignore_index=True), revisions


TEXT_COLUMNS = ("force", "offence_code", "outcome_type", "financial_year", "release", "csp")


def _categories(column: pd.Series) -> pd.Index:
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.cat.categories
    return pd.Index(column.dropna().unique())


def concat_categorical(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate keeping text as categoricals (a byte or two a cell, not a string): pandas
    turns categoricals with different categories into objects unless they share them."""
    parts = [p for p in parts if len(p)] or parts[:1]
    for column in TEXT_COLUMNS:
        if not all(column in p for p in parts):
            continue
        names = set()
        for part in parts:
            names.update(str(name) for name in _categories(part[column]))
        dtype = pd.CategoricalDtype(sorted(names))
        parts = [p.assign(**{column: p[column].astype(dtype)}) for p in parts]
    return pd.concat(parts, ignore_index=True)


def _coverage(rows: pd.DataFrame) -> dict:
    first, last = int(rows["quarter_index"].min()), int(rows["quarter_index"].max())
    return {
        "first_quarter": Quarter.from_index(first).label(),
        "last_quarter": Quarter.from_index(last).label(),
        "first_quarter_index": first,
        "last_quarter_index": last,
        "rows": len(rows),
    }


def _revisions(kind: str, replaced: pd.DataFrame, kept: pd.DataFrame) -> pd.DataFrame:
    """Every count the winning release gives differently from each release it replaced, over
    the quarters that release had: changed cells, and rows one of them lacks (a code added
    or withdrawn) as a change from or to 0. With all of them, a replaced release's total for
    any span it covered is exactly the new total minus the changes."""
    found = [
        _differences(kind, old, kept[kept["quarter_index"].isin(old["quarter_index"].unique())])
        for _, old in replaced.groupby("release", observed=True)
    ]
    found = [f for f in found if not f.empty]
    return pd.concat(found, ignore_index=True) if found else pd.DataFrame()


def _differences(kind: str, old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    keys, counts = KEYS[kind], list(COUNT_COLUMNS[kind])
    joined = old[[*keys, *counts]].merge(
        new[[*keys, *counts]], on=keys, how="outer", suffixes=("_old", "_new")
    )
    winners = new.drop_duplicates("quarter_index").set_index("quarter_index")["release"]
    parts = []
    for column in counts:
        old_values = joined[f"{column}_old"].fillna(0).astype("int64")
        new_values = joined[f"{column}_new"].fillna(0).astype("int64")
        changed = (old_values != new_values).to_numpy()
        if not changed.any():
            continue
        rows = joined[changed]
        parts.append(
            pd.DataFrame(
                {
                    "kind": kind,
                    "force": rows["force"].astype(str),
                    "offence_code": rows["offence_code"].astype(str)
                    if "offence_code" in rows
                    else None,
                    "outcome_type": rows["outcome_type"].astype(str)
                    if "outcome_type" in rows
                    else None,
                    "quarter_index": rows["quarter_index"],
                    "measure": column,
                    "old_value": old_values[changed],
                    "old_release": str(old["release"].iloc[0]),
                    "new_value": new_values[changed],
                    "new_release": rows["quarter_index"].map(winners).astype(str),
                }
            )
        )
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


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


def save(data_dir: Path, releases: list[Release]) -> dict:
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
        if releases and _loaded_last(manifest, releases):
            # A rerun of a run killed after its switch: finish it, do not add a copy.
            datastore.link_top_level(data_dir, datastore.live_version(data_dir))
            return manifest
        return _merge_and_write(data_dir, releases)


def _loaded_last(manifest: dict, releases: list[Release]) -> bool:
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


def _merge_and_write(data_dir: Path, releases: list[Release]) -> dict:
    source = datastore.current(data_dir)  # resolved once: every table from one version
    manifest = read_manifest(source)
    by_name = {entry["release"]: entry for entry in manifest["releases"]}
    ranks = {
        entry["release"]: (
            dt.date.fromisoformat(entry["release_date"])
            if entry.get("release_date")
            else dt.date.min,
            entry["seq"],
        )
        for entry in manifest["releases"]
    }
    seq = max((entry["seq"] for entry in manifest["releases"]), default=0)
    tables = {kind: _read(source, kind) for kind in COUNT_COLUMNS}
    revisions = [_read(source, "revisions")]
    for release in releases:
        seq += 1
        ranks[release.name] = (release.release_date or dt.date.min, seq)
        by_name[release.name] = {
            "release": release.name,
            "sha256": release.sha256,
            "release_date": release.release_date.isoformat() if release.release_date else None,
            "sample": release.sample,
            "source": release.source,
            "tables": {kind: _coverage(rows) for kind, rows in release.tables.items()},
            "loaded_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "seq": seq,
        }
    for kind in COUNT_COLUMNS:
        carrying = [release for release in releases if kind in release.tables]
        if carrying:
            tables[kind], found = merge(tables[kind], carrying, kind, ranks)
            revisions.append(found)
    revision_parts = [r for r in revisions if r is not None and not r.empty]
    revision_table = (
        pd.concat(revision_parts, ignore_index=True).drop_duplicates(
            [
                "kind",
                "force",
                "offence_code",
                "outcome_type",
                "quarter_index",
                "measure",
                "old_release",
                "new_release",
            ],
            keep="last",
        )
        if revision_parts
        else None
    )
    outputs = {kind: table for kind, table in tables.items() if table is not None}
    outputs["offences"] = _offences_table(_read(source, "offences"), releases)
    outputs.update(_reference_tables())
    if revision_table is not None:
        outputs["revisions"] = revision_table
    manifest = {"releases": sorted(by_name.values(), key=lambda entry: entry["seq"])}
    _write_atomically(data_dir, outputs, manifest)
    return manifest


def _write_atomically(data_dir: Path, outputs: dict[str, pd.DataFrame], manifest: dict) -> None:
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
