"""A channel's digest: the national headline, each force's leads, and what a new release
changed. Figures only; ``bot.render.digest`` words them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from bot.digest.leads import Lead, find_leads, place_series
from bot.periods import Period, Quarter
from bot.places import force_place, national
from bot.query.database import Database
from bot.query.periods import resolve_period
from bot.query.plan import Place

MAX_REVISIONS_LISTED = 5


@dataclass(frozen=True)
class ForceLeads:
    place: Place
    leads: list[Lead]
    has_figures: bool = True  # False: the data has nothing for the force in the period


@dataclass(frozen=True)
class Revision:
    """One published figure a newer release changed."""

    force: str
    offence: str  # "Harassment (8L)"
    measure: str  # offences | outcomes_for_recorded | ...
    outcome: str  # the outcome type's short name, for outcome revisions
    quarter: Quarter
    old_value: int
    new_value: int
    new_release: str


@dataclass
class Digest:
    day: dt.date
    period: Period
    headline: Lead | None
    forces: list[ForceLeads]
    manifest: list[dict]
    new_releases: list[dict] = field(default_factory=list)
    revisions: list[Revision] = field(default_factory=list)
    revised: int = 0  # how many figures the new releases revised for the patch, in all

    @property
    def leads(self) -> list[Lead]:
        return ([self.headline] if self.headline else []) + [
            lead for force in self.forces for lead in force.leads
        ]

    @property
    def sample(self) -> bool:
        return any(lead.sample for lead in self.leads)

    @property
    def releases(self) -> frozenset[str]:
        return frozenset().union(*(lead.releases for lead in self.leads))

    @property
    def release_names(self) -> list[str]:
        """Every release the data holds now: the next digest compares against these."""
        return [entry["release"] for entry in self.manifest]


def compose(
    db: Database, forces: list[str], day: dt.date, seen_releases: list[str] | None = None
) -> Digest:
    """``seen_releases``: the releases the channel's previous digest was built on (None for a
    first digest, which has nothing to compare against)."""
    period = resolve_period(db, None, False)
    national_series = place_series(db, national(), period)
    headline = next(iter(find_leads(national(), period, national_series, limit=1)), None)
    patch = []
    for place in (force_place(force) for force in forces):
        series = place_series(db, place, period)
        patch.append(
            ForceLeads(place, find_leads(place, period, series, national_series), bool(series))
        )
    manifest = db.manifest["releases"]
    digest = Digest(day, period, headline, patch, manifest)
    if seen_releases is not None:
        digest.new_releases = [e for e in manifest if e["release"] not in set(seen_releases)]
    if digest.new_releases:
        digest.revisions, digest.revised = _revisions(
            db, forces, [e["release"] for e in digest.new_releases]
        )
    return digest


def _revisions(db: Database, forces: list[str], releases: list[str]) -> tuple[list[Revision], int]:
    if not db.has_revisions:
        return [], 0
    rows = db.query(
        "release_revisions", forces=forces, releases=releases, limit=MAX_REVISIONS_LISTED
    )
    revisions = [
        Revision(
            row["force"],
            f"{row['offence'] or row['offence_code']} ({row['offence_code']})",
            row["measure"],
            row["outcome"] or "",
            Quarter.from_index(row["quarter_index"]),
            int(row["old_value"]),
            int(row["new_value"]),
            row["new_release"],
        )
        for row in rows
    ]
    return revisions, int(rows[0]["revised"]) if rows else 0
