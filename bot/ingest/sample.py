"""A SAMPLE release for the quarters no real offence-level file could be had for.

Built from real magnitudes: each force's 2017/18 offence mix (the real Police
Force Area file), scaled so that every force-year adds up to that force's real
total recorded crime, and charges scaled to each force-year's real charge count
(both from the real derived tables in raw/oocd-dashboard-outcomes). The
quarterly detail, the offence trends and the other outcome types are made up.
Every row is written in the official layout and marked sample when ingested.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import cast

import numpy as np
import pandas as pd

from bot.core.periods import Quarter, financial_year_label
from bot.core.reference import outcome_types
from bot.ingest.layouts import OUTCOMES, RECORDED

SEED = 20261122
FIRST_YEAR, LAST_YEAR = 2012, 2025  # financial years 2012/13 to 2025/26
OUTCOMES_FIRST_YEAR = 2014
REAL_YEAR = 2017  # 2017/18 is the real published sheet
SEASON = np.array([0.255, 0.26, 0.245, 0.24])

# Yearly growth of each offence relative to its 2017/18 level (by code, subgroup, or group).
GROWTH = {
    "8L": 0.15,
    "8Q": 0.25,
    "8R": 0.08,
    "8M": 0.05,
    "46": 0.04,
    "Sexual offences": 0.07,
    "Violence without injury": 0.08,
    "Violence with injury": 0.03,
    "Domestic burglary": -0.08,
    "Non-domestic burglary": -0.06,
    "Theft from a vehicle": -0.05,
    "Drug offences": -0.03,
    "Possession of weapons offences": 0.05,
    "Public order offences": 0.09,
    "Criminal damage and arson": -0.02,
    "Fraud offences": 0.05,
}
# Outcome type shares of recorded offences once investigations are finished, by group.
MIX = {
    "Violence against the person": {
        "1": 0.07,
        "3": 0.015,
        "8": 0.03,
        "14": 0.05,
        "15": 0.12,
        "16": 0.40,
        "18": 0.07,
        "20": 0.03,
        "21": 0.05,
    },
    "Sexual offences": {
        "1": 0.035,
        "14": 0.03,
        "15": 0.25,
        "16": 0.30,
        "18": 0.05,
        "20": 0.06,
        "21": 0.08,
    },
    "Theft offences": {
        "1": 0.06,
        "3": 0.01,
        "8": 0.02,
        "14": 0.02,
        "15": 0.05,
        "16": 0.04,
        "18": 0.65,
    },
    "Criminal damage and arson": {
        "1": 0.05,
        "8": 0.04,
        "14": 0.03,
        "15": 0.05,
        "16": 0.15,
        "18": 0.55,
    },
    "Drug offences": {
        "1": 0.30,
        "3": 0.10,
        "6": 0.03,
        "7": 0.15,
        "8": 0.20,
        "15": 0.08,
        "22": 0.05,
    },
    "Possession of weapons offences": {"1": 0.45, "3": 0.05, "8": 0.05, "15": 0.15, "16": 0.05},
    "Public order offences": {"1": 0.08, "8": 0.04, "14": 0.05, "15": 0.10, "16": 0.30, "18": 0.20},
    "Robbery": {"1": 0.08, "15": 0.15, "16": 0.12, "18": 0.45},
    "Miscellaneous crimes": {"1": 0.20, "3": 0.03, "15": 0.15, "18": 0.20, "20": 0.10},
    "Fraud offences": {"1": 0.01, "18": 0.50, "20": 0.20},
}
SHOPLIFTING_MIX = {"1": 0.16, "3": 0.03, "8": 0.05, "15": 0.05, "18": 0.50}


def _pending_share(age: np.ndarray) -> np.ndarray:
    """Share of offences still awaiting an outcome, by quarters before the latest."""
    return np.select(
        [age == 0, age == 1, age == 2, age == 3, age < 8, age < 12],
        [0.40, 0.30, 0.22, 0.16, 0.08, 0.04],
        0.01,
    )


def _growth(offences: pd.DataFrame) -> pd.Series:
    rate = offences["offence_code"].map(GROWTH)
    rate = rate.fillna(offences["subgroup"].map(GROWTH))
    return rate.fillna(offences["offence_group"].map(GROWTH)).fillna(0.0)


def recorded_sample(
    base: pd.DataFrame, totals: pd.DataFrame, rng: np.random.Generator, offences: pd.DataFrame
) -> pd.DataFrame:
    """Quarterly offences for every year but 2017/18: force, offence_code, fy_start, q, offences.

    ``base`` is the real 2017/18 annual count per force and code; ``totals`` the real total
    recorded crime per force and financial year.
    """
    base = base.merge(offences[["offence_code", "subgroup", "offence_group"]], on="offence_code")
    base = base.assign(growth=_growth(base))
    frames = []
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        if year == REAL_YEAR:
            continue
        expected = base["offences"].clip(lower=0) * np.exp(base["growth"] * (year - REAL_YEAR))
        year_rows = base.assign(expected=expected, fy_start=year)
        coercive = year_rows["offence_code"] == "8L"
        if year >= 2015:
            ramp = min(1.0, (year - 2014) / 4)
            extra = year_rows[coercive]
            extra = extra.assign(offence_code="8U", expected=extra["expected"] * 0.25 * ramp)
            year_rows = pd.concat([year_rows, extra], ignore_index=True)
        real_total = year_rows["force"].map(
            totals[totals.fy_start == year].set_index("force")["recorded_crime"]
        )
        force_sum = year_rows.groupby("force")["expected"].transform("sum")
        scale = (real_total / force_sum).fillna(1.0)  # BTP and fraud bodies: no real total
        year_rows["expected"] = year_rows["expected"] * scale
        frames.append(year_rows[["force", "offence_code", "fy_start", "expected"]])
    annual = pd.concat(frames, ignore_index=True)
    quarters = annual.loc[annual.index.repeat(4)].reset_index(drop=True)
    quarters["q"] = np.tile(np.arange(1, 5), len(annual))
    lam = quarters["expected"].to_numpy() * SEASON[quarters["q"].to_numpy() - 1]
    quarters["offences"] = rng.poisson(lam)
    # 8U starts in the quarter to March 2016, when the offence came into force.
    too_early = (quarters.offence_code == "8U") & (
        quarters.fy_start * 4 + quarters.q - 1 < Quarter(2015, 4).index
    )
    quarters.loc[too_early, "offences"] = 0
    return quarters[["force", "offence_code", "fy_start", "q", "offences"]]


def outcomes_sample(
    recorded: pd.DataFrame, charges: pd.DataFrame, offences: pd.DataFrame, rng: np.random.Generator
) -> pd.DataFrame:
    """Outcome counts by type for offences recorded in each quarter, charges calibrated to the
    real charge totals per force and year."""
    rows = recorded[recorded.fy_start >= OUTCOMES_FIRST_YEAR]
    rows = rows.merge(offences[["offence_code", "offence_group"]], on="offence_code")
    index = rows.fy_start * 4 + rows.q - 1
    age = (Quarter(LAST_YEAR, 4).index - index).to_numpy()
    finished = 1 - _pending_share(age)
    parts = []
    types = sorted({t for mix in (*MIX.values(), SHOPLIFTING_MIX) for t in mix}, key=int)
    n = rows["offences"].clip(lower=0).to_numpy()
    for outcome in types:
        share = rows["offence_group"].map({g: m.get(outcome, 0.0) for g, m in MIX.items()})
        share = share.where(rows.offence_code != "46", SHOPLIFTING_MIX.get(outcome, 0.0))
        expected = n * share.fillna(0).to_numpy() * finished
        parts.append(
            rows[["force", "offence_code", "fy_start", "q"]].assign(
                outcome_type=outcome, expected=expected
            )
        )
    table = pd.concat(parts, ignore_index=True)
    charged = table.outcome_type == "1"
    sums = table[charged].groupby(["force", "fy_start"])["expected"].sum().rename("model")
    target = charges.set_index(["force", "fy_start"])["charges"]
    factor = (target / sums).reindex(sums.index).fillna(1.0).clip(0.2, 5.0).rename("factor")
    table = table.merge(factor.reset_index(), on=["force", "fy_start"], how="left")
    table.loc[charged, "expected"] *= table.loc[charged, "factor"].fillna(1.0)
    table["outcomes_for_recorded"] = rng.poisson(table["expected"].to_numpy())
    table["outcomes_in_quarter"] = rng.poisson(table["expected"].to_numpy() / finished.mean())
    assigned = (
        table.groupby(["force", "offence_code", "fy_start", "q"])["outcomes_for_recorded"]
        .sum()
        .rename("assigned")
    )
    counted = rows.set_index(["force", "offence_code", "fy_start", "q"])["offences"].rename("n")
    both = pd.concat([counted, assigned], axis=1).fillna(0)
    left = (both["n"].clip(lower=0) - both["assigned"]).clip(lower=0).astype(int)
    pending = (
        left.rename("outcomes_for_recorded")
        .reset_index()
        .assign(outcome_type="0", outcomes_in_quarter=0)
    )
    table = pd.concat([table.drop(columns=["expected", "factor"]), pending], ignore_index=True)
    return table[(table.outcomes_for_recorded != 0) | (table.outcomes_in_quarter != 0)]


def _official_rows(frame: pd.DataFrame, offences: pd.DataFrame) -> pd.DataFrame:
    frame = frame.merge(
        offences[["offence_code", "offence", "subgroup", "offence_group"]], on="offence_code"
    )
    frame["Financial Year"] = frame["fy_start"].map(financial_year_label)
    return frame


def write_official_csv(
    recorded: pd.DataFrame, outcomes: pd.DataFrame, offences: pd.DataFrame, directory: Path
) -> list[Path]:
    """The sample in the published column layout: one PFA file, one outcomes file per year."""
    directory.mkdir(parents=True, exist_ok=True)
    pfa = _official_rows(recorded, offences)
    pfa_columns = {
        "Financial Year": "Financial Year",
        "q": "Financial Quarter",
        "force": "Force Name",
        "offence": "Offence Description",
        "offence_group": "Offence Group",
        "subgroup": "Offence Subgroup",
        "offence_code": "Offence Code",
        "offences": "Number of Offences",
    }
    assert set(RECORDED.aliases) <= {
        "financial_year",
        "quarter",
        "force",
        "offence",
        "offence_group",
        "subgroup",
        "offence_code",
        "offences",
    }
    paths = [directory / "crimebot-sample-prc-pfa-tables.csv"]
    pfa.sort_values(["fy_start", "q", "force", "offence_code"])[list(pfa_columns)].rename(
        columns=pfa_columns
    ).to_csv(paths[0], index=False, quoting=csv.QUOTE_MINIMAL)
    described = {r["outcome_type"]: r for r in outcome_types()}
    out = _official_rows(outcomes, offences)
    out["Outcome Description"] = out["outcome_type"].map(lambda t: described[t]["description"])
    out["Outcome Group"] = out["outcome_type"].map(lambda t: described[t]["outcome_group"])
    out_columns = {
        **{k: v for k, v in pfa_columns.items() if k != "offences"},
        "Outcome Description": "Outcome Description",
        "Outcome Group": "Outcome Group",
        "outcome_type": "Outcome Type",
        "outcomes_for_recorded": "Force outcomes for offences recorded in quarter",
        "outcomes_in_quarter": "Force outcomes recorded in quarter",
    }
    assert len(out_columns) == len(OUTCOMES.aliases)
    for year, rows in out.groupby("fy_start"):
        label = financial_year_label(cast(int, year)).replace("/", "-")
        path = directory / f"crimebot-sample-prc-outcomes-{label}.csv"
        rows.sort_values(["q", "force", "offence_code", "outcome_type"])[list(out_columns)].rename(
            columns=out_columns
        ).to_csv(path, index=False)
        paths.append(path)
    return paths


def build_sample_release(
    real_recorded: pd.DataFrame, offences: pd.DataFrame, raw_dir: Path, directory: Path
) -> list[Path]:
    """Write the sample release files into ``directory`` and return their paths."""
    rng = np.random.default_rng(SEED)
    base = cast(
        pd.DataFrame,
        real_recorded.groupby(["force", "offence_code"], as_index=False)["offences"].sum(),
    )
    derived = raw_dir / "oocd-dashboard-outcomes" / "data" / "processed"
    totals = pd.read_csv(derived / "denominators.csv")
    totals["fy_start"] = totals["fy"].str[:4].astype(int)
    force_year = pd.read_csv(derived / "force_year.csv")
    charges = pd.DataFrame(
        {
            "force": force_year["force"],
            "fy_start": force_year["fy"].str[:4].astype(int),
            "charges": force_year["recorded_all_t1"],
        }
    )
    recorded = recorded_sample(base, totals, rng, offences)
    index = real_recorded["quarter_index"]
    real_quarters = real_recorded.assign(fy_start=index // 4, q=index % 4 + 1)[
        ["force", "offence_code", "fy_start", "q", "offences"]
    ]
    outcomes = outcomes_sample(
        pd.concat([recorded, real_quarters], ignore_index=True), charges, offences, rng
    )
    return write_official_csv(recorded, outcomes, offences, directory)
