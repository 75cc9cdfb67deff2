"""A channel's digest: the national headline, each force's leads, and what a new release
changed. Figures only; ``bot.render.digest`` words them."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from bot.core.periods import Period, Quarter
from bot.core.places import areas, force_place, national
from bot.core.plan import Place, PlaceKind
from bot.core.reference import force_by_name
from bot.datastore.manifest import ReleaseEntry
from bot.query.database import Database
from bot.query.findings import SMALL_COUNT
from bot.query.leads.candidates import Lead, find_leads
from bot.query.leads.ranking import MIN_CHANGE, MIN_SURPRISE, count_surprise
from bot.query.leads.series import Series, place_series
from bot.query.periods import resolve_period

MAX_REVISIONS_LISTED = 5
MAX_MOVES = 3  # per force, in a new release's opening section
# A revision matters when it moves a published quarter by at least this many offences and
# this share of what was published: smaller ones change no figure a story would print.
MATERIAL_CHANGE = 10
MATERIAL_SHARE = 0.01


@dataclass(frozen=True)
class ForceLeads:
    place: Place
    leads: list[Lead]
    has_figures: bool = True  # False: the data has nothing for the force in the period
    already_shown: int = 0  # leads left out: the channel was shown them, figures unchanged
    moves: list[Series] = field(default_factory=list)  # biggest changes, for a new release


@dataclass(frozen=True)
class Revision:
    """One published figure a newer release changed."""

    force: str
    offence: str  # its name ("Harassment"), or "" where the data has none
    offence_code: str  # "8L"
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
    manifest: list[ReleaseEntry]
    new_releases: list[ReleaseEntry] = field(default_factory=list)
    revisions: list[Revision] = field(default_factory=list)
    revised: int = 0  # how many figures the new releases revised for the patch, in all
    material: int = 0  # how many of those matter (``revisions`` lists the largest)
    already_shown: int = 0  # leads left out because the channel was shown them

    @property
    def has_news(self) -> bool:
        """Anything the channel has not been told: a new lead, new figures or a new release."""
        return bool(self.leads or self.new_releases)

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
    db: Database,
    forces: list[str],
    day: dt.date,
    seen_releases: list[str] | None = None,
    shown: dict[str, str] | None = None,
) -> Digest:
    """``seen_releases``: the releases the channel's previous digest was built on (None for a
    first digest, which has nothing to compare against). ``shown``: each lead key the channel
    was shown, with the signature of its figures then; a lead shown with the same figures is
    left out (the ranking is not redone: the next-best lead is not news either)."""
    shown = shown or {}
    period = resolve_period(db, None, False)
    manifest = db.manifest["releases"]
    new_releases = []
    if seen_releases is not None:
        new_releases = [e for e in manifest if e["release"] not in set(seen_releases)]
    national_series = place_series(db, national(), period)
    headline = next(iter(find_leads(national(), period, national_series, limit=1)), None)
    left_out = 0
    if headline is not None and _was_shown(headline, shown):
        headline, left_out = None, 1
    patch = []
    regions: dict[str, dict[str, Series]] = {}
    for place in (force_place(force) for force in forces):
        series = place_series(db, place, period)
        region = region_of(place)
        if region is not None and region.name not in regions:
            regions[region.name] = place_series(db, region, period)
        regional = regions.get(region.name) if region is not None else None
        found = find_leads(place, period, series, national_series, region=regional)
        fresh = [lead for lead in found if not _was_shown(lead, shown)]
        left_out += len(found) - len(fresh)
        moves = biggest_moves(series) if new_releases else []
        patch.append(ForceLeads(place, fresh, bool(series), len(found) - len(fresh), moves))
    digest = Digest(day, period, headline, patch, manifest, new_releases, already_shown=left_out)
    if digest.new_releases:
        digest.revisions, digest.revised, digest.material = _revisions(
            db, forces, [e["release"] for e in digest.new_releases]
        )
    return digest


def region_of(place: Place) -> Place | None:
    """The region (or, for Wales, the country) a force is compared with."""
    if place.kind is not PlaceKind.FORCE:
        return None
    return areas().get(force_by_name()[place.forces[0]].region)


def _was_shown(lead: Lead, shown: dict[str, str]) -> bool:
    return shown.get(lead.key) == lead.signature()


def biggest_moves(series: dict[str, Series], limit: int = MAX_MOVES) -> list[Series]:
    """The largest changes on the year before that are not noise, on counts large enough for
    a percentage, weighted towards large offences; no two counting the same offences."""

    def size(found: Series) -> float:
        assert found.before is not None
        change = abs(found.now - found.before) / found.before
        return change * min(1.0, math.log10(found.now) / 4)

    candidates = [
        found
        for found in series.values()
        if found.before is not None
        and min(found.now, found.before) >= SMALL_COUNT
        and abs(found.now - found.before) / found.before >= MIN_CHANGE
        and count_surprise(found.now, found.before) >= MIN_SURPRISE
    ]
    chosen: list[Series] = []
    for found in sorted(candidates, key=lambda f: (-size(f), f.offence.label)):
        if len(chosen) == limit:
            break
        if not any(found.codes & other.codes for other in chosen):
            chosen.append(found)
    return chosen


def _revisions(
    db: Database, forces: list[str], releases: list[str]
) -> tuple[list[Revision], int, int]:
    """The revisions that matter (largest first), how many figures were revised in all, and
    how many of those matter."""
    if not db.has_revisions:
        return [], 0, 0
    rows = db.query(
        "material_revisions",
        forces=forces,
        releases=releases,
        min_change=MATERIAL_CHANGE,
        min_share=MATERIAL_SHARE,
        limit=MAX_REVISIONS_LISTED,
    )
    revisions = [
        Revision(
            row["force"],
            row["offence"] or "",
            row["offence_code"],
            row["measure"],
            row["outcome"] or "",
            Quarter.from_index(row["quarter_index"]),
            int(row["old_value"]),
            int(row["new_value"]),
            row["new_release"],
        )
        for row in rows
        if row["material"]
    ]
    if not rows:
        return [], 0, 0
    return revisions, int(rows[0]["revised"]), int(rows[0]["material_count"])
