"""Merging releases into a table: the latest release wins each quarter, and every value it
changes is kept as a revision ("revised from … in the 19 October 2023 release")."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from bot.core.periods import Quarter
from bot.ingest.release import COUNT_COLUMNS, KEYS, Release

Rank = tuple[dt.date, int]  # a release's (publication date, load order): the later wins


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
    existing: pd.DataFrame | None, releases: list[Release], kind: str, ranks: dict[str, Rank]
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
    release_names = combined["release"].cat
    winner_of = {
        quarter: release_names.categories.get_loc(name)
        for quarter, name in zip(winners["quarter_index"], winners["release"], strict=True)
    }
    winning_code = combined["quarter_index"].map(winner_of).to_numpy()
    is_winner = pd.Series(release_names.codes.to_numpy() == winning_code, index=combined.index)
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
        names: set[str] = set()
        for part in parts:
            names.update(str(name) for name in _categories(part[column]))
        dtype = pd.CategoricalDtype(sorted(names))
        parts = [p.assign(**{column: p[column].astype(dtype)}) for p in parts]
    return pd.concat(parts, ignore_index=True)


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
