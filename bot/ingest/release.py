"""A release as loaded from its file, before it is merged: its rows by table kind, and the
columns that identify and count each kind's rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

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
