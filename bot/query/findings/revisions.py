"""What earlier loaded releases said for the same figures, and whether a share's two figures
come from one release."""

from __future__ import annotations

import datetime as dt

from bot.core.periods import Period
from bot.query.database import Database
from bot.query.errors import Reason, Unanswerable
from bot.query.findings.model import PlaceFindings, Revision, YearFigure


def add_revisions(db: Database, found: PlaceFindings, codes: list[str], period: Period) -> None:
    """The revisions of the period's figure and of the year before's, and their releases."""
    forces = list(found.place.forces)
    offences = found.offences
    found.revised_from = revision(db, forces, codes, period, offences[0].value)
    if len(offences) > 1:
        before = offences[1]
        found.revised_before = revision(db, forces, codes, before.period, before.value)
        if found.revised_before:
            found.releases.add(found.revised_before.release)
    if found.revised_from:
        found.releases.add(found.revised_from.release)


def revision(
    db: Database, forces: list[str], codes: list[str], period: Period, now: int
) -> Revision | None:
    """The newest earlier release that covered the whole period and gave another figure."""
    releases = db.manifest["releases"]
    coverage = {entry["release"]: entry["tables"].get("recorded") for entry in releases}
    if not any(
        span["first_quarter"] <= period.last_index
        and period.first_index <= span["last_quarter"]
        and (whole := coverage.get(span["old_release"]))
        and whole["first_quarter_index"] <= period.first_index
        and whole["last_quarter_index"] >= period.last_index
        for span in db.reference("revised_span")
    ):
        return None  # no earlier release both covered the period and changed a figure in it
    rows = db.query(
        "offence_revisions",
        forces=forces,
        codes=codes,
        first=period.first_index,
        last=period.last_index,
    )
    order = [entry["release"] for entry in releases]
    covering = [
        row
        for row in rows
        if (recorded := coverage.get(row["old_release"]))
        and recorded["first_quarter_index"] <= period.first_index
        and recorded["last_quarter_index"] >= period.last_index
        and row["change"]
    ]
    if not covering:
        return None
    newest = max(covering, key=lambda row: order.index(row["old_release"]))
    entry = releases[order.index(newest["old_release"])]
    published = entry.get("release_date")
    date = dt.date.fromisoformat(published) if published else None
    return Revision(now - int(newest["change"]), newest["old_release"], date)


def same_release(db: Database, counted: YearFigure, outcomes: YearFigure | None) -> None:
    """A share divides figures of one quarterly release, or is not given."""
    if outcomes is None:
        return
    dates = {e["release"]: e.get("release_date") for e in db.manifest["releases"]}
    published = {dates.get(name) for name in (*counted.releases, *outcomes.releases)}
    if len(published) > 1:
        raise Unanswerable(Reason.DIFFERENT_RELEASES)
